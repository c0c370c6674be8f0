using System.Text.Json.Nodes;
using Beacon.Gateway.Security;
using Beacon.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Beacon.IntegrationTests.Browser;

/// <summary>
/// The workspace's party organisations and the people around them, as 陇西's committee uses them: the organisations
/// as a table and as their tree, an organisation's place in the tree and its meetings, a meeting recorded (a refusal
/// shown beside the input it names, then the meeting in the list); and the register of applicants, whose people only
/// the county and its stations may see.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OrganisationPagesTests(BrowserFixture fixture)
{
    private const string Longxi = BrowserFixture.Longxi;
    private static readonly string Admin = TestTokens.CountyAdmin(Longxi);
    private static readonly LocatorAssertionsToHaveCountOptions Loaded = new() { Timeout = 15_000 };

    private BeaconCluster Cluster => fixture.Cluster;

    private async Task<IPage> OpenReadyAsync(string token, string hash = "")
    {
        var page = await fixture.NewPageAsync(1440, 900);
        await page.GotoAsync(fixture.Url($"/county/{Longxi}?token={token}{hash}"));
        await Assertions.Expect(page.Locator("#workspace[data-ready=true]")).ToHaveCountAsync(1, Loaded);
        return page;
    }

    private async Task<JsonObject[]> OrganisationsAsync()
    {
        var items = new List<JsonObject>();
        for (var offset = 0; ; offset += 200)
        {
            var page = await Cluster.GetJsonAsync($"/api/counties/{Longxi}/organisations?limit=200&offset={offset}&sort=id", Admin);
            items.AddRange(page["items"]!.AsArray().Select(i => i!.AsObject()));
            if (items.Count >= page.Int("total")) return [.. items];
        }
    }

    [Fact]
    public async Task The_organisations_show_as_a_table_and_as_their_tree_with_each_child_under_its_parent()
    {
        var organisations = await OrganisationsAsync();
        Assert.NotEmpty(organisations);
        var child = organisations.First(o => o["parentId"] is not null);
        var parent = child["parentId"]!.GetValue<string>();

        var page = await OpenReadyAsync(Admin, "#organisations");
        var panel = page.Locator("section[data-register='organisations']");
        await Assertions.Expect(panel.Locator("tbody tr")).ToHaveCountAsync(Math.Min(20, organisations.Length), Loaded);
        await Assertions.Expect(page.Locator("[data-tab=organisations] .count")).ToHaveTextAsync(organisations.Length.ToString("N0"));

        await panel.Locator(".view-switch [data-view=tree]").ClickAsync();
        await Assertions.Expect(panel.Locator(".tree li[role=treeitem]")).ToHaveCountAsync(organisations.Length, Loaded);
        await Assertions.Expect(panel.Locator("table.grid")).ToBeHiddenAsync();
        var nested = panel.Locator($".tree li[data-id='{parent}'] li[data-id='{child["organisationId"]!.GetValue<string>()}']");
        await Assertions.Expect(nested).ToHaveCountAsync(1);
        // Roots are the organisations without a parent.
        var roots = organisations.Count(o => o["parentId"] is null);
        await Assertions.Expect(panel.Locator(".tree > ul > li")).ToHaveCountAsync(roots);

        // A node opens the organisation, with its parent in the chain and its children listed.
        await nested.Locator(":scope > button").ClickAsync();
        await Assertions.Expect(page.Locator($"#detail-tree .org-chain a[data-organisation='{parent}']")).ToHaveCountAsync(1, Loaded);
        await page.Locator($"#detail-tree .org-chain a[data-organisation='{parent}']").ClickAsync();
        await Assertions.Expect(page.Locator($"#detail-children a[data-organisation='{child["organisationId"]!.GetValue<string>()}']")).ToHaveCountAsync(1, Loaded);
    }

    [Fact]
    public async Task A_meeting_recorded_in_the_side_panel_is_refused_by_field_then_listed_and_kept_by_the_server()
    {
        var organisation = (await OrganisationsAsync()).First(o => o["kind"]!.GetValue<string>() == "branch");
        var id = organisation["organisationId"]!.GetValue<string>();
        var before = (await Cluster.GetJsonAsync($"/api/counties/{Longxi}/organisations/{id}/activity", Admin))["meetings"]!.AsArray().Count;
        var topic = $"学习党章 <b>{Guid.NewGuid():N}</b>";

        var page = await OpenReadyAsync(Admin, "#organisations");
        var panel = page.Locator("section[data-register='organisations']");
        await panel.Locator("[data-role=search]").FillAsync(id);
        await Assertions.Expect(panel.Locator("tbody tr")).ToHaveCountAsync(1, Loaded);
        await panel.Locator("tbody tr").First.ClickAsync();
        await page.Locator("#meeting-open").ClickAsync();
        await page.Locator("#meeting-kind").SelectOptionAsync("themedPartyDay");
        await page.Locator("#meeting-expected").FillAsync("5");
        await page.Locator("#meeting-attended").FillAsync("7");
        await page.Locator("#meeting-topic").FillAsync(topic);
        await page.Locator("#meeting-submit").ClickAsync();
        // The server's refusal, in Chinese, beside the input it names; nothing recorded.
        await Assertions.Expect(page.Locator("#err-meeting-attended")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("#err-meeting-attended")).ToContainTextAsync("应到");
        Assert.Equal(before, (await Cluster.GetJsonAsync($"/api/counties/{Longxi}/organisations/{id}/activity", Admin))["meetings"]!.AsArray().Count);

        await page.Locator("#meeting-attended").FillAsync("4");
        await page.Locator("#meeting-submit").ClickAsync();
        var row = page.Locator("#meetings-table tbody tr[data-kind=themedPartyDay]", new() { HasText = topic });
        await Assertions.Expect(row).ToHaveCountAsync(1, Loaded);
        await Assertions.Expect(row).ToContainTextAsync("4 / 5");
        await Assertions.Expect(row).ToContainTextAsync("主题党日");
        var meetings = (await Cluster.GetJsonAsync($"/api/counties/{Longxi}/organisations/{id}/activity", Admin))["meetings"]!.AsArray();
        Assert.Equal(before + 1, meetings.Count);
        Assert.Contains(meetings, m => m!["topic"]!.GetValue<string>() == topic && m["attended"]!.GetValue<int>() == 4);
    }

    [Fact]
    public async Task Applicants_are_a_tab_for_the_committee_and_station_staff_and_none_for_an_overseer()
    {
        var admin = await OpenReadyAsync(Admin);
        await Assertions.Expect(admin.Locator("[data-tab=applicants]")).ToHaveCountAsync(1);
        await admin.Locator("[data-tab=applicants]").ClickAsync();
        var total = (await Cluster.GetJsonAsync($"/api/counties/{Longxi}/applicants?limit=1", Admin)).Int("total");
        Assert.True(total > 0, "the demo has 陇西's applicants");
        await Assertions.Expect(admin.Locator("section[data-register='applicants'] tbody tr")).ToHaveCountAsync(Math.Min(20, total), Loaded);

        var overseer = Tokens.Issue(TestTokens.Options, Roles.ProvinceOverseer, Scope.Parse($"province:{BrowserFixture.Gansu}")!, "integration-test overseer");
        var page = await OpenReadyAsync(overseer);
        await Assertions.Expect(page.Locator("[data-tab=enterprises]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-tab=applicants]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("section[data-register='applicants']")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_class_recorded_in_the_trainings_tab_is_refused_by_field_then_counted_live_and_the_rating_distribution_is_shown()
    {
        var summary = await Cluster.SummaryAsync(Longxi, Admin);
        var sessions = summary.Int("training.sessions");
        var page = await OpenReadyAsync(Admin, "#trainings");

        // The instructors' ratings as the summary counts them.
        var rated = page.Locator("#summary [data-figure='assessments']");
        await Assertions.Expect(rated).ToHaveAttributeAsync("data-num", summary.Int("assessments.excellent").ToString(), new() { Timeout = 15_000 });
        var all = summary.Int("assessments.excellent") + summary.Int("assessments.competent") + summary.Int("assessments.basicallyCompetent") + summary.Int("assessments.incompetent");
        await Assertions.Expect(rated).ToHaveAttributeAsync("data-den", all.ToString());
        await Assertions.Expect(rated.Locator(".parts")).ToContainTextAsync("称职");

        var id = $"PX-{ApiTestKit.NewTag()}";
        await page.Locator("section[data-register='trainings'] [data-role=add]").ClickAsync();
        var form = page.Locator("#entry-form");
        await form.Locator("[name=trainingId]").FillAsync(id);
        await form.Locator("[name=name]").FillAsync("非公企业党支部书记培训班 <i>&</i>");
        await form.Locator("[name=kind]").SelectOptionAsync("secretaries");
        await form.Locator("[name=startsOn]").FillAsync(DateTime.UtcNow.AddYears(1).ToString("yyyy-MM-dd"));
        await form.Locator("[name=days]").FillAsync("2");
        await form.Locator("[name=hours]").FillAsync("16");
        await form.Locator("[name=attendances]").FillAsync("38");
        await page.Locator("#entry-submit").ClickAsync();
        await Assertions.Expect(form.Locator("[data-error-for=startsOn]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        (await Cluster.GetAsync($"/api/counties/{Longxi}/trainings/{id}", Admin)).Expect(System.Net.HttpStatusCode.NotFound);

        await form.Locator("[name=startsOn]").FillAsync(Beacon.Rules.Validation.Today(DateTimeOffset.UtcNow).ToString("yyyy-MM-dd"));
        await page.Locator("#entry-submit").ClickAsync();
        var row = page.Locator($"section[data-register='trainings'] tbody tr:has-text('{id}')");
        await Assertions.Expect(row).ToHaveCountAsync(1, Loaded);
        await Assertions.Expect(row).ToContainTextAsync("<i>&</i>");
        await Assertions.Expect(page.Locator("#summary [data-figure='training'] .parts")).ToContainTextAsync((sessions + 1).ToString(), new() { Timeout = 15_000 });
        var stored = (await Cluster.GetAsync($"/api/counties/{Longxi}/trainings/{id}", Admin)).Expect(System.Net.HttpStatusCode.OK).Json;
        Assert.Equal(38, stored.Int("attendances"));
        (await Cluster.SendAsync(HttpMethod.Delete, $"/api/counties/{Longxi}/trainings/{id}", Admin)).Expect(System.Net.HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task An_instructors_visits_and_assessments_and_a_stations_reports_show_in_the_side_panel_and_a_visit_is_recorded_there()
    {
        var instructor = (await Cluster.GetJsonAsync($"/api/counties/{Longxi}/instructors?station=LX-01&limit=1&sort=id", Admin))["items"]![0]!;
        var id = instructor["instructorId"]!.GetValue<string>();
        var activity = await Cluster.GetJsonAsync($"/api/counties/{Longxi}/instructors/{id}/activity", Admin);
        var assessments = activity["assessments"]!.AsArray().Count;
        Assert.True(assessments > 0, "the demo rates its instructors by an annual assessment");
        var visits = activity["visits"]!.AsArray().Count;
        var enterprise = (await Cluster.GetJsonAsync($"/api/counties/{Longxi}/enterprises?station=LX-01&limit=1", Admin))["items"]![0]!["creditCode"]!.GetValue<string>();
        var note = $"走访了解用工 <b>{ApiTestKit.NewTag()}</b> & 融资";

        var page = await OpenReadyAsync(Admin, "#instructors");
        var panel = page.Locator("section[data-register='instructors']");
        await panel.Locator("[data-role=search]").FillAsync(id);
        await Assertions.Expect(panel.Locator("tbody tr")).ToHaveCountAsync(1, Loaded);
        await panel.Locator("tbody tr").First.ClickAsync();
        await Assertions.Expect(page.Locator("#assessments-table tbody tr")).ToHaveCountAsync(assessments, Loaded);
        await Assertions.Expect(page.Locator("#assessments-table")).ToContainTextAsync("年度考核");

        // A visit to an enterprise that is not the county's is refused beside the input it names.
        await page.Locator("#visit-open").ClickAsync();
        await page.Locator("#visit-creditCode").FillAsync(TestEnterprises.NewCreditCode(Longxi));
        await page.Locator("#visit-note").FillAsync(note);
        await page.Locator("#visit-submit").ClickAsync();
        await Assertions.Expect(page.Locator("#err-visit-creditCode")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        Assert.Equal(visits, (await Cluster.GetJsonAsync($"/api/counties/{Longxi}/instructors/{id}/activity", Admin))["visits"]!.AsArray().Count);

        await page.Locator("#visit-creditCode").FillAsync(enterprise);
        await page.Locator("#visit-submit").ClickAsync();
        var row = page.Locator("#visits-table tbody tr", new() { HasText = note });
        await Assertions.Expect(row).ToHaveCountAsync(1, Loaded);
        await Assertions.Expect(row).ToContainTextAsync(enterprise);
        Assert.Equal(visits + 1, (await Cluster.GetJsonAsync($"/api/counties/{Longxi}/instructors/{id}/activity", Admin))["visits"]!.AsArray().Count);

        // A station's reports and meetings as its activity holds them; an overseer reads them and is offered no form.
        var station = await Cluster.GetJsonAsync($"/api/counties/{Longxi}/stations/LX-01/activity", Admin);
        var overseer = Tokens.Issue(TestTokens.Options, Roles.ProvinceOverseer, Scope.Parse($"province:{BrowserFixture.Gansu}")!, "integration-test overseer");
        var read = await OpenReadyAsync(overseer, "#stations");
        await read.Locator("section[data-register='stations'] tbody tr", new() { HasText = "LX-01" }).First.ClickAsync();
        await Assertions.Expect(read.Locator("#detail-reports")).ToHaveCountAsync(1, Loaded);
        var reports = station["reports"]!.AsArray().Count;
        if (reports > 0) await Assertions.Expect(read.Locator("#reports-table tbody tr")).ToHaveCountAsync(reports);
        else await Assertions.Expect(read.Locator("#detail-reports .muted")).ToHaveCountAsync(1);
        await Assertions.Expect(read.Locator("#station-report-open")).ToHaveCountAsync(0);
        await Assertions.Expect(read.Locator("#station-meeting-open")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_to_do_lists_a_new_stations_missing_report_and_drops_it_live_once_the_report_is_sent()
    {
        var station = $"TW-{Guid.NewGuid():N}"[..12];
        (await Cluster.PostAsync($"/api/counties/{Longxi}/stations", Admin, new JsonObject
        {
            ["stationId"] = station, ["name"] = $"待办页面测试站{station[^4..]}", ["townships"] = new JsonArray($"待办页面镇{station[^6..]}"),
        })).Expect(System.Net.HttpStatusCode.Created);
        var page = await OpenReadyAsync(Admin);
        var item = page.Locator($"#todo-list li[data-kind=stationReportMissing][data-id='{station}']");
        // The list shows the latest first and the rest on request.
        await Assertions.Expect(page.Locator("#todo-list li[data-kind]").First).ToBeVisibleAsync(new() { Timeout = 15_000 });
        if (await page.Locator("#todo-more").IsVisibleAsync()) await page.Locator("#todo-more").ClickAsync();
        await Assertions.Expect(item).ToHaveCountAsync(1, Loaded);
        await Assertions.Expect(item).ToContainTextAsync("未报送");
        await Assertions.Expect(item).ToContainTextAsync("超期");

        // Opening it shows the station in the side panel.
        await item.Locator("a").ClickAsync();
        await Assertions.Expect(page.Locator($"#detail[data-register=stations][data-id='{station}']")).ToBeVisibleAsync(new() { Timeout = 15_000 });

        var month = DateTime.UtcNow.AddHours(8).AddMonths(-1).ToString("yyyy-MM");
        (await Cluster.PostAsync($"/api/counties/{Longxi}/stations/{station}/reports", Admin,
            new JsonObject { ["month"] = month, ["summary"] = "走访企业", ["issuesForCounty"] = new JsonArray() })).Expect(System.Net.HttpStatusCode.Created);
        // Gone without a reload: the live summary moved and the list was read again.
        await Assertions.Expect(page.Locator($"#todo-list li[data-kind=stationReportMissing][data-id='{station}']")).ToHaveCountAsync(0, Loaded);
        await Assertions.Expect(page.Locator($"#todo-list li[data-kind=stationMeetingMissing][data-id='{station}']")).ToHaveCountAsync(1, Loaded);
        (await Cluster.SendAsync(HttpMethod.Delete, $"/api/counties/{Longxi}/stations/{station}", Admin)).Expect(System.Net.HttpStatusCode.NoContent);
    }
}
