using Beacon.Grains;
using Beacon.Grains.Figures;
using Beacon.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Beacon.Tests;

/// <summary>
/// A county keeps its register and ledger in rows of a few children each, and its recent changes in pages. What a
/// committee sees must not depend on that: everything comes back after the grains are collected.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class CountyStorageTests(ClusterFixture fixture)
{
    private const int Enterprises = 300;

    /// <summary>
    /// A county registers its deadline sweep and its midnight once: every activation after that finds them and leaves
    /// them be (a registration is a write, and a restart activates every county), and puts back only one that is gone.
    /// </summary>
    [Fact]
    public async Task A_county_finds_its_reminders_at_its_next_activation_and_registers_only_one_that_is_gone()
    {
        var t = await Tenant.CreateAsync(fixture.Client, "110522");
        var table = ((InProcessSiloHandle)fixture.Cluster.Primary!).ServiceProvider.GetRequiredService<IReminderTable>();
        var county = GrainId.Create("county", "110522");
        async Task<(string Name, string? ETag)[]> RemindersAsync() =>
            [.. (await table.ReadRows(county)).Reminders.Select(r => (r.ReminderName, r.ETag)).OrderBy(r => r.ReminderName, StringComparer.Ordinal)];
        async Task WakeAgainAsync()
        {
            await t.County.Cast<IGrainManagementExtension>().DeactivateOnIdle();
            await t.SummaryAsync();
        }
        var registered = await RemindersAsync();
        Assert.Equal(["deadlines", "midnight"], registered.Select(r => r.Name));

        await WakeAgainAsync();
        Assert.Equal(registered, await RemindersAsync());

        Assert.True(await table.RemoveRow(county, "deadlines", Assert.IsType<string>(registered[0].ETag)));
        await WakeAgainAsync();
        var restored = await RemindersAsync();
        Assert.Equal(["deadlines", "midnight"], restored.Select(r => r.Name));
        Assert.NotEqual(registered[0].ETag, restored[0].ETag);
        Assert.Equal(registered[1], restored[1]);
    }

    [Fact]
    public async Task A_county_of_hundreds_of_enterprises_comes_back_whole_after_its_grains_are_collected()
    {
        var t = await Tenant.CreateAsync(fixture.Client, "110521");
        await t.StationAsync("S1", "城关镇");
        await Task.WhenAll(Enumerable.Range(1, Enterprises).Select(n => t.OkAsync(Ent.Of(t.CreditCode(n), employees: 20, members: n % 3 == 0 ? 3 : n % 3,
            mode: n % 3 == 0 ? FormationMode.Standalone : FormationMode.None, township: "城关镇", station: n % 2 == 0 ? "S1" : null))));
        // 300 creations and 240 updates: more changes than the recent feed keeps (500).
        foreach (var n in Enumerable.Range(1, 240))
            await t.OkAsync(Ent.Of(t.CreditCode(n), employees: 21, members: n % 3 == 0 ? 3 : n % 3,
                mode: n % 3 == 0 ? FormationMode.Standalone : FormationMode.None, township: "城关镇", station: n % 2 == 0 ? "S1" : null));
        var before = await t.SummaryAsync();
        Assert.Equal(Enterprises, before.Base);
        Assert.Equal(Enterprises / 3, before.Standalone);
        Assert.Equal(Enterprises * 20 + 240, before.Employees);
        var recentBefore = await t.County.RecentChangesAsync(RecentChanges.Limit);

        // The enterprises are collected, and the county is made to go too (collection skips a grain with a timer due).
        await fixture.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await t.County.Cast<IGrainManagementExtension>().DeactivateOnIdle();

        await t.AssertSummaryUnchangedAsync(before);
        // The figures came back from the ledger's rows, which hold each enterprise once, in its own row: a row is
        // rewritten on its own, and one that held the whole ledger would make every such write as large as all of them.
        var storage = ((InProcessSiloHandle)fixture.Cluster.Primary!).ServiceProvider.GetRequiredKeyedService<IGrainStorage>(BeaconStorage.Name);
        var rows = new List<CountyLedger>();
        for (var i = 0; i < LedgerRows.Count; i++)
        {
            var row = new GrainState<CountyLedger>();
            await storage.ReadStateAsync($"ledger-{i:D2}", GrainId.Create("county", "110521"), row);
            rows.Add(row.State ?? new CountyLedger());
        }
        Assert.Equal(Enterprises, rows.Sum(r => r.Count(EntityKind.Enterprise)));
        Assert.Equal(Enterprises, rows.SelectMany(r => r.Of(EntityKind.Enterprise).Select(c => c.Id)).Distinct().Count());
        Assert.All(rows, r => Assert.InRange(r.Count(EntityKind.Enterprise), 1, Enterprises / 4));
        var after = await t.SummaryAsync();
        Assert.True(after.Seq > before.Seq, $"seq went from {before.Seq} back to {after.Seq}");
        var ids = await t.County.ListAsync(EntityKind.Enterprise);
        Assert.Equal(Enumerable.Range(1, Enterprises).Select(t.CreditCode).Order(StringComparer.Ordinal), ids);
        Assert.True(await t.County.ExistsAsync(EntityKind.Station, "S1"));

        var recent = await t.County.RecentChangesAsync(RecentChanges.Limit);
        Assert.Equal(recentBefore, recent);
        Assert.Equal(RecentChanges.Limit, recent.Length);
        // Newest first: the 240 updates, made one after another, lead in reverse order; the creations follow.
        Assert.Equal(Enumerable.Range(1, 240).Reverse().Select(n => (t.CreditCode(n), 2L, "update")),
            recent.Take(240).Select(c => (c.Id, c.Version, c.Action)));
        Assert.All(recent.Skip(240), c => Assert.Equal("create", c.Action));
    }
}
