using System.Net;
using System.Net.Http.Headers;
using Beacon.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Beacon.IntegrationTests.Browser;

/// <summary>A mistyped or stale link opens a page that says there is nothing there and the way back, not a JSON error.</summary>
[Collection(BrowserCollection.Name)]
public sealed class NotFoundPageTests(BrowserFixture fixture)
{
    [Theory]
    [InlineData("/county/abc")]
    [InlineData("/province/62")]
    [InlineData("/screen/county/999")]
    [InlineData("/no-such-page")]
    [InlineData("/county/620521/extra")]
    public async Task A_page_address_with_no_page_is_a_404_page_with_the_way_back(string address)
    {
        var page = await fixture.NewPageAsync(1280, 800);
        var response = await page.GotoAsync(fixture.Url(address));
        Assert.Equal(404, response!.Status);
        Assert.StartsWith("text/html", await response.HeaderValueAsync("content-type") ?? "");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("页面不存在");
        await page.ClickAsync("#not-found a");
        await Assertions.Expect(page).ToHaveURLAsync(fixture.Url("/signin"));

        // In English when the visitor chose it, like every page.
        await page.ClickAsync("#lang-toggle");
        await page.GotoAsync(fixture.Url(address));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Page not found");
    }

    [Theory]
    [InlineData("/no-such-page", HttpStatusCode.Unauthorized)]
    [InlineData("/county/abc", HttpStatusCode.NotFound)]
    [InlineData("/api/counties/620521/nothing", HttpStatusCode.Unauthorized)]
    public async Task A_program_asking_for_json_still_gets_a_problem_details(string address, HttpStatusCode status)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, fixture.Url(address));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.SendAsync(request);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
