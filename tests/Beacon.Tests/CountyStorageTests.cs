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
/// committee sees must not depend on that: everything comes back after the grains are collected, and a county stored
/// by an earlier version (one row each) still reads.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class CountyStorageTests(ClusterFixture fixture)
{
    private const int Enterprises = 300;

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
        for (var i = 0; i < CountyGrain.LedgerRows; i++)
        {
            var row = new GrainState<CountyLedger>();
            await storage.ReadStateAsync($"ledger-{i:D2}", GrainId.Create("county", "110521"), row);
            rows.Add(row.State ?? new CountyLedger());
        }
        Assert.Equal(Enterprises, rows.Sum(r => r.Enterprises.Count));
        Assert.Equal(Enterprises, rows.SelectMany(r => r.Enterprises.Keys).Distinct().Count());
        Assert.All(rows, r => Assert.InRange(r.Enterprises.Count, 1, Enterprises / 4));
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

    [Fact]
    public async Task A_county_stored_by_the_single_row_version_reads_its_children_and_figures_and_moves_them_into_rows()
    {
        const string code = "110522";
        var storage = ((InProcessSiloHandle)fixture.Cluster.Primary!).ServiceProvider.GetRequiredKeyedService<IGrainStorage>(BeaconStorage.Name);
        var county = GrainId.Create("county", code);
        var t = new Tenant(fixture.Client, code);
        var (a, b) = (t.CreditCode(1), t.CreditCode(2));
        var ledger = new CountyLedger();
        ledger.TryReplace(new EnterpriseContribution(a, 3, false, true, EnterpriseKind.Enterprise, FormationMode.Standalone, null, 5, 40,
            null, null, null, null, false, false), out _);
        ledger.TryReplace(new EnterpriseContribution(b, 1, false, true, EnterpriseKind.Enterprise, FormationMode.None, null, 1, 12,
            null, null, null, null, false, false), out _);
        await storage.WriteStateAsync("register", county, new GrainState<CountyRegister>(new CountyRegister
        {
            Profile = t.Profile(), Enterprises = [a, b], Stations = [], Groups = [], Instructors = [], Issues = [], IssueCounter = 7, Epoch = 4,
        }));
        await storage.WriteStateAsync("ledger", county, new GrainState<CountyLedger>(ledger));

        var summary = await t.SummaryAsync();
        Assert.Equal((2, 1, 6, 52), (summary.Base, summary.Standalone, summary.PartyMembers, summary.Employees));
        Assert.True(summary.Seq > 4 * CountyGrain.EpochStride, $"seq {summary.Seq} does not continue from epoch 4");
        Assert.Equal([a, b], (await t.County.ListAsync(EntityKind.Enterprise)).Order(StringComparer.Ordinal));
        Assert.Equal("I000008", await t.RaiseAsync(a));

        // Moved: the single rows are emptied, and what they held comes back from the new rows alone.
        var single = new GrainState<CountyLedger>();
        await storage.ReadStateAsync("ledger", county, single);
        Assert.False(single.RecordExists);
        var register = new GrainState<CountyRegister>();
        await storage.ReadStateAsync("register", county, register);
        Assert.Null(register.State!.Enterprises);
        await t.County.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        var again = await t.SummaryAsync();
        Assert.Equal((2, 1, 6, 52), (again.Base, again.Standalone, again.PartyMembers, again.Employees));
        Assert.True(await t.County.ExistsAsync(EntityKind.Enterprise, b));
    }
}
