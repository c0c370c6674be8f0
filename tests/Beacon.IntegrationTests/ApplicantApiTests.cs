using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Beacon.IntegrationTests.Infrastructure;
using static Beacon.IntegrationTests.Infrastructure.InMemoryClusterFixture;

namespace Beacon.IntegrationTests;

/// <summary>
/// Applicants (发展党员) through the real gateway and silo, in 陇西县: the path's dates refused naming the field, the
/// steps overdue and the development figures in the summary, who reads the people (the committee and the hosting
/// station only; an overseer the counts), and a roster of applicants imported from a workbook written by openpyxl.
/// </summary>
[Collection(InMemoryClusterCollection.Name)]
public sealed class ApplicantApiTests(InMemoryClusterFixture fixture)
{
    private BeaconCluster Cluster => fixture.Cluster;
    private static readonly string Admin = TestTokens.CountyAdmin(Longxi);
    private static string Api => $"/api/counties/{Longxi}";
    private static string Applicants => $"{Api}/applicants";
    private static string Fresh(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];
    private static string Day(int daysAgo) => TestApplicants.DaysAgo(daysAgo);

    /// <summary>A branch of station LX-01 (陇西经济开发区指导站), which develops the test's applicants there.</summary>
    private async Task<string> StationBranchAsync(string station = "LX-01")
    {
        var id = Fresh("FZB");
        (await Cluster.PostAsync($"{Api}/organisations", Admin, TestOrganisations.New(id, $"测试发展支部{id[^4..]}", stationId: station))).Expect(HttpStatusCode.Created);
        return id;
    }

    private async Task<string> StationAsync()
    {
        var id = Fresh("FZS");
        (await Cluster.PostAsync($"{Api}/stations", Admin, new JsonObject
        {
            ["stationId"] = id, ["name"] = $"测试指导站{id[^4..]}", ["townships"] = new JsonArray($"测试镇{id[^6..]}"),
        })).Expect(HttpStatusCode.Created);
        return id;
    }

    private async Task<JsonObject> DevelopmentAsync() => (await Cluster.SummaryAsync(Longxi, Admin))["development"]!.AsObject();

    private static string Staff(string station) => Caller.Of(Roles.StationStaff, $"county:{Longxi}", "applicant-staff", station).Token;

    [Fact]
    public async Task An_applicant_is_created_read_and_its_refused_dates_name_the_field_in_either_language()
    {
        var branch = await StationBranchAsync();
        var id = Fresh("FZ");
        var body = TestApplicants.New(id, branch, "LX-01", appliedDaysAgo: 60);
        body["talkedOn"] = Day(20); // 40 days after the application
        var late = (await Cluster.PostAsync(Applicants, Admin, body)).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["talkedOn"], late.ErrorFields);
        Assert.Contains("30 天内", late.Body);
        using (var request = new HttpRequestMessage(HttpMethod.Post, Applicants) { Content = JsonContent(body) })
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Admin);
            request.Headers.AcceptLanguage.ParseAdd("en");
            using var english = await Cluster.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, english.StatusCode);
            Assert.Contains("within 30 days of the application", await english.Content.ReadAsStringAsync());
        }
        (await Cluster.GetAsync($"{Applicants}/{id}", Admin)).Expect(HttpStatusCode.NotFound);

        // No step without the one before, and none in the future.
        var skipped = TestApplicants.New(id, branch, "LX-01", appliedDaysAgo: 60);
        skipped["candidateOn"] = Day(1);
        Assert.Equal(["candidateOn"], (await Cluster.PostAsync(Applicants, Admin, skipped)).Expect(HttpStatusCode.BadRequest).ErrorFields);
        var future = TestApplicants.New(id, branch, "LX-01", appliedDaysAgo: -2);
        Assert.Contains("不能晚于今天", (await Cluster.PostAsync(Applicants, Admin, future)).Expect(HttpStatusCode.BadRequest).Body);
        var young = TestApplicants.New(id, branch, "LX-01", birthYear: DateTime.UtcNow.Year - 10);
        Assert.Equal(["birthYear"], (await Cluster.PostAsync(Applicants, Admin, young)).Expect(HttpStatusCode.BadRequest).ErrorFields);

        // The station branch's applicants are its station's: the station named, and the right one.
        var unnamed = (await Cluster.PostAsync(Applicants, Admin, TestApplicants.New(id, branch, null))).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["organisationId"], unnamed.ErrorFields);
        Assert.Contains("LX-01", unnamed.Body);
        var other = await StationAsync();
        Assert.Equal(["organisationId"], (await Cluster.PostAsync(Applicants, Admin, TestApplicants.New(id, branch, other))).Expect(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Equal(["organisationId"], (await Cluster.PostAsync(Applicants, Admin, TestApplicants.New(id, "NO-SUCH-ORG", "LX-01"))).Expect(HttpStatusCode.BadRequest).ErrorFields);

        body["talkedOn"] = Day(45);
        (await Cluster.PostAsync(Applicants, Admin, body)).Expect(HttpStatusCode.Created);
        var read = (await Cluster.GetAsync($"{Applicants}/{id}", Admin)).Expect(HttpStatusCode.OK).Object;
        Assert.Equal((Day(60), Day(45), "female"), (read["appliedOn"]!.GetValue<string>(), read["talkedOn"]!.GetValue<string>(), read["gender"]!.GetValue<string>()));
        var listed = await Cluster.GetJsonAsync($"{Applicants}?organisation={branch}&stage=applicant", Admin);
        Assert.Equal([id], listed["items"]!.AsArray().Select(a => a!["applicantId"]!.GetValue<string>()));
        // An organisation developing someone is not removed from under them.
        Assert.Equal(["organisationId"], (await Cluster.SendAsync(HttpMethod.Delete, $"{Api}/organisations/{branch}", Admin)).Expect(HttpStatusCode.BadRequest).ErrorFields);
    }

    private static StringContent JsonContent(JsonNode body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");

    [Fact]
    public async Task Steps_overdue_and_the_development_figures_move_in_the_summary()
    {
        var branch = await StationBranchAsync();
        var before = await DevelopmentAsync();
        Assert.Equal(DateTime.UtcNow.AddHours(8).Year, before.Int("year"));

        // Applied 40 days ago and no talk yet: overdue.
        var waiting = Fresh("FZW");
        (await Cluster.PostAsync(Applicants, Admin, TestApplicants.New(waiting, branch, "LX-01", appliedDaysAgo: 40))).Expect(HttpStatusCode.Created);
        var d = await DevelopmentAsync();
        Assert.Equal((before.Int("applicants") + 1, before.Int("overdue") + 1), (d.Int("applicants"), d.Int("overdue")));

        // The talk held in time, and made an activist: no longer overdue.
        var talked = TestApplicants.New(waiting, branch, "LX-01", appliedDaysAgo: 40);
        talked["talkedOn"] = Day(30);
        talked["activistOn"] = Day(10);
        (await Cluster.PutAsync($"{Applicants}/{waiting}", Admin, talked)).Expect(HttpStatusCode.OK);
        d = await DevelopmentAsync();
        Assert.Equal((before.Int("applicants"), before.Int("activists") + 1, before.Int("overdue")), (d.Int("applicants"), d.Int("activists"), d.Int("overdue")));

        // Received as probationary 400 days ago: the probation ended, full membership undecided, overdue.
        var probationary = Fresh("FZP");
        var path = TestApplicants.New(probationary, branch, "LX-01", appliedDaysAgo: 1000, birthYear: 1990);
        path["talkedOn"] = Day(990);
        path["activistOn"] = Day(900);
        path["candidateOn"] = Day(500);
        path["probationaryOn"] = Day(400);
        (await Cluster.PostAsync(Applicants, Admin, path)).Expect(HttpStatusCode.Created);
        d = await DevelopmentAsync();
        Assert.Equal((before.Int("probationary") + 1, before.Int("overdue") + 1), (d.Int("probationary"), d.Int("overdue")));

        // Full too early is refused naming the field; with an extension of six months the probation has not ended yet.
        path["fullOn"] = Day(100);
        path["extendedMonths"] = 6;
        Assert.Equal(["fullOn"], (await Cluster.PutAsync($"{Applicants}/{probationary}", Admin, path)).Expect(HttpStatusCode.BadRequest).ErrorFields);
        path.Remove("fullOn");
        (await Cluster.PutAsync($"{Applicants}/{probationary}", Admin, path)).Expect(HttpStatusCode.OK);
        Assert.Equal(before.Int("overdue"), (await DevelopmentAsync()).Int("overdue"));
        path["extendedMonths"] = 13;
        Assert.Equal(["extendedMonths"], (await Cluster.PutAsync($"{Applicants}/{probationary}", Admin, path)).Expect(HttpStatusCode.BadRequest).ErrorFields);

        // Full today, a year after the probation began: a new full member this year, one fewer probationary.
        path.Remove("extendedMonths");
        path["fullOn"] = Day(0);
        (await Cluster.PutAsync($"{Applicants}/{probationary}", Admin, path)).Expect(HttpStatusCode.OK);
        d = await DevelopmentAsync();
        Assert.Equal((before.Int("probationary"), before.Int("newFullThisYear") + 1, before.Int("overdue")),
            (d.Int("probationary"), d.Int("newFullThisYear"), d.Int("overdue")));

        // A candidate received today: a new probationary member this year.
        var candidate = Fresh("FZC");
        var c = TestApplicants.New(candidate, branch, "LX-01", appliedDaysAgo: 600, birthYear: 1992);
        c["talkedOn"] = Day(590);
        c["activistOn"] = Day(500);
        c["candidateOn"] = Day(100);
        (await Cluster.PostAsync(Applicants, Admin, c)).Expect(HttpStatusCode.Created);
        Assert.Equal(before.Int("candidates") + 1, (await DevelopmentAsync()).Int("candidates"));
        c["probationaryOn"] = Day(0);
        (await Cluster.PutAsync($"{Applicants}/{candidate}", Admin, c)).Expect(HttpStatusCode.OK);
        d = await DevelopmentAsync();
        Assert.Equal((before.Int("candidates"), before.Int("probationary") + 1, before.Int("newProbationaryThisYear") + 1),
            (d.Int("candidates"), d.Int("probationary"), d.Int("newProbationaryThisYear")));

        // Removed, they count no more; the reconcile finds the figures as the applicants report them.
        foreach (var id in new[] { waiting, probationary, candidate })
            (await Cluster.SendAsync(HttpMethod.Delete, $"{Applicants}/{id}", Admin)).Expect(HttpStatusCode.NoContent);
        d = await DevelopmentAsync();
        foreach (var key in new[] { "applicants", "activists", "candidates", "probationary", "overdue" })
            Assert.Equal(before.Int(key), d.Int(key));
        (await Cluster.PostAsync($"{Api}/reconcile", Admin)).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_overseer_reads_the_counts_but_no_applicant_and_station_staff_only_their_stations()
    {
        var branch = await StationBranchAsync();
        var id = Fresh("FZO");
        (await Cluster.PostAsync(Applicants, Admin, TestApplicants.New(id, branch, "LX-01", name: "王秘密"))).Expect(HttpStatusCode.Created);

        foreach (var overseer in new[] { TestTokens.Overseer(Gansu), TestTokens.PrefectureOverseer("621100") })
        {
            foreach (var path in new[] { Applicants, $"{Applicants}/{id}", $"{Applicants}/{id}/history", $"{Api}/applicants.xlsx" })
            {
                var refused = (await Cluster.GetAsync(path, overseer)).Expect(HttpStatusCode.Forbidden);
                Assert.DoesNotContain("王秘密", refused.Body);
            }
            var summary = await Cluster.SummaryAsync(Longxi, overseer);
            Assert.True(summary.Int("development.applicants") >= 1);
            // The template holds no one: anyone who reads the county may fetch it.
            (await Cluster.GetAsync($"{Api}/applicants/template.xlsx", overseer)).Expect(HttpStatusCode.OK);
        }

        var home = Staff("LX-01");
        (await Cluster.GetAsync($"{Applicants}/{id}", home)).Expect(HttpStatusCode.OK);
        (await Cluster.GetAsync($"{Applicants}/{id}/history", home)).Expect(HttpStatusCode.OK);
        Assert.Contains(id, (await Cluster.GetJsonAsync($"{Applicants}?q={id}", home))["items"]!.AsArray().Select(a => a!["applicantId"]!.GetValue<string>()));

        var station = await StationAsync();
        var stranger = Staff(station);
        (await Cluster.GetAsync($"{Applicants}/{id}", stranger)).Expect(HttpStatusCode.Forbidden);
        (await Cluster.GetAsync($"{Applicants}/{id}/history", stranger)).Expect(HttpStatusCode.Forbidden);
        // The list and the export are held to the caller's station, whatever station it asks for.
        Assert.Equal(0, (await Cluster.GetJsonAsync($"{Applicants}?q={id}", stranger)).Int("total"));
        Assert.Equal(0, (await Cluster.GetJsonAsync($"{Applicants}?station=LX-01", stranger)).Int("total"));
        (await Cluster.GetAsync($"{Api}/applicants.xlsx", stranger)).Expect(HttpStatusCode.OK);
        // Nor does it change them, or create one for another station.
        var renamed = TestApplicants.New(id, branch, "LX-01", name: "改名");
        (await Cluster.PutAsync($"{Applicants}/{id}", stranger, renamed)).Expect(HttpStatusCode.Forbidden);
        (await Cluster.SendAsync(HttpMethod.Delete, $"{Applicants}/{id}", stranger)).Expect(HttpStatusCode.Forbidden);
        (await Cluster.PostAsync(Applicants, stranger, TestApplicants.New(Fresh("FZX"), branch, "LX-01"))).Expect(HttpStatusCode.Forbidden);
        // The home station's staff do.
        (await Cluster.PutAsync($"{Applicants}/{id}", home, renamed)).Expect(HttpStatusCode.OK);
        Assert.Equal("改名", (await Cluster.GetAsync($"{Applicants}/{id}", Admin)).Expect(HttpStatusCode.OK).Object["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_roster_of_applicants_is_imported_from_a_workbook_with_the_national_systems_headers()
    {
        var branch = await StationBranchAsync();
        var (a, b, c) = (Fresh("FZI"), Fresh("FZI"), Fresh("FZI"));
        // 入党时间 is the national system's name for the day received as probationary; dates as Excel dates and as text.
        var file = OpenPyxl.Write($"""
            ws = wb.active
            ws.title = "发展党员"
            ws["A1"] = "陇西县发展党员名册"
            ws.append([])
            ws.append(["编号", "姓名", "性别", "出生年份", "党组织编号", "指导站编号", "申请入党日期", "谈话日期", "确定为入党积极分子日期", "列为发展对象时间", "入党时间", "延长预备期（月）", "转正日期"])
            ws.append([{OpenPyxl.Str(a)}, "李导入", "男", 1994, {OpenPyxl.Str(branch)}, "LX-01", datetime.date.fromisoformat({OpenPyxl.Str(Day(50))}), {OpenPyxl.Str(Day(40))}, None, None, None, None, None])
            ws.append([{OpenPyxl.Str(b)}, "赵导入", "女", "1990", {OpenPyxl.Str(branch)}, "LX-01", {OpenPyxl.Str(Day(900))}, {OpenPyxl.Str(Day(890))}, {OpenPyxl.Str(Day(800))}, {OpenPyxl.Str(Day(400))}, {OpenPyxl.Str(Day(300))}, None, None])
            ws.append([{OpenPyxl.Str(c)}, "钱导入", "女", 1995, {OpenPyxl.Str(branch)}, "LX-01", {OpenPyxl.Str(Day(90))}, {OpenPyxl.Str(Day(10))}, None, None, None, None, None])
            """);
        var form = new MultipartFormDataContent();
        form.Add(new StringContent("applicants"), "register");
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        form.Add(content, "file", "发展党员.xlsx");
        var preview = (await Cluster.SendAsync(HttpMethod.Post, $"{Api}/imports", Admin, form)).Expect(HttpStatusCode.Created).Json;
        Assert.Equal(2, preview.Int("creates"));
        var refused = Assert.Single(preview["errors"]!.AsArray());
        Assert.Equal((6, "谈话日期", "talkedOn"), (refused!["row"]!.GetValue<int>(), refused["column"]!.GetValue<string>(), refused["field"]!.GetValue<string>()));
        Assert.Contains("30 天内", refused["message"]!.GetValue<string>());

        // An overseer imports no one.
        var overseerForm = new MultipartFormDataContent { { new StringContent("applicants"), "register" }, { new ByteArrayContent(file), "file", "x.xlsx" } };
        (await Cluster.SendAsync(HttpMethod.Post, $"{Api}/imports", TestTokens.Overseer(Gansu), overseerForm)).Expect(HttpStatusCode.Forbidden);

        var id = preview["id"]!.GetValue<string>();
        var before = await DevelopmentAsync();
        (await Cluster.PostAsync($"{Api}/imports/{id}/apply", Admin)).Expect(HttpStatusCode.Accepted);
        var clock = Stopwatch.StartNew();
        while ((await Cluster.GetAsync($"{Api}/imports/{id}", Admin)).Expect(HttpStatusCode.OK).Json["state"]!.GetValue<string>() != "applied")
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "not applied within 60 s");
            await Task.Delay(100);
        }
        var imported = (await Cluster.GetAsync($"{Applicants}/{b}", Admin)).Expect(HttpStatusCode.OK).Object;
        Assert.Equal((Day(300), "female", 1990), (imported["probationaryOn"]!.GetValue<string>(), imported["gender"]!.GetValue<string>(), imported["birthYear"]!.GetValue<int>()));
        (await Cluster.GetAsync($"{Applicants}/{c}", Admin)).Expect(HttpStatusCode.NotFound);
        var after = await DevelopmentAsync();
        Assert.Equal((before.Int("applicants") + 1, before.Int("probationary") + 1), (after.Int("applicants"), after.Int("probationary")));
    }
}
