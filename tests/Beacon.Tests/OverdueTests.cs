using Beacon.Tests.Infrastructure;
using static Beacon.Tests.Infrastructure.Ent;

namespace Beacon.Tests;

/// <summary>An issue falls overdue with nobody touching it: the county publishes again when its deadline passes.</summary>
[Collection(ClusterCollection.Name)]
public sealed class OverdueTests(ClusterFixture fixture)
{
    private IClusterClient Client => fixture.Client;

    [Fact]
    public async Task A_subscriber_hears_the_issue_fall_overdue_without_any_further_call()
    {
        var t = await Tenant.CreateAsync(Client, "371402");
        await t.OkAsync(Of(t.CreditCode(1), employees: 20, members: 1));
        var recorder = new Recorder();
        var reference = Client.CreateObjectReference<ISummaryObserver>(recorder);
        await t.County.SubscribeAsync(reference);
        try
        {
            var before = await t.SummaryAsync();
            Assert.Equal(0, before.Issues.Overdue);

            // Raised 30 days ago less 3 s: its deadline (30 days) is 3 s from now.
            var raisedAt = DateTimeOffset.UtcNow - TimeSpan.FromDays(30) + TimeSpan.FromSeconds(3);
            var (id, result) = await t.County.RaiseIssueAsync(t.CreditCode(1), IssueCategory.Labour, "招工难", Tenant.Actor, raisedAt);
            await t.OkAsync(Task.FromResult(result));
            var issue = await t.Issue(id!).GetAsync();
            Assert.Equal(raisedAt, issue!.RaisedAt);
            var deadline = issue.Deadline;
            Assert.Equal(raisedAt.AddDays(30), deadline);

            // The raise itself is published with the issue open and not yet overdue.
            var open = await Poll.UntilAsync(() => recorder.Counties.LastOrDefault(), s => s is { Issues.Open: 1 }, "a summary with the issue open");
            Assert.Equal(before.Issues.Overdue, open!.Issues.Overdue);

            // Nothing more is called: the county's own timer publishes when the deadline passes.
            var overdue = await Poll.UntilAsync(() => recorder.Counties.LastOrDefault(),
                s => s is not null && s.Issues.Overdue == before.Issues.Overdue + 1,
                $"a summary with issues.overdue {before.Issues.Overdue + 1} after the deadline {deadline:O}", TimeSpan.FromSeconds(10));
            Assert.True(overdue!.AsOf >= deadline, $"published at {overdue.AsOf:O}, before the deadline {deadline:O}");
            Assert.True(overdue.Seq > open.Seq);
            Assert.Equal(1, overdue.Issues.Open);
            Assert.Equal(1, overdue.Issues.Raised);
        }
        finally
        {
            await t.County.UnsubscribeAsync(reference);
            Client.DeleteObjectReference<ISummaryObserver>(reference);
        }
    }

    [Fact]
    public async Task The_countys_overdue_days_apply_to_its_open_issues_from_the_next_publication()
    {
        var t = await Tenant.CreateAsync(Client, "371403");
        await t.OkAsync(Of(t.CreditCode(1), employees: 20, members: 1));
        var now = DateTimeOffset.UtcNow;
        var (old, raised) = await t.County.RaiseIssueAsync(t.CreditCode(1), IssueCategory.Labour, "招工难", Tenant.Actor, now.AddDays(-20));
        await t.OkAsync(Task.FromResult(raised));
        await t.OkAsync(Task.FromResult((await t.County.RaiseIssueAsync(t.CreditCode(1), IssueCategory.Policy, "政策不清", Tenant.Actor, now.AddDays(-5))).Result));
        Assert.Equal(now.AddDays(-20), (await t.Issue(old!).GetAsync())!.OpenedAt);
        var before = await t.SummaryAsync();
        Assert.Equal((2, 0), (before.Issues.Open, before.Issues.Overdue));

        // 15 days: the issue raised 20 days ago is overdue now, the one of 5 days not.
        var profile = t.Profile();
        Assert.Equal(ChangeOutcome.Updated, (await t.County.ConfigureAsync(profile with { OverdueDays = 15 }, Tenant.Actor)).Outcome);
        var fifteen = await t.SummaryAsync();
        Assert.Equal(1, fifteen.Issues.Overdue);
        Assert.True(fifteen.Seq > before.Seq);
        // 3 days: both; back to 30: neither.
        await t.OkAsync(t.County.ConfigureAsync(profile with { OverdueDays = 3 }, Tenant.Actor));
        Assert.Equal(2, (await t.SummaryAsync()).Issues.Overdue);
        await t.OkAsync(t.County.ConfigureAsync(profile, Tenant.Actor));
        Assert.Equal(0, (await t.SummaryAsync()).Issues.Overdue);

        // A reopened issue counts from its reopening.
        await t.OkAsync(t.Issue(old!).ResolveAsync("已协调", Tenant.Actor));
        await t.OkAsync(t.Issue(old!).ReopenAsync("企业反映仍未解决", Tenant.Actor));
        Assert.True((await t.Issue(old!).GetAsync())!.OpenedAt > now);
        await t.OkAsync(t.County.ConfigureAsync(profile with { OverdueDays = 15 }, Tenant.Actor));
        Assert.Equal(0, (await t.SummaryAsync()).Issues.Overdue);
    }

    [Fact]
    public async Task A_county_profile_is_refused_by_field_and_by_who_asks()
    {
        var t = await Tenant.CreateAsync(Client, "371404");
        var profile = t.Profile();
        var refused = await t.County.ConfigureAsync(profile with { Name = "", LinkageTarget = double.NaN, OverdueDays = 366 }, Tenant.Actor);
        Tenant.AssertRefused(refused, "name");
        Tenant.AssertRefused(refused, "linkageTarget");
        Tenant.AssertRefused(refused, "overdueDays");
        Tenant.AssertRefused(await t.County.ConfigureAsync(profile with { Code = "371405" }, Tenant.Actor), "code");
        Tenant.AssertRefused(await Client.GetGrain<ICountyGrain>("371400").ConfigureAsync(profile with { Code = "371400" }, Tenant.Actor), "county");

        var shandong = new Actor("admin", Roles.ProvinceAdmin, new Scope(Scope.Province, "370000"));
        var anhui = new Actor("admin", Roles.ProvinceAdmin, new Scope(Scope.Province, "340000"));
        var committee = new Actor("committee", Roles.CountyAdmin, new Scope(Scope.County, "371404"));
        var overseer = new Actor("overseer", Roles.ProvinceOverseer, new Scope(Scope.Province, "370000"));
        foreach (var actor in new[] { anhui, committee, overseer })
            Assert.Equal(ChangeOutcome.Forbidden, (await t.County.ConfigureAsync(profile with { LinkageTarget = 0.5 }, actor)).Outcome);
        Assert.Equal(0.7, (await t.County.GetProfileAsync())!.LinkageTarget);
        Assert.Equal(ChangeOutcome.Updated, (await t.County.ConfigureAsync(profile with { LinkageTarget = 0.5 }, shandong)).Outcome);
        Assert.Equal(0.5, (await t.SummaryAsync()).Linkage.Target);
        Assert.Equal(ChangeOutcome.Created,
            (await Client.GetGrain<ICountyGrain>("371405").ConfigureAsync(profile with { Code = "371405" }, shandong)).Outcome);
    }
}
