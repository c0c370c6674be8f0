using Beacon.Grains;
using Beacon.Grains.Entities;
using Beacon.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Orleans.Serialization;
using Orleans.Storage;
using static Beacon.Tests.Infrastructure.Ent;

namespace Beacon.Tests;

/// <summary>
/// An entity's audit trail: every change survives however many there are, while the entity's own record, rewritten
/// by every change, stays one page long.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class HistoryTests(ClusterFixture fixture)
{
    private IGrainStorage Storage => fixture.Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(BeaconStorage.Name);

    private async Task<RegisterEntry<EnterpriseProfile>> StoredAsync(IEnterpriseGrain grain)
    {
        var stored = new GrainState<RegisterEntry<EnterpriseProfile>>(new());
        await Storage.ReadStateAsync("enterprise", grain.GetGrainId(), stored);
        Assert.NotNull(stored.State);
        return stored.State;
    }

    private async Task<IssueGrain.IssueState> StoredAsync(IIssueGrain grain)
    {
        var stored = new GrainState<IssueGrain.IssueState>(new());
        await Storage.ReadStateAsync("issue", grain.GetGrainId(), stored);
        Assert.NotNull(stored.State);
        return stored.State;
    }

    /// <summary>A new county with one enterprise, which has raised one issue.</summary>
    private async Task<(Tenant Tenant, IIssueGrain Issue)> TenantWithAnIssueAsync(string county)
    {
        var t = await Tenant.CreateAsync(fixture.Client, county);
        var code = t.CreditCode(1);
        await t.OkAsync(Of(code));
        return (t, t.Issue(await t.RaiseAsync(code)));
    }

    private static async Task ReactivateAsync(IGrainWithStringKey grain)
    {
        await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await Task.Delay(100);
    }

    [Fact]
    public async Task Forty_changes_with_a_removal_are_all_in_the_history_in_order_and_survive_reactivation()
    {
        var t = await Tenant.CreateAsync(fixture.Client, "110501");
        var code = t.CreditCode(1);
        var grain = t.Enterprise(code);
        for (var employees = 1; employees <= 38; employees++) await t.OkAsync(Of(code, employees: employees));
        await t.OkAsync(grain.DeleteAsync(Tenant.Actor));
        await t.OkAsync(Of(code, employees: 40));

        var history = await grain.GetHistoryAsync();
        Assert.Equal(Enumerable.Range(1, 40).Select(v => (long)v), history.Select(c => c.Version));
        Assert.Equal(["create", .. Enumerable.Repeat("update", 37), "delete", "create"], history.Select(c => c.Action));
        Assert.Null(history[0].Before);
        Assert.Equal(Enumerable.Range(1, 38), history[..38].Select(c => c.After!.Employees));
        Assert.Equal(Enumerable.Range(1, 37), history[1..38].Select(c => c.Before!.Employees));
        Assert.Equal(38, history[38].Before!.Employees);
        Assert.Null(history[38].After);
        Assert.Null(history[39].Before);
        Assert.Equal(40, history[39].After!.Employees);
        Assert.All(history, c => Assert.Equal(Tenant.Actor.Label, c.By));

        var stored = await StoredAsync(grain);
        Assert.InRange(stored.History.Count, 1, RegisterGrain<EnterpriseProfile>.PageSize);
        Assert.Equal(40, stored.Version);

        await ReactivateAsync(grain);
        Assert.Equal(history, await grain.GetHistoryAsync());
        Assert.Equal(40, (await grain.GetAsync())!.Version);
    }

    [Fact]
    public async Task A_change_adds_to_the_entitys_record_what_it_changed_not_a_whole_profile()
    {
        var t = await Tenant.CreateAsync(fixture.Client, "110508");
        var code = t.CreditCode(1);
        var grain = t.Enterprise(code);
        var serializer = fixture.Cluster.GetSiloServiceProvider().GetRequiredService<Serializer>();
        await t.StationAsync("s1", "东镇");
        // Every call brings its own objects, as from the gateway; only the members and the organisation change.
        EnterpriseProfile Version(int n) => Of(code, employees: 50, members: n + 2,
            mode: n % 2 == 0 ? FormationMode.Standalone : FormationMode.None, township: "东镇", station: "s1", archive: new Archive(true, false));
        await t.OkAsync(Version(1));
        var one = serializer.SerializeToArray(await StoredAsync(grain)).Length;
        for (var n = 2; n <= 24; n++) await t.OkAsync(Version(n));

        var stored = await StoredAsync(grain);
        Assert.Equal(24, stored.History.Count);
        var perChange = (serializer.SerializeToArray(stored).Length - one) / 23.0;
        // Written whole, a change would be its version, time, actor and action (some 35 B) and then a whole profile.
        var profile = serializer.SerializeToArray(Version(1)).Length;
        Assert.True(perChange < profile, $"{perChange:F0} B a change, {profile} B a profile");
        var history = await grain.GetHistoryAsync();
        Assert.Equal(Enumerable.Range(1, 24).Select(Version), history.Select(c => c.After));

        await ReactivateAsync(grain);
        Assert.Equal(history, await grain.GetHistoryAsync());
    }

    [Fact]
    public async Task Entities_sharing_an_id_in_another_county_or_register_keep_their_own_history()
    {
        var a = await Tenant.CreateAsync(fixture.Client, "110502");
        var b = await Tenant.CreateAsync(fixture.Client, "110503");
        var page = RegisterGrain<EnterpriseProfile>.PageSize;
        foreach (var (t, townships) in new[] { (a, page + 4), (b, page + 9) })
            for (var n = 1; n <= townships; n++)
                await t.OkAsync(new StationProfile("x", $"站{t.Code}", [.. Enumerable.Range(1, n).Select(i => $"镇{i}")]));
        await a.StationAsync("s1", "东镇");
        for (var n = 1; n <= page + 2; n++) await a.OkAsync(new InstructorGroupProfile("x", $"组{n}", "s1"));

        var stationA = await a.Station("x").GetHistoryAsync();
        var stationB = await b.Station("x").GetHistoryAsync();
        var groupA = await a.Group("x").GetHistoryAsync();
        Assert.Equal(Enumerable.Range(1, page + 4), stationA.Select(c => c.After!.Townships.Length));
        Assert.All(stationA, c => Assert.Equal($"站{a.Code}", c.After!.Name));
        Assert.Equal(Enumerable.Range(1, page + 9), stationB.Select(c => c.After!.Townships.Length));
        Assert.All(stationB, c => Assert.Equal($"站{b.Code}", c.After!.Name));
        Assert.Equal(Enumerable.Range(1, page + 2).Select(n => $"组{n}"), groupA.Select(c => c.After!.Name));
    }

    [Fact]
    public async Task An_entity_stored_before_paging_keeps_its_two_hundred_changes_and_pages_them_out_on_its_next_change()
    {
        var t = await Tenant.CreateAsync(fixture.Client, "110504");
        var code = t.CreditCode(1);
        var grain = t.Enterprise(code);
        // As the old code left it: the newest 200 changes, each with its Before, the older ten dropped.
        var at = DateTimeOffset.UtcNow.AddDays(-1);
        var old = Enumerable.Range(11, 200)
            .Select(v => new RegisterChange<EnterpriseProfile>(v, at.AddMinutes(v), "earlier", "update", Of(code, employees: v - 1), Of(code, employees: v)))
            .ToList();
        var entry = new RegisterEntry<EnterpriseProfile> { Value = Of(code, employees: 210), Version = 210, UpdatedAt = at, History = old };
        await Storage.WriteStateAsync("enterprise", grain.GetGrainId(), new GrainState<RegisterEntry<EnterpriseProfile>>(entry));

        Assert.Equal(old, await grain.GetHistoryAsync());
        await t.OkAsync(Of(code, employees: 211));

        var stored = await StoredAsync(grain);
        Assert.InRange(stored.History.Count, 1, RegisterGrain<EnterpriseProfile>.PageSize);
        await ReactivateAsync(grain);
        var history = await grain.GetHistoryAsync();
        Assert.Equal(old, history[..200]);
        Assert.Equal(211, history[200].Version);
        Assert.Equal(210, history[200].Before!.Employees);
        Assert.Equal(211, history[200].After!.Employees);
    }

    [Fact]
    public async Task A_page_sealed_just_before_a_crash_is_neither_read_twice_nor_lost()
    {
        var t = await Tenant.CreateAsync(fixture.Client, "110505");
        var code = t.CreditCode(1);
        var grain = t.Enterprise(code);
        var page = RegisterGrain<EnterpriseProfile>.PageSize;
        var at = DateTimeOffset.UtcNow.AddDays(-1);
        var changes = Enumerable.Range(1, page)
            .Select(v => new RegisterChange<EnterpriseProfile>(v, at.AddMinutes(v), "earlier", v == 1 ? "create" : "update",
                v == 1 ? null : Of(code, employees: v - 1), Of(code, employees: v)))
            .ToArray();
        // The silo stopped after the page's write and before the entity's: the entity still holds the page's changes.
        await fixture.Client.GetGrain<IHistoryPageGrain<EnterpriseProfile>>($"{Places.TenantKey(t.Code, code)}/enterprise/0").SealAsync(changes);
        var entry = new RegisterEntry<EnterpriseProfile> { Value = Of(code, employees: page), Version = page, UpdatedAt = at, History = [.. changes] };
        await Storage.WriteStateAsync("enterprise", grain.GetGrainId(), new GrainState<RegisterEntry<EnterpriseProfile>>(entry));

        Assert.Equal(changes, await grain.GetHistoryAsync());
        await t.OkAsync(Of(code, employees: page + 1));
        await ReactivateAsync(grain);
        var history = await grain.GetHistoryAsync();
        Assert.Equal(changes, history[..page]);
        Assert.Equal([page + 1L], history[page..].Select(c => c.Version));
        Assert.Equal(page, history[page].Before!.Employees);
    }

    [Fact]
    public async Task An_issue_gone_round_thirty_times_keeps_every_step_while_its_own_record_stays_one_page()
    {
        var (t, issue) = await TenantWithAnIssueAsync("110506");
        var texts = new List<string> { "融资难" };
        for (var round = 1; round <= 30; round++)
        {
            await t.OkAsync(issue.EscalateAsync($"第{round}次上报", Tenant.Actor));
            await t.OkAsync(issue.ResolveAsync($"第{round}次解决", Tenant.Actor));
            await t.OkAsync(issue.ReopenAsync($"第{round}次复发", Tenant.Actor));
            texts.AddRange([$"第{round}次上报", $"第{round}次解决", $"第{round}次复发"]);
        }

        var record = await issue.GetAsync();
        Assert.Equal(texts, record!.History.Select(s => s.Text));
        Assert.Equal(["raise", .. Enumerable.Repeat<string[]>(["escalate", "resolve", "reopen"], 30).SelectMany(a => a)],
            record.History.Select(s => s.Action));
        Assert.Equal(IssueState.Open, record.State);
        Assert.Equal(91, record.Version);

        // 91 steps: two pages of 32 sealed, 27 in the issue's own record.
        var stored = await StoredAsync(issue);
        Assert.Equal(2, stored.SealedPages);
        Assert.Equal(texts[(2 * IssueGrain.PageSize)..], stored.Issue!.History.Select(s => s.Text));

        await ReactivateAsync(issue);
        Assert.Equal(texts, (await issue.GetAsync())!.History.Select(s => s.Text));
        var summary = await t.SummaryAsync();
        Assert.Equal((1, 1, 0), (summary.Issues.Raised, summary.Issues.Open, summary.Issues.Resolved));
    }

    [Fact]
    public async Task An_issue_stored_before_paging_keeps_its_steps_and_pages_them_out_on_its_next_step()
    {
        var (t, issue) = await TenantWithAnIssueAsync("110507");
        var raised = (await issue.GetAsync())!;
        // An issue written by a version that kept every step in its record: 70 of them, ending resolved.
        var at = raised.RaisedAt;
        IssueStep[] steps = [raised.History[0], .. Enumerable.Range(1, 69).Select(n =>
            new IssueStep(n % 2 == 1 ? "resolve" : "reopen", "earlier", at.AddMinutes(n), $"步骤{n}"))];
        var old = raised with { History = steps, State = IssueState.Resolved, ResolvedAt = at.AddMinutes(69), Version = 70 };
        var record = new GrainState<IssueGrain.IssueState>(new());
        await Storage.ReadStateAsync("issue", issue.GetGrainId(), record);
        record.State = new() { Issue = old };
        await Storage.WriteStateAsync("issue", issue.GetGrainId(), record);
        await ReactivateAsync(issue);
        Assert.Equal(steps, (await issue.GetAsync())!.History);

        await t.OkAsync(issue.ReopenAsync("又出现了", Tenant.Actor));
        var stored = await StoredAsync(issue);
        Assert.Equal(2, stored.SealedPages);
        Assert.Equal(70 - 2 * IssueGrain.PageSize + 1, stored.Issue!.History.Length);
        var history = (await issue.GetAsync())!.History;
        Assert.Equal(steps, history[..70]);
        Assert.Equal(("reopen", "又出现了"), (history[70].Action, history[70].Text));
    }
}
