using System.Globalization;
using System.Net;
using Beacon.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Beacon.IntegrationTests.Browser;

/// <summary>
/// Every page under the gateway's Content-Security-Policy (no inline script, no eval, connections to the gateway
/// only): each comes with the policy, does what a user does on it (sign in, open a form and a record, hover a chart,
/// watch a screen update through the hub's WebSocket), and the browser refuses nothing on the way.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PolicyTests(BrowserFixture fixture)
{
    private const string Longxi = BrowserFixture.Longxi;
    private const string Gansu = BrowserFixture.Gansu;

    [Fact]
    public async Task Every_page_comes_with_the_policy_and_runs_under_it_without_a_violation()
    {
        var page = await fixture.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") problems.Add($"console on {page.Url}: {m.Text}"); };
        page.PageError += (_, e) => problems.Add($"error on {page.Url}: {e}");
        var sockets = new List<IWebSocket>();
        page.WebSocket += (_, ws) => sockets.Add(ws);

        async Task VisitAsync(string path)
        {
            var response = await page.GotoAsync(fixture.Url(path));
            Assert.NotNull(response);
            var policy = await response.HeaderValueAsync("content-security-policy");
            Assert.True(policy?.Contains("script-src 'self'") == true, $"{path} came without the policy (Content-Security-Policy: {policy})");
        }

        async Task CheckedAsync(string what)
        {
            foreach (var v in await BrowserFixture.CspViolationsAsync(page)) problems.Add($"{what}: {v}");
        }

        // Sign-in: its script is a file, so signing in works.
        await VisitAsync("/signin");
        await page.FillAsync("#token", TestTokens.CountyAdmin(Longxi));
        await page.ClickAsync("#signin button[type=submit]");
        await Assertions.Expect(page.Locator($"#pages a[href='/county/{Longxi}']")).ToBeVisibleAsync();
        await CheckedAsync("sign-in");

        // The workspace, with the session's token: the live summary, a form, a record and its history.
        await VisitAsync($"/county/{Longxi}");
        await Assertions.Expect(page.Locator("#workspace[data-ready=true]")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await page.Locator("section[data-register='enterprises'] [data-role=add]").ClickAsync();
        await Assertions.Expect(page.Locator("#entry-dialog")).ToHaveAttributeAsync("open", "");
        await page.Keyboard.PressAsync("Escape");
        await page.Locator("[data-tab=stations]").ClickAsync();
        await page.Locator("section[data-register='stations'] tbody tr").First.ClickAsync();
        await Assertions.Expect(page.Locator("#detail-history li[data-action=create]")).ToHaveCountAsync(1);
        await CheckedAsync("workspace");

        // The comparison: the chart's tooltip (HTML written by ECharts) and the drill-down.
        await VisitAsync($"/province/{Gansu}?token={TestTokens.Overseer(Gansu)}");
        await Assertions.Expect(page.Locator("body[data-ready=true]")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        var box = await page.Locator("#chart").BoundingBoxAsync();
        Assert.NotNull(box);
        await page.Mouse.MoveAsync(box.X + box.Width / 3, box.Y + box.Height / 2);
        await Assertions.Expect(page.Locator("#chart .chart-tooltip")).ToBeVisibleAsync();
        await page.ClickAsync($"#comparison tr[data-county='{Longxi}'] .county-link");
        await Assertions.Expect(page.Locator("#panel-stations tbody tr")).ToHaveCountAsync(1);
        await CheckedAsync("comparison");

        // The screens: figures from the hub over its WebSocket, and a live change.
        await VisitAsync($"/screen/county/{Longxi}?token={TestTokens.Display($"county:{Longxi}")}");
        await Assertions.Expect(page.Locator("#stage")).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = 15_000 });
        // Whatever this adds it removes again, so the other tests still see 陇西县's demo figures.
        var admin = TestTokens.CountyAdmin(Longxi);
        var code = TestEnterprises.NewCreditCode(Longxi);
        (await fixture.Cluster.PostAsync($"/api/counties/{Longxi}/enterprises", admin,
            TestEnterprises.New(code, "陇西县策略测试有限公司", mode: "standalone", partyMembers: 4))).Expect(HttpStatusCode.Created);
        try
        {
            var summary = await fixture.Cluster.SummaryAsync(Longxi, admin);
            var ratio = string.Create(CultureInfo.InvariantCulture, $"{summary.Int("orgCovered"):N0} / {summary.Int("base"):N0}");
            await Assertions.Expect(page.Locator("#stage [data-figure='orgCoverage-ratio']").First).ToHaveTextAsync(ratio, new() { Timeout = 15_000 });
        }
        finally
        {
            (await fixture.Cluster.DeleteAsync($"/api/counties/{Longxi}/enterprises/{code}", admin)).Expect(HttpStatusCode.NoContent);
        }
        await CheckedAsync("county screen");

        await VisitAsync($"/screen/province/{Gansu}?token={TestTokens.Display($"province:{Gansu}")}");
        await Assertions.Expect(page.Locator("#stage")).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("#county-table tbody tr")).ToHaveCountAsync(2);
        await CheckedAsync("province screen");

        // connect-src 'self' covers the hub's same-origin ws: in Chromium: the screens came live over a WebSocket.
        Assert.Contains(sockets, ws => ws.Url.Contains("/hubs/live", StringComparison.Ordinal));
        Assert.True(problems.Count == 0, "Under the policy:\n" + string.Join("\n", problems));
        await page.Context.CloseAsync();
    }
}
