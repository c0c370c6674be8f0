using System.Text.Json.Nodes;
using Beacon.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Beacon.IntegrationTests.Browser;

/// <summary>
/// The county's map in chromium: the workspace's map tab of 陇西县 (its enterprises by coverage, its station and six
/// activity circles, the committee's station planner with the proposed sites on the map) and the county screen's map
/// panel, for a reader's token and for the screen's own display token. Nothing is written.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class MapTests(BrowserFixture fixture)
{
    private const string Longxi = BrowserFixture.Longxi;
    private static readonly string Admin = TestTokens.CountyAdmin(Longxi);
    private static readonly LocatorAssertionsToHaveAttributeOptions Loaded = new() { Timeout = 15_000 };
    /// <summary>The planner works the whole county's enterprises; a busy machine answers slower.</summary>
    private static readonly LocatorAssertionsToHaveAttributeOptions Planned = new() { Timeout = 60_000 };

    private BeaconCluster Cluster => fixture.Cluster;

    /// <summary>How many enterprise, station and circle-area features the API's map of 陇西 has.</summary>
    private async Task<(int Enterprises, int Stations, int Circles, int Unplaced)> MapCountsAsync()
    {
        var map = await Cluster.GetJsonAsync($"/api/counties/{Longxi}/map", Admin);
        var kinds = map["features"]!.AsArray().Select(f => f!["properties"]!["kind"]!.GetValue<string>()).ToArray();
        return (kinds.Count(k => k == "enterprise"), kinds.Count(k => k == "station"), kinds.Count(k => k == "circleArea"), map.Int("unplaced"));
    }

    [Fact]
    public async Task The_workspace_map_draws_every_placed_enterprise_and_the_planner_puts_its_sites_on_it()
    {
        var (enterprises, stations, circles, unplaced) = await MapCountsAsync();
        Assert.True(enterprises > 500, $"陇西's map has {enterprises} placed enterprises");

        var page = await fixture.NewPageAsync(1440, 1000);
        await page.GotoAsync(fixture.Url($"/county/{Longxi}?token={Admin}"));
        await Assertions.Expect(page.Locator("#workspace[data-ready=true]")).ToHaveCountAsync(1, new() { Timeout = 15_000 });

        await page.Locator("#tab-map").ClickAsync();
        await Assertions.Expect(page.Locator("#tab-map")).ToHaveAttributeAsync("aria-selected", "true");
        await Assertions.Expect(page.Locator("#tab-map")).ToHaveTextAsync("地图");
        var map = page.Locator("#county-map");
        await Assertions.Expect(map).ToHaveAttributeAsync("data-ready", "true", Loaded);
        await Assertions.Expect(map).ToHaveAttributeAsync("data-points", enterprises.ToString());
        await Assertions.Expect(map).ToHaveAttributeAsync("data-stations", stations.ToString());
        await Assertions.Expect(map).ToHaveAttributeAsync("data-circles", circles.ToString());
        Assert.Equal(6, circles);
        await Assertions.Expect(page.Locator("#map-unplaced-count")).ToHaveTextAsync(unplaced.ToString("N0"));
        // The chart itself: an SVG with the legend's names in it.
        await Assertions.Expect(map.Locator("svg")).ToHaveCountAsync(1);
        await Assertions.Expect(map.Locator("svg")).ToContainTextAsync("党组织覆盖");

        // A refusal by field shows next to its input, as the registers' forms show theirs.
        await page.Locator("#plan-stations").FillAsync("0");
        await page.Locator("#plan-submit").ClickAsync();
        await Assertions.Expect(page.Locator("[data-error-for=stations]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("#plan-stations")).ToHaveAttributeAsync("aria-invalid", "true");

        await page.Locator("#plan-stations").FillAsync("3");
        await page.Locator("#plan-maxKm").FillAsync("3");
        await page.Locator("#plan-submit").ClickAsync();
        await Assertions.Expect(map).ToHaveAttributeAsync("data-proposed", "3", Planned);
        await Assertions.Expect(page.Locator("[data-error-for=stations]")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#plan-sites li")).ToHaveCountAsync(3);

        // The same proposal as the API answers it, site by site, with the share beside today's.
        var plan = (await Cluster.PostAsync($"/api/counties/{Longxi}/plans/stations", Admin, """{"stations":3,"maxKm":3}""")).Expect(System.Net.HttpStatusCode.OK).Object;
        var sites = plan["sites"]!.AsArray().Select(s => s!["nearCreditCode"]!.GetValue<string>()).ToArray();
        Assert.Equal(sites, await page.Locator("#plan-sites li").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.creditCode)"));
        var townships = plan["sites"]!.AsArray().Select(s => s!["township"]?.GetValue<string>()).OfType<string>().ToArray();
        foreach (var township in townships)
            await Assertions.Expect(page.Locator("#plan-sites")).ToContainTextAsync(township);
        await Assertions.Expect(page.Locator("#plan-result [data-figure=share]")).ToContainTextAsync($"{plan.Int("linked"):N0} / {plan.Int("points"):N0}");
        await Assertions.Expect(page.Locator("#plan-result [data-figure=todayShare]"))
            .ToContainTextAsync($"{plan.Int("today.linkedWithin"):N0} / {plan.Int("points"):N0}");
        if (plan["beats"]!.GetValue<bool>()) await Assertions.Expect(page.Locator("#plan-beats")).ToBeVisibleAsync();
        else await Assertions.Expect(page.Locator("#plan-why")).ToContainTextAsync(plan["why"]!.GetValue<string>());

        await BrowserFixture.ScreenshotAsync(page, "county-map");
        Assert.Empty(await BrowserFixture.CspViolationsAsync(page));
    }

    [Fact]
    public async Task The_county_screen_shows_the_map_to_a_reader_and_to_its_own_display()
    {
        var (enterprises, _, _, _) = await MapCountsAsync();

        // A reader's token (the county committee's) gets the map beside the live figures.
        var reader = await fixture.NewPageAsync();
        await reader.GotoAsync(fixture.Url($"/screen/county/{Longxi}?token={Uri.EscapeDataString(Admin)}"));
        await Assertions.Expect(reader.Locator("#stage")).ToHaveAttributeAsync("data-ready", "true", Loaded);
        var map = reader.Locator("[data-chart=map]");
        await Assertions.Expect(map).ToHaveAttributeAsync("data-ready", "true", Loaded);
        await Assertions.Expect(map).ToHaveAttributeAsync("data-points", enterprises.ToString());
        await Assertions.Expect(reader.Locator("[data-empty=map]")).ToBeHiddenAsync();
        await BrowserFixture.ScreenshotAsync(reader, "screen-map");
        Assert.Empty(await BrowserFixture.CspViolationsAsync(reader));

        // A wall screen's own display token watches the county, and so reads its map: no refusal anywhere.
        var display = await fixture.NewPageAsync();
        var refusals = new List<string>();
        display.Response += (_, r) => { if (r.Status >= 400) refusals.Add($"{r.Status} {r.Request.Method} {r.Url}"); };
        await display.GotoAsync(fixture.Url($"/screen/county/{Longxi}?token={Uri.EscapeDataString(TestTokens.Display($"county:{Longxi}"))}"));
        await Assertions.Expect(display.Locator("#stage")).ToHaveAttributeAsync("data-ready", "true", Loaded);
        await Assertions.Expect(display.Locator("[data-chart=map]")).ToHaveAttributeAsync("data-points", enterprises.ToString(), Loaded);
        await Assertions.Expect(display.Locator("[data-empty=map]")).ToBeHiddenAsync();
        await BrowserFixture.ScreenshotAsync(display, "screen-map-display");
        Assert.Empty(refusals);
        Assert.Empty(await BrowserFixture.CspViolationsAsync(display));
    }
}
