using Beacon.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Beacon.IntegrationTests.Browser;

/// <summary>
/// A prefecture's pages (/prefecture/341500, /screen/prefecture/341500) for an overseer whose scope is that prefecture:
/// the fixture's two 六安市 demo counties 金安区 341502 and 裕安区 341503, and none of 甘肃省's.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PrefectureTests(BrowserFixture fixture)
{
    private const string Luan = BrowserFixture.Luan;
    private static readonly string[] Counties = [BrowserFixture.Jinan, BrowserFixture.Yuan];

    private static string Token => TestTokens.PrefectureOverseer(Luan);

    [Fact]
    public async Task The_prefecture_comparison_lists_the_prefectures_counties_only()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.Url($"/prefecture/{Luan}?token={Uri.EscapeDataString(Token)}"));
        await Assertions.Expect(page.Locator("body[data-ready=true]")).ToHaveCountAsync(1, new() { Timeout = 15_000 });

        await Assertions.Expect(page.Locator("#comparison tbody tr")).ToHaveCountAsync(2);
        var rows = await page.Locator("#comparison tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.county)");
        Assert.Equal(Counties, rows.Order().ToArray());
        await Assertions.Expect(page.Locator("#comparison tbody")).ToContainTextAsync("金安区");
        await Assertions.Expect(page.Locator("#comparison tbody")).ToContainTextAsync("裕安区");
        await Assertions.Expect(page.Locator("#comparison tbody")).Not.ToContainTextAsync("清水县");
        await Assertions.Expect(page.Locator("#province-name")).ToContainTextAsync($"六安市 {Luan}");
        Assert.Empty(await BrowserFixture.CspViolationsAsync(page));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_prefecture_screen_shows_the_prefectures_counties_from_the_hub()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.Url($"/screen/prefecture/{Luan}?token={Uri.EscapeDataString(Token)}"));
        await Assertions.Expect(page.Locator("#stage")).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = 15_000 });

        Assert.Equal($"prefecture:{Luan}", await page.Locator("#stage").GetAttributeAsync("data-scope"));
        await Assertions.Expect(page.Locator("#county-table tbody tr")).ToHaveCountAsync(2);
        var rows = await page.Locator("#county-table tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.county)");
        Assert.Equal(Counties, rows.Order().ToArray());
        await Assertions.Expect(page.Locator("#stage [data-figure=\"place\"]").First).ToHaveTextAsync("六安市");
        Assert.Empty(await BrowserFixture.CspViolationsAsync(page));
        await BrowserFixture.ScreenshotAsync(page, "prefecture-screen");
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("/prefecture/341501")]
    [InlineData("/prefecture/340000")]
    [InlineData("/screen/prefecture/341502")]
    [InlineData("/screen/prefecture/34150")]
    public async Task A_code_that_is_not_a_prefectures_is_not_found(string path)
    {
        using var http = new HttpClient { BaseAddress = fixture.Cluster.BaseAddress };
        var response = await http.GetAsync(path);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }
}
