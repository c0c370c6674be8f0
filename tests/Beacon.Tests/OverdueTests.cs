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
}
