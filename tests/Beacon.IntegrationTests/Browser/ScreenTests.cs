using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Beacon.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Beacon.IntegrationTests.Browser;

/// <summary>
/// The wall screens (/screen/county/{code}, /screen/province/{code}) in chromium: figures from the hub, live changes
/// without a reload, the banner and recovery across a gateway restart, and a stage that never scrolls.
/// Writes go to 陇西县 only, so that 清水县 keeps its demo figures for the test that checks them.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ScreenTests(BrowserFixture fixture)
{
    private const string Qingshui = BrowserFixture.Qingshui;
    private const string Longxi = BrowserFixture.Longxi;
    private const string Gansu = BrowserFixture.Gansu;

    /// <summary>How soon a change made through the API must show on a screen.</summary>
    private static readonly LocatorAssertionsToHaveTextOptions Live = new() { Timeout = 2000 };
    private static readonly LocatorAssertionsToHaveTextOptions Loaded = new() { Timeout = 15000 };

    private BeaconCluster Cluster => fixture.Cluster;

    private static ILocator Figure(IPage page, string name) => page.Locator($"#stage [data-figure=\"{name}\"]").First;

    private static string Ratio(int numerator, int denominator) =>
        $"{numerator.ToString("N0", CultureInfo.InvariantCulture)} / {denominator.ToString("N0", CultureInfo.InvariantCulture)}";

    private async Task<IPage> OpenAsync(string path, string token, int width = 1920, int height = 1080, List<string>? errors = null)
    {
        var page = await fixture.NewPageAsync(width, height);
        if (errors is not null)
        {
            page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
            page.PageError += (_, e) => errors.Add(e);
            page.Response += (_, r) => { if (r.Status >= 400) errors.Add($"{r.Status} {r.Request.Method} {r.Url}"); };
        }
        await page.GotoAsync(fixture.Url($"{path}?token={Uri.EscapeDataString(token)}"));
        await Assertions.Expect(page.Locator("#stage")).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = 15000 });
        return page;
    }

    /// <summary>
    /// Expects a figure to show what the API answered within the live bound. When it does not, the message says which
    /// publication the screen last drew and whether the value came later, so that a late push tells apart from a lost one.
    /// </summary>
    private static async Task ExpectLiveAsync(IPage page, string figure, string expected, JsonObject summary)
    {
        try
        {
            await Assertions.Expect(Figure(page, figure)).ToHaveTextAsync(expected, Live);
        }
        catch (PlaywrightException missed)
        {
            var drawn = await page.Locator("#stage").GetAttributeAsync("data-seq");
            var late = Stopwatch.StartNew();
            string after;
            try
            {
                await Assertions.Expect(Figure(page, figure)).ToHaveTextAsync(expected, Loaded);
                after = $"it showed {late.Elapsed.TotalSeconds:0.0} s later";
            }
            catch (PlaywrightException)
            {
                after = $"it had still not shown {Loaded.Timeout / 1000:0} s later";
            }
            Assert.Fail($"{figure} did not show {expected} within {Live.Timeout / 1000:0} s of the write: the screen had drawn " +
                        $"seq {drawn}, the API answered seq {summary["seq"]}; {after}.\n{missed.Message}");
        }
    }

    private async Task<JsonObject> AddCoveredEnterpriseAsync(string county, string name)
    {
        var code = TestEnterprises.NewCreditCode(county);
        (await Cluster.PostAsync($"/api/counties/{county}/enterprises", TestTokens.CountyAdmin(county),
            TestEnterprises.New(code, name, employees: 40, partyMembers: 5, mode: "standalone"))).Expect(HttpStatusCode.Created);
        return await Cluster.SummaryAsync(county, TestTokens.CountyAdmin(county));
    }

    [Fact]
    public async Task The_county_screen_shows_the_demo_figures_of_Qingshui_and_says_it_has_no_stations()
    {
        var errors = new List<string>();
        var page = await OpenAsync($"/screen/county/{Qingshui}", TestTokens.Display($"county:{Qingshui}"), errors: errors);

        await Assertions.Expect(Figure(page, "orgCoverage")).ToHaveTextAsync("22.0%", Loaded);
        await Assertions.Expect(Figure(page, "orgCoverage-ratio")).ToHaveTextAsync("112 / 509");
        await Assertions.Expect(Figure(page, "partyMembers")).ToHaveTextAsync("224");
        await Assertions.Expect(Figure(page, "place")).ToContainTextAsync("清水县");
        await Assertions.Expect(page.Locator("#scope-who")).ToContainTextAsync($"county:{Qingshui}");
        // 清水县 has no stations: the ranking and the linkage gauge say so instead of drawing an empty chart.
        await Assertions.Expect(page.Locator("[data-empty=\"stations\"]")).ToBeVisibleAsync();
        await Assertions.Expect(Figure(page, "linkage")).ToHaveTextAsync("—");
        await BrowserFixture.ScreenshotAsync(page, "county-screen-no-stations");

        await page.Locator("#lang-toggle").ClickAsync();
        await Assertions.Expect(page.Locator("[data-tile=\"orgCoverage\"] h3")).ToHaveTextAsync("Organisation coverage");
        await Assertions.Expect(Figure(page, "orgCoverage-ratio")).ToHaveTextAsync("112 / 509");
        await BrowserFixture.ScreenshotAsync(page, "county-screen-en");
        Assert.True(errors.Count == 0, "The page logged errors:\n" + string.Join("\n", errors));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_write_through_the_API_moves_the_tile_within_two_seconds_without_a_reload()
    {
        var page = await OpenAsync($"/screen/county/{Longxi}", TestTokens.Display($"county:{Longxi}"));
        await page.EvaluateAsync("() => { window.__screenMarker = 'still here'; }");

        var after = await AddCoveredEnterpriseAsync(Longxi, "陇西县恒达药业有限公司");
        await ExpectLiveAsync(page, "orgCoverage-ratio", Ratio(after.Int("orgCovered"), after.Int("base")), after);
        await Assertions.Expect(page.Locator("#ticker li[data-kind=\"covered\"]").First).ToContainTextAsync("新增党组织覆盖企业 1 家");

        var code = TestEnterprises.NewCreditCode(Longxi);
        (await Cluster.PostAsync($"/api/counties/{Longxi}/enterprises", TestTokens.CountyAdmin(Longxi),
            TestEnterprises.New(code, "陇西县岷州商贸有限公司"))).Expect(HttpStatusCode.Created);
        (await Cluster.PostAsync($"/api/counties/{Longxi}/issues", TestTokens.CountyAdmin(Longxi),
            new JsonObject { ["creditCode"] = code, ["category"] = "financing", ["text"] = "流动资金紧张" })).Expect(HttpStatusCode.Created);
        var raised = await Cluster.SummaryAsync(Longxi, TestTokens.CountyAdmin(Longxi));
        await ExpectLiveAsync(page, "issuesOpen", raised.Int("issues.open").ToString(CultureInfo.InvariantCulture), raised);
        await Assertions.Expect(page.Locator("#ticker li[data-kind=\"raised\"]").First).ToContainTextAsync("新受理问题 1 件");

        Assert.Equal("still here", await page.EvaluateAsync<string>("() => window.__screenMarker"));
        await Assertions.Expect(page.Locator("[data-chart=\"stations\"]")).ToHaveAttributeAsync("data-order", "LX-01");
        await BrowserFixture.ScreenshotAsync(page, "county-screen");
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// A wall screen is opened once with its token in the address (?token=…). The token must leave the address at once,
    /// so that it is not in the history, a copied link or the Referer of what the page loads, and the screen must still
    /// show live figures, also after a reload (the token stays in the tab's sessionStorage).
    /// </summary>
    [Fact]
    public async Task The_token_in_the_address_is_taken_out_of_it_and_goes_out_in_no_request_address_or_referer()
    {
        var token = TestTokens.Display($"county:{Longxi}");
        var page = await fixture.NewPageAsync();
        var requests = new List<Microsoft.Playwright.IRequest>();
        var sockets = new List<string>();
        page.Request += (_, r) => requests.Add(r);
        page.WebSocket += (_, ws) => sockets.Add(ws.Url);

        await page.GotoAsync(fixture.Url($"/screen/county/{Longxi}?wall=3&token={token}&lang=zh"));
        await Assertions.Expect(page.Locator("#stage")).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = 15000 });
        // The rest of the query stays, in its order.
        Assert.Equal(fixture.Url($"/screen/county/{Longxi}?wall=3&lang=zh"), page.Url);

        // Live still: a write shows, and after a reload the screen comes back with its figures. Whatever this adds it
        // removes again, as the workspace's tests do.
        var admin = TestTokens.CountyAdmin(Longxi);
        var code = TestEnterprises.NewCreditCode(Longxi);
        (await Cluster.PostAsync($"/api/counties/{Longxi}/enterprises", admin,
            TestEnterprises.New(code, "陇西县清源商贸有限公司", employees: 40, partyMembers: 5, mode: "standalone"))).Expect(HttpStatusCode.Created);
        try
        {
            var after = await Cluster.SummaryAsync(Longxi, admin);
            await ExpectLiveAsync(page, "orgCoverage-ratio", Ratio(after.Int("orgCovered"), after.Int("base")), after);
            await page.ReloadAsync();
            await Assertions.Expect(page.Locator("#stage")).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = 15000 });
            await Assertions.Expect(Figure(page, "orgCoverage-ratio")).ToHaveTextAsync(Ratio(after.Int("orgCovered"), after.Int("base")), Loaded);
        }
        finally
        {
            (await Cluster.DeleteAsync($"/api/counties/{Longxi}/enterprises/{code}", admin)).Expect(HttpStatusCode.NoContent);
        }

        // The first request is the address as it was opened, the one place the token is meant to be.
        Assert.True(requests[0].IsNavigationRequest && requests[0].Url.Contains(token, StringComparison.Ordinal), requests[0].Url);
        var leaks = new List<string>();
        foreach (var request in requests.Skip(1).ToArray())
        {
            if (request.Url.Contains(token, StringComparison.Ordinal)) leaks.Add($"address of {request.Method} {request.Url}");
            var referer = await request.HeaderValueAsync("referer");
            if (referer?.Contains(token, StringComparison.Ordinal) == true) leaks.Add($"Referer of {request.Method} {request.Url}: {referer}");
        }
        Assert.True(requests.Count > 5, $"only {requests.Count} requests were seen");
        Assert.True(leaks.Count == 0, "The token went out:\n" + string.Join("\n", leaks));
        // The hub's WebSocket is the one address that carries a token, as access_token: browsers cannot set a header on
        // a WebSocket, so SignalR sends it there (the API contract's "access_token on the hub").
        Assert.Contains(sockets, url => url.StartsWith(fixture.Url("/hubs/live").Replace("http:", "ws:"), StringComparison.Ordinal));
        Assert.All(sockets, url => Assert.True(!url.Contains(token, StringComparison.Ordinal) || url.Contains($"access_token={token}", StringComparison.Ordinal), url));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_restarted_gateway_shows_the_banner_then_the_screen_recovers_by_itself()
    {
        var page = await OpenAsync($"/screen/county/{Longxi}", TestTokens.Display($"county:{Longxi}"));
        await page.EvaluateAsync("() => { window.__screenMarker = 'survives'; }");
        try
        {
            await Cluster.StopGatewayAsync();
            await Assertions.Expect(page.Locator("#live-banner")).ToBeVisibleAsync(new() { Timeout = 10000 });
            await BrowserFixture.ScreenshotAsync(page, "county-screen-offline");
        }
        finally
        {
            if (Cluster.Gateway is null) await Cluster.StartGatewayAsync();
        }

        await Assertions.Expect(page.Locator("#live-banner")).ToBeHiddenAsync(new() { Timeout = 20000 });
        var after = await AddCoveredEnterpriseAsync(Longxi, "陇西县鼎盛农业开发有限公司");
        await ExpectLiveAsync(page, "orgCoverage-ratio", Ratio(after.Int("orgCovered"), after.Int("base")), after);
        await ExpectLiveAsync(page, "partyMembers", after.Int("partyMembers").ToString("N0", CultureInfo.InvariantCulture), after);
        Assert.Equal("survives", await page.EvaluateAsync<string>("() => window.__screenMarker"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_screen_whose_token_expires_stops_and_says_to_sign_in_again()
    {
        var token = Beacon.Gateway.Security.Tokens.Issue(TestTokens.Options, Roles.Display, Scope.Parse($"county:{Longxi}")!,
            $"expiring screen {Guid.NewGuid():N}", TimeSpan.FromSeconds(8));
        var page = await OpenAsync($"/screen/county/{Longxi}", token);
        await Assertions.Expect(page.Locator("#live-banner")).ToBeHiddenAsync(new() { Timeout = 5000 });
        // The gateway closes the connection at the token's expiry; the screen does not retry with a dead token.
        await Assertions.Expect(page.Locator("#live-banner")).ToHaveTextAsync("登录已过期，实时数据已停止，请重新登录", new() { Timeout = 30000 });
        await BrowserFixture.ScreenshotAsync(page, "county-screen-expired");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_province_screen_ranks_both_counties_and_shows_the_province_totals()
    {
        var comparison = await Cluster.GetJsonAsync($"/api/provinces/{Gansu}/comparison", TestTokens.Overseer(Gansu));
        var expected = comparison["rows"]!.AsArray()
            .OrderByDescending(r => r!.Double("orgCoverage")).ThenBy(r => (string)r!["county"]!, StringComparer.Ordinal)
            .Select(r => (string)r!["county"]!).ToArray();
        Assert.Equal([Qingshui, Longxi], expected.Order().ToArray());

        var page = await OpenAsync($"/screen/province/{Gansu}", TestTokens.Display($"province:{Gansu}"));
        await Assertions.Expect(page.Locator("#county-table tbody tr")).ToHaveCountAsync(2);
        var rows = await page.Locator("#county-table tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.county)");
        Assert.Equal(expected, rows);
        await Assertions.Expect(page.Locator("#county-table tbody tr").First).ToContainTextAsync(expected[0] == Qingshui ? "清水县" : "陇西县");
        await Assertions.Expect(page.Locator("[data-ranking=\"orgCoverage\"]")).ToHaveAttributeAsync("data-order", string.Join(",", expected));
        await Assertions.Expect(page.Locator("[data-ranking=\"resolution\"]")).ToHaveAttributeAsync("data-order", new System.Text.RegularExpressions.Regex($"^({Qingshui},{Longxi}|{Longxi},{Qingshui})$"));

        var totals = comparison["totals"]!;
        await Assertions.Expect(Figure(page, "orgCoverage-ratio")).ToHaveTextAsync(Ratio(totals.Int("orgCovered"), totals.Int("base")), Loaded);
        await Assertions.Expect(Figure(page, "place")).ToHaveTextAsync("甘肃省");
        await BrowserFixture.ScreenshotAsync(page, "province-screen");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task In_English_the_province_screens_table_stays_clear_of_the_ticker_and_a_county_name_is_one_line()
    {
        var page = await OpenAsync($"/screen/province/{Gansu}", TestTokens.Display($"province:{Gansu}"));
        await page.Locator("#lang-toggle").ClickAsync();
        await Assertions.Expect(page.Locator("#county-table thead")).ToContainTextAsync("Organisation coverage");
        await Assertions.Expect(page.Locator("#county-table tbody tr")).ToHaveCountAsync(2);

        var table = (await page.Locator("#county-table").BoundingBoxAsync())!;
        var ticker = (await page.Locator(".panel[data-panel=ticker]").BoundingBoxAsync())!;
        var tablePanel = (await page.Locator(".panel[data-panel=table]").BoundingBoxAsync())!;
        Assert.True(table.X + table.Width <= ticker.X, $"the table ends at {table.X + table.Width}, the ticker starts at {ticker.X}");
        Assert.True(table.X + table.Width <= tablePanel.X + tablePanel.Width, "the table runs out of its panel");
        // One line box for the name: the text's client rects, one per line it takes.
        var lines = await page.Locator("#county-table tbody tr td:nth-child(2)").EvaluateAllAsync<int[]>(
            "cells => cells.map(td => { const r = document.createRange(); r.selectNodeContents(td); return r.getClientRects().length; })");
        Assert.All(lines, n => Assert.Equal(1, n));
        var name = (await page.Locator("#county-table tbody tr td:nth-child(2)").First.BoundingBoxAsync())!;
        Assert.True(name.Height < 2 * 19 * 1.6, $"a county name cell is {name.Height}px high");
        await BrowserFixture.ScreenshotAsync(page, "province-screen-en");
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("county", 1920, 1080)]
    [InlineData("county", 1280, 720)]
    [InlineData("province", 1920, 1080)]
    [InlineData("province", 1280, 720)]
    [InlineData("county", 1366, 1024)]
    public async Task The_stage_fits_the_window_without_scroll_bars(string kind, int width, int height)
    {
        var (path, token) = kind == "county"
            ? ($"/screen/county/{Longxi}", TestTokens.Display($"county:{Longxi}"))
            : ($"/screen/province/{Gansu}", TestTokens.Overseer(Gansu));
        var page = await OpenAsync(path, token, width, height);
        var size = await page.EvaluateAsync<int[]>(
            "() => { const e = document.scrollingElement; return [e.scrollWidth, e.clientWidth, e.scrollHeight, e.clientHeight]; }");
        Assert.True(size[0] <= size[1] && size[2] <= size[3], $"{kind} at {width}x{height} scrolls: scroll {size[0]}x{size[2]}, client {size[1]}x{size[3]}");

        var box = await page.Locator("#stage").BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.X >= -0.5 && box.Y >= -0.5 && box.X + box.Width <= width + 0.5 && box.Y + box.Height <= height + 0.5,
            $"the stage {box.X},{box.Y} {box.Width}x{box.Height} leaves the {width}x{height} window");
        Assert.True(Math.Abs(box.Width - width) < 1 || Math.Abs(box.Height - height) < 1, "the stage should fill the window one way (letterboxed)");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_token_for_another_county_is_refused_on_the_screen()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.Url($"/screen/county/{Qingshui}?token={TestTokens.Display($"county:{Longxi}")}"));
        await Assertions.Expect(page.Locator("#live-banner")).ToHaveTextAsync("当前身份无权访问此页面", new() { Timeout = 10000 });
        await Assertions.Expect(page.Locator("#stage")).ToHaveAttributeAsync("data-ready", "false");
        await Assertions.Expect(Figure(page, "orgCoverage")).ToHaveTextAsync("—");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Without_a_token_the_screen_sends_to_sign_in()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.Url($"/screen/county/{Qingshui}"));
        await page.WaitForURLAsync(url => url.Contains("/signin?return="), new() { Timeout = 10000 });
        Assert.Contains(Uri.EscapeDataString($"/screen/county/{Qingshui}"), page.Url);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_county_screen_and_a_province_screen_open_with_the_last_30_days_of_their_trend_from_the_snapshots()
    {
        var errors = new List<string>();
        var county = await OpenAsync($"/screen/county/{Qingshui}", TestTokens.Display($"county:{Qingshui}"), errors: errors);
        // 29 ended days before today, from the demo's kept month-ends carried over the days that had no change.
        await Assertions.Expect(county.Locator("#stage")).ToHaveAttributeAsync("data-trend-past", "29", new() { Timeout = 15000 });
        await BrowserFixture.ScreenshotAsync(county, "screen-county-trend");
        var province = await OpenAsync($"/screen/province/{Gansu}", TestTokens.Display($"province:{Gansu}"), errors: errors);
        await Assertions.Expect(province.Locator("#stage")).ToHaveAttributeAsync("data-trend-past", "29", new() { Timeout = 15000 });
        Assert.Empty(errors);
    }
}
