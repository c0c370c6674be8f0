using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Beacon.IntegrationTests.Infrastructure;
using static Beacon.IntegrationTests.Infrastructure.InMemoryClusterFixture;

namespace Beacon.IntegrationTests;

/// <summary>
/// The activity that lived only in the API, with its figures, through the real gateway in 陇西县 (issue 18): stations'
/// monthly reports and their revisions, last month's meetings and reports, the 6–10 full-time flag, sub-stations,
/// organisations' annual evaluations, and the rating an annual assessment gives.
/// </summary>
[Collection(InMemoryClusterCollection.Name)]
public sealed class StationActivityTests(InMemoryClusterFixture fixture)
{
    private BeaconCluster Cluster => fixture.Cluster;
    private static readonly string Admin = TestTokens.CountyAdmin(Longxi);
    private static string Api => $"/api/counties/{Longxi}";

    private static DateOnly ChinaToday => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
    private static DateOnly LastMonth => new DateOnly(ChinaToday.Year, ChinaToday.Month, 1).AddMonths(-1);

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..16].ToUpperInvariant();

    /// <summary>A station of its own township, so that no other test's station claims it.</summary>
    private async Task<string> StationAsync(string? parent = null, JsonObject? premises = null)
    {
        var id = NewId("SW");
        var body = new JsonObject { ["stationId"] = id, ["name"] = $"陇西县测试指导站{id[^4..]}", ["townships"] = new JsonArray($"测试镇{id}") };
        if (parent is not null) body["parentStationId"] = parent;
        if (premises is not null) body["premises"] = premises;
        (await Cluster.PostAsync($"{Api}/stations", Admin, body)).Expect(HttpStatusCode.Created);
        return id;
    }

    private static JsonObject Report(string month, string summary, params string[] issues) =>
        new() { ["month"] = month, ["summary"] = summary, ["issuesForCounty"] = new JsonArray([.. issues.Select(i => (JsonNode)i)]) };

    private static JsonObject Meeting(DateOnly date, string kind = "staffMeeting") =>
        new() { ["date"] = date.ToString("yyyy-MM-dd"), ["kind"] = kind, ["attendees"] = 8, ["topic"] = "月度工作例会" };

    private async Task<HttpResponseMessage> SendEnglishAsync(string path, JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Admin);
        request.Headers.AcceptLanguage.ParseAdd("en");
        return await Cluster.Http.SendAsync(request);
    }

    [Fact]
    public async Task A_second_report_for_the_month_is_a_revision_and_the_first_is_kept_in_the_activity()
    {
        var station = await StationAsync();
        var path = $"{Api}/stations/{station}/reports";
        var month = LastMonth.ToString("yyyy-MM");
        Assert.Equal(1, (await Cluster.PostAsync(path, Admin, Report(month, "第一稿：走访企业12家"))).Expect(HttpStatusCode.Created).Object.Int("count"));
        var staff = Caller.Of(Roles.StationStaff, $"county:{Longxi}", "report-staff", station).Token;
        Assert.Equal(1, (await Cluster.PostAsync(path, staff, Report(month, "修订稿：走访企业14家"))).Expect(HttpStatusCode.OK).Object.Int("count"));
        (await Cluster.PostAsync(path, Admin, Report(month, "第三稿：走访企业15家"))).Expect(HttpStatusCode.OK);

        var activity = (await Cluster.GetAsync($"{Api}/stations/{station}/activity", Admin)).Expect(HttpStatusCode.OK).Object;
        var report = Assert.Single(activity["reports"]!.AsArray())!;
        Assert.Equal(("第三稿：走访企业15家", 3), ((string)report["summary"]!, report.Int("revision")));
        Assert.NotNull(report["submittedAt"]);
        var revisions = activity["revisions"]!.AsArray();
        Assert.Equal(["修订稿：走访企业14家", "第一稿：走访企业12家"], revisions.Select(r => (string)r!["summary"]!));
        Assert.Equal([2, 1], revisions.Select(r => r!.Int("revision")));
        Assert.Contains("report-staff", (string)revisions[0]!["submittedBy"]!);

        // Each version in the station's history, beside its creation, with what the revision changed.
        var history = (await Cluster.GetAsync($"{Api}/stations/{station}/history", Admin)).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Equal(["create", "report", "revise report", "revise report"], history.Select(h => (string)h!["action"]!));
        var change = Assert.Single(history[2]!["changes"]!.AsArray())!;
        Assert.Equal(($"reports.{month}.summary", "第一稿：走访企业12家", "修订稿：走访企业14家"),
            ((string)change["field"]!, (string)change["before"]!, (string)change["after"]!));
        Assert.Equal(2, history[2]!.Int("revision"));

        // A revision counts once: the station sent last month's report.
        Assert.True((await Cluster.SummaryAsync(Longxi, Admin)).Station(station)["sentReport"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_report_naming_an_issue_the_county_does_not_hold_is_refused_by_its_field_and_changes_nothing()
    {
        var station = await StationAsync();
        var code = TestEnterprises.NewCreditCode(Longxi);
        var enterprise = TestEnterprises.New(code, $"陇西县月报测试企业{code[^6..]}");
        (await Cluster.PostAsync($"{Api}/enterprises", Admin, enterprise)).Expect(HttpStatusCode.Created);
        var issue = (string)(await Cluster.PostAsync($"{Api}/issues", Admin,
            new JsonObject { ["creditCode"] = code, ["category"] = "financing", ["text"] = "流动资金紧张" })).Expect(HttpStatusCode.Created).Object["id"]!;
        var path = $"{Api}/stations/{station}/reports";
        var month = LastMonth.ToString("yyyy-MM");

        var refused = (await Cluster.PostAsync(path, Admin, Report(month, "月报", issue, "NO-SUCH-ISSUE"))).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["issuesForCounty[1]"], refused.ErrorFields);
        Assert.Contains("问题台账中没有问题“NO-SUCH-ISSUE”", refused.Body);
        var english = await SendEnglishAsync(path, Report(month, "月报", "NO-SUCH-ISSUE"));
        Assert.Equal(HttpStatusCode.BadRequest, english.StatusCode);
        Assert.Contains("is not in the issues register", await english.Content.ReadAsStringAsync());
        (await Cluster.PostAsync(path, Admin, Report(month, "月报", issue, issue))).ExpectError(HttpStatusCode.BadRequest, "issuesForCounty");
        Assert.Empty((await Cluster.GetJsonAsync($"{Api}/stations/{station}/activity", Admin))["reports"]!.AsArray());
        Assert.False((await Cluster.SummaryAsync(Longxi, Admin)).Station(station)["sentReport"]!.GetValue<bool>());

        (await Cluster.PostAsync(path, Admin, Report(month, "月报", issue))).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Last_months_meetings_and_reports_are_counted_per_station_and_for_the_county()
    {
        var before = (await Cluster.SummaryAsync(Longxi, Admin))["stationWork"]!;
        Assert.Equal(LastMonth.ToString("yyyy-MM"), (string)before["month"]!);
        var met = await StationAsync();
        var reported = await StationAsync();
        // A 主题党日 is not the monthly meeting, this month's 例会 is next month's figure, and a report for this month too.
        (await Cluster.PostAsync($"{Api}/stations/{met}/meetings", Admin, Meeting(LastMonth.AddDays(5)))).Expect(HttpStatusCode.Created);
        (await Cluster.PostAsync($"{Api}/stations/{reported}/meetings", Admin, Meeting(LastMonth.AddDays(5), "themedPartyDay"))).Expect(HttpStatusCode.Created);
        (await Cluster.PostAsync($"{Api}/stations/{reported}/meetings", Admin, Meeting(ChinaToday))).Expect(HttpStatusCode.Created);
        (await Cluster.PostAsync($"{Api}/stations/{reported}/reports", Admin, Report(LastMonth.ToString("yyyy-MM"), "上月月报"))).Expect(HttpStatusCode.Created);
        (await Cluster.PostAsync($"{Api}/stations/{met}/reports", Admin, Report(ChinaToday.ToString("yyyy-MM"), "本月月报"))).Expect(HttpStatusCode.Created);

        var summary = await Cluster.SummaryAsync(Longxi, Admin);
        var after = summary["stationWork"]!;
        Assert.Equal(before.Int("stations") + 2, after.Int("stations"));
        Assert.Equal(summary.Int("stations"), after.Int("stations"));
        Assert.Equal(before.Int("heldMeeting") + 1, after.Int("heldMeeting"));
        Assert.Equal(before.Int("sentReport") + 1, after.Int("sentReport"));
        Assert.Equal(Math.Round((double)after.Int("heldMeeting") / after.Int("stations"), 4), after.Double("meetingRate"), 4);
        Assert.Equal(Math.Round((double)after.Int("sentReport") / after.Int("stations"), 4), after.Double("reportRate"), 4);
        Assert.Equal((true, false), (summary.Station(met)["heldMeeting"]!.GetValue<bool>(), summary.Station(met)["sentReport"]!.GetValue<bool>()));
        Assert.Equal((false, true), (summary.Station(reported)["heldMeeting"]!.GetValue<bool>(), summary.Station(reported)["sentReport"]!.GetValue<bool>()));

        var reconcile = (await Cluster.PostAsync($"{Api}/reconcile", Admin)).Expect(HttpStatusCode.OK).Object;
        Assert.DoesNotContain(reconcile["differences"]!.AsArray(), d => d!["figure"]!.GetValue<string>().StartsWith("station", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_station_with_fewer_than_6_or_more_than_10_full_time_instructors_is_flagged()
    {
        var station = await StationAsync();
        var before = await Cluster.SummaryAsync(Longxi, Admin);
        Assert.True(before.Station(station)["strengthOutsideRange"]!.GetValue<bool>());
        var outside = before.Int("stationWork.outsideStrength");

        async Task HireAsync(int n)
        {
            for (var k = 0; k < n; k++)
                (await Cluster.PostAsync($"{Api}/instructors", Admin, new JsonObject
                {
                    ["instructorId"] = NewId("IN"), ["name"] = "专职指导员", ["fullTime"] = true, ["stationId"] = station, ["dutyDaysPerWeek"] = 5,
                })).Expect(HttpStatusCode.Created);
        }
        async Task<(bool Flag, int County, int FullTime)> NowAsync()
        {
            var s = await Cluster.SummaryAsync(Longxi, Admin);
            return (s.Station(station)["strengthOutsideRange"]!.GetValue<bool>(), s.Int("stationWork.outsideStrength"), s.Station(station).Int("fullTimeInstructors"));
        }

        await HireAsync(5);
        Assert.Equal((true, outside, 5), await NowAsync());
        await HireAsync(1);
        Assert.Equal((false, outside - 1, 6), await NowAsync());
        await HireAsync(4);
        Assert.Equal((false, outside - 1, 10), await NowAsync());
        await HireAsync(1);
        Assert.Equal((true, outside, 11), await NowAsync());
    }

    [Fact]
    public async Task A_sub_station_hangs_under_a_station_that_is_not_one_and_a_cycle_is_refused_by_its_field()
    {
        var main = await StationAsync();
        var sub = await StationAsync(parent: main, premises: new JsonObject { ["areaM2"] = 120.5, ["funds"] = 3.5 });
        var read = await Cluster.GetJsonAsync($"{Api}/stations/{sub}", Admin);
        Assert.Equal(main, (string)read["parentStationId"]!);
        Assert.Equal((120.5, 3.5), (read.Double("premises.areaM2"), read.Double("premises.funds")));
        Assert.Equal(main, (string)(await Cluster.SummaryAsync(Longxi, Admin)).Station(sub)["parentStationId"]!);

        var cycle = await Cluster.PutAsync($"{Api}/stations/{main}", Admin, new JsonObject
        {
            ["stationId"] = main, ["name"] = "成环的指导站", ["townships"] = new JsonArray($"测试镇{main}"), ["parentStationId"] = sub,
        });
        cycle.Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["parentStationId"], cycle.ErrorFields);
        var third = NewId("SW");
        var twoLevels = await Cluster.PostAsync($"{Api}/stations", Admin, new JsonObject
        {
            ["stationId"] = third, ["name"] = "分站的分站", ["townships"] = new JsonArray($"测试镇{third}"), ["parentStationId"] = sub,
        });
        Assert.Equal(["parentStationId"], twoLevels.Expect(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Contains("分站", twoLevels.Body);
        var badPremises = await Cluster.PostAsync($"{Api}/stations", Admin, new JsonObject
        {
            ["stationId"] = third, ["name"] = "阵地有误", ["townships"] = new JsonArray($"测试镇{third}"), ["premises"] = new JsonObject { ["areaM2"] = -3, ["funds"] = 2 },
        });
        Assert.Equal(["premises.areaM2"], badPremises.Expect(HttpStatusCode.BadRequest).ErrorFields);
        // The parent is not removed from under its sub-station.
        (await Cluster.SendAsync(HttpMethod.Delete, $"{Api}/stations/{main}", Admin)).ExpectError(HttpStatusCode.BadRequest, "stationId");
    }

    [Fact]
    public async Task Evaluations_by_the_committee_give_the_good_share_of_the_latest_year_and_a_revision_moves_the_counts()
    {
        var year = ChinaToday.Year;
        var before = (await Cluster.SummaryAsync(Longxi, Admin))["evaluations"]!;
        // This year is the latest any organisation of 陇西 is evaluated in (the demo's are last year's).
        var (good, fairly, average, poor) = before["year"]?.GetValue<int>() == year
            ? (before.Int("good"), before.Int("fairlyGood"), before.Int("average"), before.Int("poor"))
            : (0, 0, 0, 0);
        var ids = new List<string>();
        for (var k = 0; k < 4; k++)
        {
            var id = NewId("EV");
            (await Cluster.PostAsync($"{Api}/organisations", Admin, TestOrganisations.New(id, $"陇西县评定测试党支部{id[^4..]}", stationId: "LX-01"))).Expect(HttpStatusCode.Created);
            ids.Add(id);
        }
        var ratings = new[] { "good", "fairlyGood", "fairlyGood", "average" };
        for (var k = 0; k < 4; k++)
            Assert.Equal(1, (await Cluster.PostAsync($"{Api}/organisations/{ids[k]}/evaluations", Admin,
                new JsonObject { ["year"] = year, ["rating"] = ratings[k] })).Expect(HttpStatusCode.Created).Object.Int("count"));

        async Task ExpectAsync(int g, int f, int a, int p)
        {
            var e = (await Cluster.SummaryAsync(Longxi, Admin))["evaluations"]!;
            Assert.Equal((year, g, f, a, p, g + f + a + p), (e.Int("year"), e.Int("good"), e.Int("fairlyGood"), e.Int("average"), e.Int("poor"), e.Int("evaluated")));
            Assert.Equal(Math.Round((double)g / (g + f + a + p), 4), e.Double("goodShare"), 4);
        }
        await ExpectAsync(good + 1, fairly + 2, average + 1, poor);

        // The year's second evaluation is its revision: 200, one more good, one fewer average, the first kept.
        (await Cluster.PostAsync($"{Api}/organisations/{ids[3]}/evaluations", Admin,
            new JsonObject { ["year"] = year, ["rating"] = "good", ["note"] = "复核后改评" })).Expect(HttpStatusCode.OK);
        await ExpectAsync(good + 2, fairly + 2, average, poor);
        var activity = await Cluster.GetJsonAsync($"{Api}/organisations/{ids[3]}/activity", Admin);
        var evaluation = Assert.Single(activity["evaluations"]!.AsArray())!;
        Assert.Equal(("good", 2, "复核后改评"), ((string)evaluation["rating"]!, evaluation.Int("revision"), (string)evaluation["note"]!));
        Assert.Equal("average", (string)Assert.Single(activity["evaluationRevisions"]!.AsArray())!["rating"]!);

        // An earlier year is kept, and does not count in this year's figure.
        (await Cluster.PostAsync($"{Api}/organisations/{ids[0]}/evaluations", Admin, new JsonObject { ["year"] = year - 1, ["rating"] = "poor" })).Expect(HttpStatusCode.Created);
        await ExpectAsync(good + 2, fairly + 2, average, poor);

        // Refused by field, in Chinese; only the committee evaluates.
        var path = $"{Api}/organisations/{ids[1]}/evaluations";
        var future = await Cluster.PostAsync(path, Admin, new JsonObject { ["year"] = year + 1, ["rating"] = "good" });
        Assert.Equal(["year"], future.Expect(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Contains("不能晚于今年", future.Body);
        Assert.Equal(["rating"], (await Cluster.PostAsync(path, Admin, new JsonObject { ["year"] = year, ["rating"] = "excellent" })).Expect(HttpStatusCode.BadRequest).ErrorFields);
        var staff = Caller.Of(Roles.StationStaff, $"county:{Longxi}", "evaluation-staff", "LX-01").Token;
        (await Cluster.PostAsync(path, staff, new JsonObject { ["year"] = year, ["rating"] = "good" })).Expect(HttpStatusCode.Forbidden);
        (await Cluster.PostAsync(path, TestTokens.CountyAdmin(Qingshui), new JsonObject { ["year"] = year, ["rating"] = "good" })).Expect(HttpStatusCode.Forbidden);
        (await Cluster.PostAsync($"{Api}/organisations/NO-SUCH-ORG/evaluations", Admin, new JsonObject { ["year"] = year, ["rating"] = "good" })).Expect(HttpStatusCode.NotFound);
        await ExpectAsync(good + 2, fairly + 2, average, poor);

        var reconcile = (await Cluster.PostAsync($"{Api}/reconcile", Admin)).Expect(HttpStatusCode.OK).Object;
        Assert.DoesNotContain(reconcile["differences"]!.AsArray(), d => d!["figure"]!.GetValue<string>().StartsWith("evaluations", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_annual_assessment_moves_the_instructor_between_grades_and_an_earlier_years_does_not_move_it_back()
    {
        var id = NewId("AS");
        (await Cluster.PostAsync($"{Api}/instructors", Admin, new JsonObject { ["instructorId"] = id, ["name"] = "考核计数指导员", ["fullTime"] = true }))
            .Expect(HttpStatusCode.Created);
        var path = $"{Api}/instructors/{id}/assessments";
        async Task<(int, int, int, int)> CountsAsync()
        {
            var s = await Cluster.SummaryAsync(Longxi, Admin);
            return (s.Int("assessments.excellent"), s.Int("assessments.competent"), s.Int("assessments.basicallyCompetent"), s.Int("assessments.incompetent"));
        }
        JsonObject Assessment(string kind, string period, string rating) => new() { ["kind"] = kind, ["period"] = period, ["score"] = 80, ["rating"] = rating };

        var (e, c, b, i) = await CountsAsync();
        Assert.Equal(1, (await Cluster.PostAsync(path, Admin, Assessment("annual", "2025", "excellent"))).Expect(HttpStatusCode.Created).Object.Int("count"));
        Assert.Equal((e + 1, c, b, i), await CountsAsync());
        // Daily assessments are evidence, not a grade.
        (await Cluster.PostAsync(path, Admin, Assessment("daily", "2026-03", "incompetent"))).Expect(HttpStatusCode.Created);
        Assert.Equal((e + 1, c, b, i), await CountsAsync());
        // 2024's entered afterwards: the county still counts the instructor excellent, for 2025.
        Assert.Equal(3, (await Cluster.PostAsync(path, Admin, Assessment("annual", "2024", "basicallyCompetent"))).Expect(HttpStatusCode.Created).Object.Int("count"));
        Assert.Equal((e + 1, c, b, i), await CountsAsync());
        Assert.Equal("excellent", (string)(await Cluster.GetJsonAsync($"{Api}/instructors/{id}", Admin))["rating"]!);
        // 2025's corrected: moved, not added.
        (await Cluster.PostAsync(path, Admin, Assessment("annual", "2025", "competent"))).Expect(HttpStatusCode.Created);
        Assert.Equal((e, c + 1, b, i), await CountsAsync());
        Assert.Equal(4, (await Cluster.GetJsonAsync($"{Api}/instructors/{id}/activity", Admin))["assessments"]!.AsArray().Count);
    }
}
