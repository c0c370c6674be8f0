using System.Net;
using System.Text.Json.Nodes;
using Beacon.Gateway.Security;
using Beacon.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Beacon.IntegrationTests.Browser;

/// <summary>
/// The county workspace (/county/621122) as the county committee of 陇西县 uses it: the registers as tables that page,
/// search and sort; forms that show the server's refusals next to the input they name; the live figures on top; issues
/// raised, escalated and resolved with their steps. Whatever a test adds to the register it removes again, so the
/// other pages' tests still see the demo figures (135 of 733 covered).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class WorkspaceTests(BrowserFixture fixture)
{
    private const string Longxi = BrowserFixture.Longxi;
    private const string Qingshui = BrowserFixture.Qingshui;
    /// <summary>For what waits on the server or the live feed (a busy machine answers slower than Playwright's 5 s).</summary>
    private static readonly LocatorAssertionsToHaveAttributeOptions Live = new() { Timeout = 15_000 };
    private static readonly LocatorAssertionsToBeVisibleOptions Shown = new() { Timeout = 15_000 };
    private static readonly string Admin = TestTokens.CountyAdmin(Longxi);

    private BeaconCluster Cluster => fixture.Cluster;
    private static string Api(string path) => $"/api/counties/{Longxi}/{path}";

    private async Task<IPage> OpenAsync(string token, string county = Longxi, string hash = "")
    {
        var page = await fixture.NewPageAsync(1440, 900);
        await page.GotoAsync(fixture.Url($"/county/{county}?token={token}{hash}"));
        return page;
    }

    private async Task<IPage> OpenReadyAsync(string token = "", string hash = "")
    {
        var page = await OpenAsync(token.Length == 0 ? Admin : token, Longxi, hash);
        await Assertions.Expect(page.Locator("#workspace[data-ready=true]")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        return page;
    }

    private static ILocator Panel(IPage page, string register) => page.Locator($"section[data-register='{register}']");
    private static ILocator Rows(IPage page, string register) => Panel(page, register).Locator("tbody tr");
    private static ILocator Range(IPage page, string register) => Panel(page, register).Locator("[data-role=range]");
    private static ILocator Figure(IPage page, string key) => page.Locator($"#summary [data-figure='{key}']");

    private static Task<string[]> RowIdsAsync(IPage page, string register) =>
        Rows(page, register).EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)");

    private async Task<(int Total, string[] Ids)> ApiPageAsync(string register, string query, string idField = "creditCode") =>
        (await Cluster.GetJsonAsync(Api($"{register}?{query}"), Admin)).Page(idField);

    private async Task<int> RegisteredAsync() => (await Cluster.SummaryAsync(Longxi, Admin)).Int("registered");

    /// <summary>Waits until the table shows exactly these rows, in this order.</summary>
    private static async Task ExpectRowsAsync(IPage page, string register, string[] ids)
    {
        await Assertions.Expect(Rows(page, register)).ToHaveCountAsync(ids.Length);
        await Assertions.Expect(Rows(page, register).First).ToHaveAttributeAsync("data-id", ids[0]);
        await Assertions.Expect(Rows(page, register).Last).ToHaveAttributeAsync("data-id", ids[^1]);
        Assert.Equal(ids, await RowIdsAsync(page, register));
    }

    [Fact]
    public async Task The_enterprise_table_shows_the_demo_enterprises_and_pages_searches_sorts_and_filters()
    {
        var page = await OpenReadyAsync();

        // The first page, sorted by name, exactly as the API has it, with the whole register's total.
        var (total, first) = await ApiPageAsync("enterprises", "limit=20&sort=name");
        Assert.True(total >= 733, $"陇西 has 733 enterprises in its base, the API lists {total}");
        await ExpectRowsAsync(page, "enterprises", first);
        await Assertions.Expect(Range(page, "enterprises")).ToHaveAttributeAsync("data-total", total.ToString());
        await Assertions.Expect(Range(page, "enterprises")).ToContainTextAsync($"共 {total:N0} 条");
        await Assertions.Expect(Panel(page, "enterprises").Locator("th[data-sort=name]")).ToHaveAttributeAsync("aria-sort", "ascending");
        await Assertions.Expect(Figure(page, "registered")).ToHaveAttributeAsync("data-value", (await RegisteredAsync()).ToString());
        await Assertions.Expect(Figure(page, "orgCoverage").Locator(".ratio")).ToHaveTextAsync("135 / 733");
        await Assertions.Expect(page.Locator("#scope-who")).ToContainTextAsync($"county:{Longxi}");
        await Assertions.Expect(page.Locator("#county-title")).ToContainTextAsync("陇西县");
        await BrowserFixture.ScreenshotAsync(page, "workspace");

        // Next page, then the last.
        await Panel(page, "enterprises").Locator("button[data-page=next]").ClickAsync();
        await ExpectRowsAsync(page, "enterprises", (await ApiPageAsync("enterprises", "limit=20&offset=20&sort=name")).Ids);
        await Assertions.Expect(Range(page, "enterprises")).ToHaveAttributeAsync("data-first", "21");
        await Panel(page, "enterprises").Locator("button[data-page=last]").ClickAsync();
        var lastOffset = (total - 1) / 20 * 20;
        await ExpectRowsAsync(page, "enterprises", (await ApiPageAsync("enterprises", $"limit=20&offset={lastOffset}&sort=name")).Ids);
        await Assertions.Expect(Panel(page, "enterprises").Locator("button[data-page=next]")).ToBeDisabledAsync();

        // A name prefix goes back to the first page of what matches.
        await Panel(page, "enterprises").Locator("input[data-role=search]").FillAsync("陇西万隆");
        var (matching, byName) = await ApiPageAsync("enterprises", $"limit=20&sort=name&q={Uri.EscapeDataString("陇西万隆")}");
        Assert.InRange(matching, 1, total - 1);
        await Assertions.Expect(Range(page, "enterprises")).ToHaveAttributeAsync("data-total", matching.ToString());
        await ExpectRowsAsync(page, "enterprises", byName);
        foreach (var name in await Rows(page, "enterprises").Locator("td[data-col=name]").AllTextContentsAsync())
            Assert.StartsWith("陇西万隆", name);

        // An id prefix finds the one enterprise.
        var someone = first[3];
        await Panel(page, "enterprises").Locator("input[data-role=search]").FillAsync(someone);
        await ExpectRowsAsync(page, "enterprises", [someone]);

        // Sorting by id, descending on the second click.
        await Panel(page, "enterprises").Locator("input[data-role=search]").FillAsync("");
        await Assertions.Expect(Range(page, "enterprises")).ToHaveAttributeAsync("data-total", total.ToString());
        await Panel(page, "enterprises").Locator("th[data-sort=id] button").ClickAsync();
        await ExpectRowsAsync(page, "enterprises", (await ApiPageAsync("enterprises", "limit=20&sort=id")).Ids);
        await Panel(page, "enterprises").Locator("th[data-sort=id] button").ClickAsync();
        await Assertions.Expect(Panel(page, "enterprises").Locator("th[data-sort=id]")).ToHaveAttributeAsync("aria-sort", "descending");
        await ExpectRowsAsync(page, "enterprises", (await ApiPageAsync("enterprises", "limit=20&sort=-id")).Ids);

        // Filters: the station, the formation mode, and in or out of the base.
        await Panel(page, "enterprises").Locator("select[data-filter=station]").SelectOptionAsync("LX-01");
        await Panel(page, "enterprises").Locator("select[data-filter=mode]").SelectOptionAsync("joint");
        var (joint, jointIds) = await ApiPageAsync("enterprises", "limit=20&sort=-id&station=LX-01&mode=joint");
        Assert.True(joint > 0);
        await Assertions.Expect(Range(page, "enterprises")).ToHaveAttributeAsync("data-total", joint.ToString());
        await ExpectRowsAsync(page, "enterprises", jointIds);
        await Panel(page, "enterprises").Locator("select[data-filter=station]").SelectOptionAsync("");
        await Panel(page, "enterprises").Locator("select[data-filter=mode]").SelectOptionAsync("");
        await Panel(page, "enterprises").Locator("select[data-filter=inBase]").SelectOptionAsync("false");
        var (outside, _) = await ApiPageAsync("enterprises", "limit=20&inBase=false");
        await Assertions.Expect(Range(page, "enterprises")).ToHaveAttributeAsync("data-total", outside.ToString());

        // The other registers are tables too: groups filtered by station, instructors of 陇西.
        await page.Locator("[data-tab=groups]").ClickAsync();
        await ExpectRowsAsync(page, "groups", ["LX-01-G1", "LX-01-G2", "LX-01-G3"]);
        await page.Locator("[data-tab=instructors]").ClickAsync();
        await Panel(page, "instructors").Locator("th[data-sort=id] button").ClickAsync();
        await Assertions.Expect(Rows(page, "instructors").First).ToHaveAttributeAsync("data-id", "T0001");
    }

    [Fact]
    public async Task A_bad_credit_code_is_shown_next_to_its_input_and_nothing_is_created()
    {
        var registered = await RegisteredAsync();
        var page = await OpenReadyAsync();
        var bad = TestEnterprises.WithWrongCheck(TestEnterprises.NewCreditCode(Longxi));

        await Panel(page, "enterprises").Locator("[data-role=add]").ClickAsync();
        var form = page.Locator("#entry-form");
        await form.Locator("[name=creditCode]").FillAsync(bad);
        await form.Locator("[name=name]").FillAsync("陇西校验码测试有限公司");
        await form.Locator("[name=kind]").SelectOptionAsync("enterprise");
        await form.Locator("[name=employees]").FillAsync("25");
        await form.Locator("[name=partyMembers]").FillAsync("1");
        await form.Locator("[name='organisation.mode']").SelectOptionAsync("none");
        await form.Locator("[name=stationId]").SelectOptionAsync("LX-01");
        await page.Locator("#entry-submit").ClickAsync();

        // The refusal sits under the credit code input, which is marked invalid; the dialog stays open with the input.
        var error = form.Locator(".field[data-field=creditCode] [data-error-for=creditCode]");
        await Assertions.Expect(error).ToBeVisibleAsync(Shown);
        await Assertions.Expect(error).ToContainTextAsync("校验码");
        await Assertions.Expect(form.Locator("[name=creditCode]")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(form.Locator("[name=creditCode]")).ToHaveValueAsync(bad);
        await Assertions.Expect(form.Locator("[data-error-for=name]")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#entry-dialog")).ToHaveAttributeAsync("open", "");
        await BrowserFixture.ScreenshotAsync(page, "workspace-form-error");

        // Nothing was created: not under that code, not under its first 17 characters, and the count is the same.
        (await Cluster.GetAsync(Api($"enterprises/{bad}"), Admin)).Expect(HttpStatusCode.NotFound);
        Assert.Equal(0, (await ApiPageAsync("enterprises", $"q={bad[..17]}")).Total);
        Assert.Equal(registered, await RegisteredAsync());
        await Assertions.Expect(Figure(page, "registered")).ToHaveAttributeAsync("data-value", registered.ToString());

        // A second refusal names two inputs at once: a standalone organisation needs three members.
        await form.Locator("[name=creditCode]").FillAsync(TestEnterprises.NewCreditCode(Longxi));
        await form.Locator("[name='organisation.mode']").SelectOptionAsync("standalone");
        await page.Locator("#entry-submit").ClickAsync();
        await Assertions.Expect(form.Locator(".field[data-field='organisation.mode'] [data-error-for='organisation.mode']")).ToContainTextAsync("至少 3 名党员");
        await Assertions.Expect(form.Locator("[data-error-for=creditCode]")).ToBeHiddenAsync();
        Assert.Equal(registered, await RegisteredAsync());
    }

    [Fact]
    public async Task A_valid_form_creates_the_enterprise_the_live_summary_counts_it_and_edit_and_delete_keep_its_history()
    {
        var registered = await RegisteredAsync();
        var code = TestEnterprises.NewCreditCode(Longxi);
        var name = $"陇西工作台测试{ApiTestKit.NewTag()}有限公司";
        var page = await OpenReadyAsync();
        await Assertions.Expect(Figure(page, "registered")).ToHaveAttributeAsync("data-value", registered.ToString());
        try
        {
            await Panel(page, "enterprises").Locator("[data-role=add]").ClickAsync();
            var form = page.Locator("#entry-form");
            await form.Locator("[name=creditCode]").FillAsync(code);
            await form.Locator("[name=name]").FillAsync(name);
            await form.Locator("[name=kind]").SelectOptionAsync("socialOrganisation");
            await form.Locator("[name=industry]").FillAsync("中药材加工");
            await form.Locator("[name=township]").FillAsync("巩昌镇");
            await form.Locator("[name=employees]").FillAsync("40");
            await form.Locator("[name=partyMembers]").FillAsync("3");
            await form.Locator("[name='organisation.mode']").SelectOptionAsync("standalone");
            // Out of the base, so that the demo figures other pages check (135 of 733) stay as they are.
            await form.Locator("[name=inBase]").UncheckAsync();
            await form.Locator("[name=exclusionReason]").FillAsync("新近迁入，尚未实体运营");
            await form.Locator("[name=stationId]").SelectOptionAsync("LX-01");
            await form.Locator("[name=groupId]").SelectOptionAsync("LX-01-G1");
            await page.Locator("#entry-submit").ClickAsync();

            // The figures at the top move by themselves: the county publishes, the page is subscribed.
            await Assertions.Expect(page.Locator("#entry-dialog")).Not.ToHaveAttributeAsync("open", "");
            await Assertions.Expect(Figure(page, "registered")).ToHaveAttributeAsync("data-value", (registered + 1).ToString(), Live);
            await Assertions.Expect(page.Locator("#detail")).ToHaveAttributeAsync("data-id", code, Live);
            await Assertions.Expect(page.Locator("#detail-history li[data-action=create]")).ToHaveCountAsync(1);

            var saved = (await Cluster.GetAsync(Api($"enterprises/{code}"), Admin)).Expect(HttpStatusCode.OK).Object;
            Assert.Equal(name, (string)saved["name"]!);
            Assert.Equal("socialOrganisation", (string)saved["kind"]!);
            Assert.Equal("standalone", (string)saved["organisation"]!["mode"]!);
            Assert.Equal("LX-01-G1", (string)saved["groupId"]!);
            Assert.False((bool)saved["inBase"]!);
            Assert.Equal(0, (int)saved["demonstrationPosts"]!);
            Assert.Null(saved["location"]);

            // Edit: the id cannot change, the change lands in the history as before → after, with who.
            await page.Locator("#detail-edit").ClickAsync();
            await Assertions.Expect(form.Locator("[name=creditCode]")).ToHaveAttributeAsync("readonly", "");
            await Assertions.Expect(form.Locator("[name=employees]")).ToHaveValueAsync("40");
            await Assertions.Expect(form.Locator("[name=groupId]")).ToHaveValueAsync("LX-01-G1");
            await form.Locator("[name=employees]").FillAsync("45");
            await page.Locator("#entry-submit").ClickAsync();
            var update = page.Locator("#detail-history li[data-action=update]");
            await Assertions.Expect(update).ToHaveCountAsync(1);
            await Assertions.Expect(update.Locator("tr[data-field=employees] .before")).ToHaveTextAsync("40");
            await Assertions.Expect(update.Locator("tr[data-field=employees] .after")).ToHaveTextAsync("45");
            await Assertions.Expect(update).ToContainTextAsync("integration-test county-admin");
            Assert.Equal(45, (int)(await Cluster.GetAsync(Api($"enterprises/{code}"), Admin)).Object["employees"]!);

            // Delete asks first; cancelling keeps it, confirming removes it and the count goes back.
            await page.Locator("#detail-delete").ClickAsync();
            await page.Locator("#confirm-no").ClickAsync();
            (await Cluster.GetAsync(Api($"enterprises/{code}"), Admin)).Expect(HttpStatusCode.OK);
            await page.Locator("#detail-delete").ClickAsync();
            await Assertions.Expect(page.Locator("#confirm-text")).ToContainTextAsync(name);
            await page.Locator("#confirm-yes").ClickAsync();
            await Assertions.Expect(page.Locator("#detail")).ToBeHiddenAsync();
            await Assertions.Expect(Figure(page, "registered")).ToHaveAttributeAsync("data-value", registered.ToString(), Live);
            (await Cluster.GetAsync(Api($"enterprises/{code}"), Admin)).Expect(HttpStatusCode.NotFound);
        }
        finally
        {
            await Cluster.DeleteAsync(Api($"enterprises/{code}"), Admin);
        }
    }

    [Fact]
    public async Task Raising_escalating_and_resolving_an_issue_through_the_page_updates_the_table_and_its_steps()
    {
        var (_, enterprises) = await ApiPageAsync("enterprises", "limit=1&station=LX-01&sort=id");
        var enterprise = enterprises[0];
        var text = $"工作台测试：企业反映用电增容审批慢 {ApiTestKit.NewTag()}";
        var page = await OpenReadyAsync(hash: "#issues");
        await Assertions.Expect(page.Locator("[data-tab=issues]")).ToHaveAttributeAsync("aria-selected", "true");
        await Assertions.Expect(Rows(page, "issues").First).ToBeVisibleAsync();

        await Panel(page, "issues").Locator("[data-role=add]").ClickAsync();
        var form = page.Locator("#entry-form");
        await form.Locator("[name=creditCode]").FillAsync(enterprise);
        await form.Locator("[name=category]").SelectOptionAsync("policy");
        await form.Locator("[name=text]").FillAsync(text);
        await page.Locator("#entry-submit").ClickAsync();

        // The new issue opens in the panel with its one step, and heads the table (newest first).
        var detail = page.Locator("#detail");
        await Assertions.Expect(detail).ToHaveAttributeAsync("data-register", "issues", Live);
        await Assertions.Expect(page.Locator("#issue-state")).ToHaveAttributeAsync("data-state", "open", Live);
        var id = await detail.GetAttributeAsync("data-id");
        Assert.NotNull(id);
        await Assertions.Expect(Rows(page, "issues").First).ToHaveAttributeAsync("data-id", id!, Live);
        await Assertions.Expect(Rows(page, "issues").First.Locator("[data-state]")).ToHaveAttributeAsync("data-state", "open");
        await Assertions.Expect(page.Locator("#detail-history li")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#detail-history li[data-action=raise]")).ToContainTextAsync(text);
        await Assertions.Expect(page.Locator("#detail-history li[data-action=raise]")).ToContainTextAsync("integration-test county-admin");
        await Assertions.Expect(page.Locator("#issue-actions [data-action=reopen]")).ToHaveCountAsync(0);

        // Escalate: it is the county committee's now, and cannot be escalated again.
        await page.Locator("#issue-actions [data-action=escalate]").ClickAsync();
        await page.Locator("#issue-action-input").FillAsync("涉及供电公司，指导站无法协调");
        await page.Locator("#issue-action-submit").ClickAsync();
        await Assertions.Expect(page.Locator("#issue-state")).ToHaveAttributeAsync("data-state", "escalated", Live);
        await Assertions.Expect(page.Locator("#issue-actions [data-action=escalate]")).ToHaveCountAsync(0);
        await Assertions.Expect(Panel(page, "issues").Locator($"tr[data-id='{id}'] [data-state]")).ToHaveAttributeAsync("data-state", "escalated");

        // Resolve: an empty resolution is refused on the page, then the real one goes through.
        await page.Locator("#issue-actions [data-action=resolve]").ClickAsync();
        await page.Locator("#issue-action-submit").ClickAsync();
        await Assertions.Expect(page.Locator("#issue-action-form [data-error-for=resolution]")).ToBeVisibleAsync();
        await page.Locator("#issue-action-input").FillAsync("县委协调供电公司，已完成增容");
        await page.Locator("#issue-action-submit").ClickAsync();
        await Assertions.Expect(page.Locator("#issue-state")).ToHaveAttributeAsync("data-state", "resolved", Live);
        await Assertions.Expect(page.Locator("#detail-history li")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("#detail-history li").First).ToHaveAttributeAsync("data-action", "resolve");
        await Assertions.Expect(page.Locator("#detail-history li[data-action=resolve]")).ToContainTextAsync("县委协调供电公司，已完成增容");
        await Assertions.Expect(page.Locator("#issue-actions button")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#issue-actions [data-action=reopen]")).ToBeVisibleAsync();
        await Assertions.Expect(Panel(page, "issues").Locator($"tr[data-id='{id}'] [data-state]")).ToHaveAttributeAsync("data-state", "resolved");

        // The table's state filter finds it among the resolved ones.
        await Panel(page, "issues").Locator("select[data-filter=state]").SelectOptionAsync("resolved");
        await Assertions.Expect(Rows(page, "issues").First).ToHaveAttributeAsync("data-id", id!);

        var issue = (await Cluster.GetAsync(Api($"issues/{id}"), Admin)).Expect(HttpStatusCode.OK).Object;
        Assert.Equal("resolved", (string)issue["state"]!);
        Assert.Equal(["raise", "escalate", "resolve"], issue["history"]!.AsArray().Select(s => (string)s!["action"]!).ToArray());
        Assert.All(issue["history"]!.AsArray(), s => Assert.StartsWith("integration-test county-admin", (string)s!["by"]!));
    }

    [Fact]
    public async Task Another_countys_committee_sees_a_forbidden_message_and_no_register_data()
    {
        var page = await fixture.NewPageAsync(1440, 900);
        var registerCalls = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains($"/api/counties/{Longxi}/") && !request.Url.EndsWith("/summary")) registerCalls.Add(request.Url);
        };
        await page.GotoAsync(fixture.Url($"/county/{Longxi}?token={TestTokens.CountyAdmin(Qingshui)}"));

        var refusal = page.Locator("#forbidden");
        await Assertions.Expect(refusal).ToBeVisibleAsync(Shown);
        await Assertions.Expect(refusal).ToHaveAttributeAsync("data-status", "403");
        await Assertions.Expect(refusal).ToContainTextAsync("当前身份无权访问此页面");
        await Assertions.Expect(refusal).ToContainTextAsync($"county:{Qingshui}");
        await Assertions.Expect(page.Locator("#summary")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-register]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("body")).Not.ToContainTextAsync("陇西县");
        await Assertions.Expect(page.Locator("#scope-who")).ToContainTextAsync($"county:{Qingshui}");
        Assert.Empty(registerCalls);
    }

    [Fact]
    public async Task Station_staff_see_the_workspace_but_not_the_forms_only_the_committee_may_use()
    {
        var staff = Tokens.Issue(TestTokens.Options, Roles.StationStaff, Scope.Parse($"county:{Longxi}")!, "integration-test staff", station: "LX-01");
        var page = await OpenReadyAsync(staff);
        await Assertions.Expect(Rows(page, "enterprises")).ToHaveCountAsync(20);
        await Assertions.Expect(Panel(page, "enterprises").Locator("[data-role=add]")).ToBeVisibleAsync();
        await page.Locator("[data-tab=stations]").ClickAsync();
        await Assertions.Expect(Rows(page, "stations")).ToHaveCountAsync(1);
        await Assertions.Expect(Panel(page, "stations").Locator("[data-role=add]")).ToBeHiddenAsync();
        await Rows(page, "stations").First.ClickAsync();
        await Assertions.Expect(page.Locator("#detail-history li[data-action=create]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#detail-edit")).ToHaveCountAsync(0);

        // English on demand: the same page, every label through the dictionary.
        await page.Locator("#lang-toggle").ClickAsync();
        await Assertions.Expect(page.Locator("[data-tab=enterprises]")).ToContainTextAsync("Enterprises");
        await Assertions.Expect(Figure(page, "orgCoverage").Locator(".label")).ToHaveTextAsync("Organisation coverage");
        await Assertions.Expect(page.Locator("#detail-history li[data-action=create] .step-head b")).ToHaveTextAsync("Created");
    }

    [Fact]
    public async Task Station_staff_open_on_their_own_station_and_are_offered_changes_to_its_entries_only()
    {
        var staff = Tokens.Issue(TestTokens.Options, Roles.StationStaff, Scope.Parse($"county:{Longxi}")!, "integration-test staff", station: "LX-01");
        var code = TestEnterprises.NewCreditCode(Longxi);
        (await Cluster.PostAsync(Api("enterprises"), Admin, TestEnterprises.New(code, "无指导站的测试企业"))).Expect(HttpStatusCode.Created);
        try
        {
            var page = await OpenReadyAsync(staff);
            // Their station's figures, from the summary's station linkage.
            await Assertions.Expect(page.Locator("#own-station")).ToHaveAttributeAsync("data-station", "LX-01");
            await Assertions.Expect(page.Locator("#own-station-name")).ToContainTextAsync("陇西经济开发区指导站");
            await Assertions.Expect(page.Locator("#own-station [data-figure=linkage]")).ToContainTextAsync("%");
            // The enterprises and the issues open filtered to their station.
            await Assertions.Expect(Panel(page, "enterprises").Locator("select[data-filter=station]")).ToHaveValueAsync("LX-01");
            await Assertions.Expect(Panel(page, "issues").Locator("select[data-filter=station]")).ToHaveValueAsync("LX-01");

            // An enterprise of their station: edit and delete offered.
            await Rows(page, "enterprises").First.ClickAsync();
            await Assertions.Expect(page.Locator("#detail-edit")).ToBeVisibleAsync(Shown);
            await Assertions.Expect(page.Locator("#detail-delete")).ToBeVisibleAsync();

            // One of no station: the server would refuse a change (Actor.MayChange), so nothing is offered.
            await Panel(page, "enterprises").Locator("select[data-filter=station]").SelectOptionAsync("");
            await Panel(page, "enterprises").Locator("input[data-role=search]").FillAsync("无指导站的测试企业");
            await Assertions.Expect(Rows(page, "enterprises")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
            await Assertions.Expect(Rows(page, "enterprises").First).ToHaveAttributeAsync("data-id", code);
            await Rows(page, "enterprises").First.ClickAsync();
            await Assertions.Expect(page.Locator("#detail")).ToHaveAttributeAsync("data-id", code, Live);
            await Assertions.Expect(page.Locator("#detail-facts")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#detail-edit")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("#detail-delete")).ToHaveCountAsync(0);
            Assert.Empty(await BrowserFixture.CspViolationsAsync(page));
            await page.Context.CloseAsync();
        }
        finally
        {
            (await Cluster.DeleteAsync(Api($"enterprises/{code}"), Admin)).Expect(HttpStatusCode.NoContent);
        }
    }
}
