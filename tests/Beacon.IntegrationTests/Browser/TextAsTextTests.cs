using System.Net;
using System.Text.Json.Nodes;
using Beacon.Gateway.Security;
using Beacon.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Beacon.IntegrationTests.Browser;

/// <summary>
/// What people type is shown as text: a county named, an enterprise named and an issue worded with markup, quotes and
/// an ampersand reads literally on the workspace, the comparison and both screens, and no element comes of it. The
/// county is a tenant of its own, 瑶海区 340102 of 合肥市 340100 in 安徽省, so that no other test's counties change.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TextAsTextTests(BrowserFixture fixture)
{
    private const string County = "340102";
    private const string Prefecture = "340100";
    private const string Anhui = "340000";
    private const string Hostile = "<script>alert(1)</script> \"引号\" 'q' & <b>粗</b>";
    private static readonly string CountyName = "瑶海区" + Hostile;
    private static readonly string EnterpriseName = "企业" + Hostile;
    private static readonly string IssueText = "问题" + Hostile;
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static (string Code, string IssueId)? made;

    private BeaconCluster Cluster => fixture.Cluster;

    /// <summary>The tenant, its enterprise and its issue, made once for the class.</summary>
    private async Task<(string Code, string IssueId)> MakeAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (made is { } m) return m;
            var admin = TestTokens.ProvinceAdmin(Anhui);
            var answer = await Cluster.PutAsync($"/api/counties/{County}", admin, new JsonObject { ["name"] = CountyName, ["prefectureName"] = "合肥市" });
            Assert.True(answer.Status is HttpStatusCode.Created or HttpStatusCode.OK, $"PUT county answered {answer.Status}: {answer.Body}");
            var countyAdmin = TestTokens.CountyAdmin(County);
            var code = TestEnterprises.NewCreditCode(County);
            (await Cluster.PostAsync($"/api/counties/{County}/enterprises", countyAdmin, TestEnterprises.New(code, EnterpriseName))).Expect(HttpStatusCode.Created);
            var issue = (await Cluster.PostAsync($"/api/counties/{County}/issues", countyAdmin,
                new JsonObject { ["creditCode"] = code, ["category"] = "labour", ["text"] = IssueText })).Expect(HttpStatusCode.Created).Object;
            made = (code, issue["id"]!.ToString());
            return made.Value;
        }
        finally { Once.Release(); }
    }

    private async Task<(IPage Page, List<string> Dialogs)> OpenAsync(string path, string token)
    {
        var page = await fixture.NewPageAsync();
        var dialogs = new List<string>();
        page.Dialog += (_, d) => { dialogs.Add(d.Message); _ = d.DismissAsync(); };
        await page.GotoAsync(fixture.Url($"{path}?token={Uri.EscapeDataString(token)}"));
        return (page, dialogs);
    }

    /// <summary>No script or b element beyond the page's own, no dialog, no CSP refusal.</summary>
    private static async Task ExpectNothingInjectedAsync(IPage page, List<string> dialogs, string root)
    {
        Assert.Equal(0, await page.Locator($"{root} script").CountAsync());
        Assert.Equal(0, await page.Locator($"{root} b:text-is('粗')").CountAsync());
        Assert.Empty(dialogs);
        Assert.Empty(await BrowserFixture.CspViolationsAsync(page));
    }

    [Fact]
    public async Task The_workspace_shows_an_enterprise_name_and_an_issue_text_literally()
    {
        var (code, issueId) = await MakeAsync();
        var (page, dialogs) = await OpenAsync($"/county/{County}", TestTokens.CountyAdmin(County));
        await Assertions.Expect(page.Locator("#workspace[data-ready=true]")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        var row = page.Locator($"section[data-register='enterprises'] tbody tr[data-id='{code}']");
        await Assertions.Expect(row).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        var texts = await row.Locator("td, th").EvaluateAllAsync<string[]>("cells => cells.map(c => c.textContent.trim())");
        Assert.Contains(EnterpriseName, texts);

        await page.Locator("[data-tab=issues]").ClickAsync();
        var issue = page.Locator($"section[data-register='issues'] tbody tr[data-id='{issueId}']");
        await Assertions.Expect(issue).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await issue.ClickAsync();
        await Assertions.Expect(page.Locator("#detail-facts dd.prose")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        Assert.Equal(IssueText, await page.Locator("#detail-facts dd.prose").EvaluateAsync<string>("e => e.textContent"));
        await ExpectNothingInjectedAsync(page, dialogs, "#workspace");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_comparison_shows_a_county_name_literally()
    {
        await MakeAsync();
        var (page, dialogs) = await OpenAsync($"/prefecture/{Prefecture}", TestTokens.PrefectureOverseer(Prefecture));
        await Assertions.Expect(page.Locator("body[data-ready=true]")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        var name = page.Locator($"#comparison tr[data-county='{County}'] .county-link .name");
        await Assertions.Expect(name).ToHaveCountAsync(1);
        Assert.Equal(CountyName, await name.EvaluateAsync<string>("e => e.textContent"));
        await ExpectNothingInjectedAsync(page, dialogs, "#comparison");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_county_screen_shows_a_county_name_literally()
    {
        await MakeAsync();
        var (page, dialogs) = await OpenAsync($"/screen/county/{County}", TestTokens.Display($"county:{County}"));
        await Assertions.Expect(page.Locator("#stage")).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = 15_000 });
        var place = await page.Locator("#stage [data-figure=\"place\"]").First.EvaluateAsync<string>("e => e.textContent");
        Assert.EndsWith(CountyName, place);
        await ExpectNothingInjectedAsync(page, dialogs, "#stage");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_province_screen_shows_a_county_name_literally()
    {
        await MakeAsync();
        var (page, dialogs) = await OpenAsync($"/screen/province/{Anhui}", TestTokens.Display($"province:{Anhui}"));
        await Assertions.Expect(page.Locator("#stage")).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = 15_000 });
        var cell = page.Locator($"#county-table tbody tr[data-county='{County}'] td:nth-child(2)");
        await Assertions.Expect(cell).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        Assert.Equal(CountyName, await cell.EvaluateAsync<string>("e => e.textContent"));
        await ExpectNothingInjectedAsync(page, dialogs, "#stage");
        await page.Context.CloseAsync();
    }
}
