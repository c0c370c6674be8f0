using Beacon.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Beacon.IntegrationTests.Browser;

/// <summary>The Orleans dashboard in a real browser: opened by a platform administrator who signed in, under the gateway's policy.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_platform_administrator_signs_in_and_the_dashboard_shows_the_cluster()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.Url("/dashboard/"));
        // Not signed in: the sign-in page, which comes back to the dashboard afterwards.
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin\\?return="));

        await page.FillAsync("#token", Beacon.Gateway.Security.Tokens.Issue(TestTokens.Options, Roles.PlatformAdmin, null, "dashboard-test"));
        await page.ClickAsync("#signin button[type=submit]");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/dashboard/?$"), new() { Timeout = 15_000 });
        // The cluster's overview, drawn from the silo's statistics: the one active silo of the test cluster.
        await Assertions.Expect(page.GetByText("Active silos", new() { Exact = false }).First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Assertions.Expect(page.GetByText("Cluster Profiling").First).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "dashboard");
        Assert.Empty(await BrowserFixture.CspViolationsAsync(page));
    }
}
