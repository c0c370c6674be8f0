using Beacon.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Beacon.IntegrationTests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class SignInTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_pasted_token_is_kept_for_the_session_and_the_page_says_whose_scope_it_is()
    {
        var page = await fixture.NewPageAsync(1280, 800);
        await page.GotoAsync(fixture.Url("/signin"));
        await page.FillAsync("#token", TestTokens.CountyAdmin(BrowserFixture.Longxi));
        await page.ClickAsync("button[type=submit]");

        await Assertions.Expect(page.Locator("#scope-who")).ToContainTextAsync($"county:{BrowserFixture.Longxi}");
        await Assertions.Expect(page.Locator($"#pages a[href='/county/{BrowserFixture.Longxi}']")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "signin");

        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#scope-who")).ToContainTextAsync($"county:{BrowserFixture.Longxi}");
    }

    [Fact]
    public async Task A_bad_token_is_refused_on_the_page()
    {
        var page = await fixture.NewPageAsync(1280, 800);
        await page.GotoAsync(fixture.Url("/signin"));
        await page.FillAsync("#token", "not-a-token");
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator("#token-error")).ToBeVisibleAsync();
    }
}
