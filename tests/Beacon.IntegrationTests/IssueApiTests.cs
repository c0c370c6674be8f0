using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Beacon.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using static Beacon.IntegrationTests.Infrastructure.InMemoryClusterFixture;

namespace Beacon.IntegrationTests;

/// <summary>
/// Issues from raised to reopened through the real gateway: each step in the issue's history with who and when, and
/// the county's and the station's issue figures following every step, over HTTP and live on the hub.
/// </summary>
[Collection(InMemoryClusterCollection.Name)]
public sealed class IssueApiTests(InMemoryClusterFixture fixture)
{
    private BeaconCluster Cluster => fixture.Cluster;
    private static string Route(string what) => $"/api/counties/{Longxi}/{what}";

    /// <summary>The issue figures one step should leave: the county's, and the station's row.</summary>
    private sealed record Figures(int Raised, int Open, int Escalated, int Resolved, int StationOpen, int StationResolved)
    {
        public static Figures Of(JsonObject summary, string station)
        {
            var issues = summary["issues"]!;
            var row = summary.Station(station);
            return new(issues.Int("raised"), issues.Int("open"), issues.Int("escalated"), issues.Int("resolved"),
                row.Int("issuesOpen"), row.Int("issuesResolved"));
        }

        public bool Matches(JsonElement live, string station) =>
            live.TryGetProperty("county", out var county) && county.GetString() == Longxi &&
            live.ToObject() is var s && s.StationRow(station) is not null && Of(s, station) == this;
    }

    private async Task<(JsonObject Issue, DateTimeOffset From, DateTimeOffset To)> StepAsync(Caller who, string path, JsonObject body, HttpStatusCode status)
    {
        var from = DateTimeOffset.UtcNow;
        var answer = (await Cluster.PostAsync(path, who.Token, body)).Expect(status).Object;
        return (answer, from, DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task An_issue_goes_from_raised_to_reopened_with_history_and_figures_following_every_step_live()
    {
        var who = Caller.Admin(Longxi, "issue-life");
        var tag = ApiTestKit.NewTag();
        var station = $"T{tag}-S";
        (await Cluster.PostAsync(Route("stations"), who.Token,
            new JsonObject { ["stationId"] = station, ["name"] = $"测{tag}站", ["townships"] = new JsonArray($"{tag}甲镇") })).Expect(HttpStatusCode.Created);
        var code = TestEnterprises.NewCreditCode(Longxi);
        (await Cluster.PostAsync(Route("enterprises"), who.Token, TestEnterprises.New(code, $"测{tag}企业"))).Expect(HttpStatusCode.Created);

        await using var screen = await LiveTests.Screen.ConnectAsync(Cluster, who.Token);
        await screen.Connection.InvokeAsync("Subscribe", $"county:{Longxi}");
        await screen.NextAsync(s => s.TryGetProperty("county", out var c) && c.GetString() == Longxi, "the snapshot of county 621122");
        var start = Figures.Of(await Cluster.SummaryAsync(Longxi, who.Token), station);
        Assert.Equal((0, 0), (start.StationOpen, start.StationResolved));

        async Task Expect(Figures expected, string step)
        {
            var http = Figures.Of(await Cluster.SummaryAsync(Longxi, who.Token), station);
            Assert.True(http == expected, $"after {step}: GET summary has {http}, expected {expected}");
            await screen.NextAsync(s => expected.Matches(s, station), $"a live summary after {step} with {expected}");
        }

        // Raise: 201 with the issue, open, deadline 30 days on.
        var raisedFrom = DateTimeOffset.UtcNow;
        var raiseAnswer = (await Cluster.PostAsync(Route("issues"), who.Token,
            new JsonObject { ["creditCode"] = code, ["category"] = "financing", ["text"] = "贷款审批周期长，流动资金紧张" })).Expect(HttpStatusCode.Created);
        var raised = raiseAnswer.Object;
        var id = (string)raised["id"]!;
        Assert.False(string.IsNullOrEmpty(id), raiseAnswer.Body);
        Assert.Equal("open", (string?)raised["state"]);
        Assert.Equal(code, (string?)raised["creditCode"]);
        var raisedAt = raised["raisedAt"]!.Time();
        Assert.InRange(raisedAt, raisedFrom.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(raisedAt.AddDays(30), raised["deadline"]!.Time());
        var steps = new List<(string Action, DateTimeOffset From, DateTimeOffset To)> { ("raise", raisedFrom, DateTimeOffset.UtcNow) };
        var expected = start with { Raised = start.Raised + 1, Open = start.Open + 1 };
        await Expect(expected, "raise");

        var issue = Route($"issues/{id}");
        var (assigned, f1, t1) = await StepAsync(who, $"{issue}/assign", new JsonObject { ["stationId"] = station }, HttpStatusCode.OK);
        Assert.Equal(station, (string?)assigned["stationId"]);
        Assert.Equal("open", (string?)assigned["state"]);
        steps.Add(("assign", f1, t1));
        expected = expected with { StationOpen = 1 };
        await Expect(expected, "assign");

        var (escalated, f2, t2) = await StepAsync(who, $"{issue}/escalate", new JsonObject { ["reason"] = "指导站无法协调，报县委非公工委" }, HttpStatusCode.OK);
        Assert.Equal("escalated", (string?)escalated["state"]);
        steps.Add(("escalate", f2, t2));
        expected = expected with { Escalated = start.Escalated + 1 };
        await Expect(expected, "escalate");

        var (resolved, f3, t3) = await StepAsync(who, $"{issue}/resolve", new JsonObject { ["resolution"] = "协调银行开通绿色通道，已放款" }, HttpStatusCode.OK);
        Assert.Equal("resolved", (string?)resolved["state"]);
        Assert.InRange(resolved["resolvedAt"]!.Time(), f3.AddSeconds(-1), t3.AddSeconds(1));
        steps.Add(("resolve", f3, t3));
        expected = expected with { Open = start.Open, Escalated = start.Escalated, Resolved = start.Resolved + 1, StationOpen = 0, StationResolved = 1 };
        await Expect(expected, "resolve");

        var (reopened, f4, t4) = await StepAsync(who, $"{issue}/reopen", new JsonObject { ["reason"] = "资金仍未到位" }, HttpStatusCode.OK);
        Assert.Equal("open", (string?)reopened["state"]);
        Assert.Null(reopened["resolvedAt"]);
        steps.Add(("reopen", f4, t4));
        expected = expected with { Open = start.Open + 1, Resolved = start.Resolved, StationOpen = 1, StationResolved = 0 };
        await Expect(expected, "reopen");

        // The history: every step, in order, by the token's subject, at a time within the request.
        var history = (await Cluster.GetAsync($"{issue}/history", who.Token)).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Equal(steps.Select(s => s.Action), history.Select(h => (string?)h!["action"]));
        for (var i = 0; i < steps.Count; i++)
        {
            Assert.Equal(who.By, (string?)history[i]!["by"]);
            Assert.InRange(history[i]!["at"]!.Time(), steps[i].From.AddSeconds(-1), steps[i].To.AddSeconds(1));
        }
        Assert.Equal(station, (string?)history[1]!["stationId"]);
        Assert.Equal("协调银行开通绿色通道，已放款", (string?)history[3]!["text"]);
        var stored = await Cluster.GetJsonAsync(issue, who.Token);
        Assert.Equal(5, stored["history"]!.AsArray().Count);
        Assert.Equal(5, stored["version"]!.GetValue<long>());
        // Reopened, it has a new deadline 30 days from the reopening.
        Assert.Equal(history[4]!["at"]!.Time().AddDays(30), stored["deadline"]!.Time());
        Assert.Equal(raisedAt, stored["raisedAt"]!.Time());

        // Invalid transitions are 400 naming state, and change nothing.
        (await Cluster.PostAsync($"{issue}/reopen", who.Token, new JsonObject { ["reason"] = "再次" })).ExpectError(HttpStatusCode.BadRequest, "state");
        await StepAsync(who, $"{issue}/resolve", new JsonObject { ["resolution"] = "已放款到账" }, HttpStatusCode.OK);
        var afterResolve = Figures.Of(await Cluster.SummaryAsync(Longxi, who.Token), station);
        (await Cluster.PostAsync($"{issue}/escalate", who.Token, new JsonObject { ["reason"] = "再次上报" })).ExpectError(HttpStatusCode.BadRequest, "state");
        (await Cluster.PostAsync($"{issue}/resolve", who.Token, new JsonObject { ["resolution"] = "再次解决" })).ExpectError(HttpStatusCode.BadRequest, "state");
        Assert.Equal(afterResolve, Figures.Of(await Cluster.SummaryAsync(Longxi, who.Token), station));
        Assert.Equal(6, (await Cluster.GetJsonAsync(issue, who.Token))["history"]!.AsArray().Count);

        // The list finds it by station and state.
        var listed = await Cluster.GetJsonAsync($"{Route("issues")}?station={station}&state=resolved", who.Token);
        Assert.Equal(1, listed.Page("id").Total);
        Assert.Equal([id], listed.Page("id").Ids);
    }

    [Fact]
    public async Task Overdue_counts_the_open_issues_already_past_their_deadline_in_the_demo_data()
    {
        var who = Caller.Admin(Longxi, "issue-overdue");
        var summary = await Cluster.SummaryAsync(Longxi, who.Token);
        var overdue = summary["issues"]!.Int("overdue");
        Assert.True(overdue > 0, $"county 621122's demo data has open issues past their deadline, but overdue is {overdue}");
        var asOf = summary["asOf"]!.Time();

        // Count them from the issues themselves: open or escalated, deadline passed when the summary was made.
        var pastDeadline = 0;
        var open = 0;
        foreach (var state in new[] { "open", "escalated" })
        {
            for (var offset = 0; ; offset += 200)
            {
                var page = await Cluster.GetJsonAsync($"{Route("issues")}?state={state}&limit=200&offset={offset}", who.Token);
                var items = page["items"]!.AsArray();
                foreach (var item in items)
                {
                    open++;
                    var deadline = item!["deadline"]!.Time();
                    Assert.True(item["raisedAt"]!.Time().AddDays(30) <= deadline, item.ToJsonString());
                    if (deadline < asOf) pastDeadline++;
                }
                if (offset + items.Count >= page["total"]!.GetValue<int>()) break;
            }
        }
        Assert.Equal(summary["issues"]!.Int("open"), open);
        Assert.Equal(pastDeadline, overdue);
    }
}
