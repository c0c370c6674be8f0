using Beacon.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Beacon.IntegrationTests.Browser;

/// <summary>
/// The province screen's map in a real browser: Gansu's counties outlined from the npm map data, the demo's counties
/// coloured by organisation coverage, and a click on 陇西 opening 陇西's own screen.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RegionMapTests(BrowserFixture fixture)
{
    [Fact]
    public async Task The_province_screen_maps_its_counties_by_coverage_and_a_click_opens_the_countys_screen()
    {
        var page = await fixture.NewPageAsync();
        var token = TestTokens.Display($"province:{BrowserFixture.Gansu}");
        await page.GotoAsync(fixture.Url($"/screen/province/{BrowserFixture.Gansu}?token={Uri.EscapeDataString(token)}"));
        var map = page.Locator("[data-chart=\"regionMap\"]");
        await Assertions.Expect(map).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = 20_000 });
        // Every county of Gansu has an outline; the two demo counties of this cluster are coloured.
        Assert.InRange(int.Parse((await map.GetAttributeAsync("data-outlines"))!), 80, 90);
        await Assertions.Expect(map).ToHaveAttributeAsync("data-counties", "2");
        await page.WaitForTimeoutAsync(1000); // the map's entry animation
        await BrowserFixture.ScreenshotAsync(page, "province-map");
        Assert.Empty(await BrowserFixture.CspViolationsAsync(page));

        // 陇西's seat, 巩昌镇, on the map: where the screen draws it, scaled with the stage.
        var at = await page.EvaluateAsync<double[]>("""
            () => {
              const el = document.querySelector('[data-chart="regionMap"]');
              const [x, y] = echarts.getInstanceByDom(el).convertToPixel({ seriesIndex: 0 }, [104.63, 35.0]);
              const r = el.getBoundingClientRect();
              const k = r.width / el.offsetWidth;
              return [r.left + x * k, r.top + y * k];
            }
            """);
        await page.Mouse.ClickAsync((float)at[0], (float)at[1]);
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/screen/county/{BrowserFixture.Longxi}$"), new() { Timeout = 15_000 });
    }
}
