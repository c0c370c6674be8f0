using System.Text.RegularExpressions;
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
        await page.ClickAsync("#signin button[type=submit]");

        await Assertions.Expect(page.Locator("#scope-who")).ToContainTextAsync($"county:{BrowserFixture.Longxi}");
        await Assertions.Expect(page.Locator($"#pages a[href='/county/{BrowserFixture.Longxi}']")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "signin");

        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#scope-who")).ToContainTextAsync($"county:{BrowserFixture.Longxi}");
    }

    [Fact]
    public async Task A_person_signs_in_with_a_name_and_a_password_and_a_wrong_password_is_said_so_in_chinese()
    {
        // A county admin account made by the province, as its administrator would.
        var user = $"lx-{Guid.NewGuid():N}"[..12];
        const string password = "陇西-sign-in-2026";
        (await fixture.Cluster.PostAsync($"/api/provinces/{BrowserFixture.Gansu}/accounts", TestTokens.ProvinceAdmin(BrowserFixture.Gansu),
            new System.Text.Json.Nodes.JsonObject
            {
                ["user"] = user, ["password"] = password, ["role"] = Roles.CountyAdmin, ["scope"] = $"county:{BrowserFixture.Longxi}", ["displayName"] = "陇西县委组织部",
            })).Expect(System.Net.HttpStatusCode.Created);

        var page = await fixture.NewPageAsync(1280, 800);
        await page.GotoAsync(fixture.Url("/signin"));
        await page.FillAsync("#user", user);
        await page.FillAsync("#password", "not the password");
        await page.ClickAsync("#account button[type=submit]");
        await Assertions.Expect(page.Locator("#account-error")).ToContainTextAsync("用户名或密码不正确");

        await page.FillAsync("#password", password);
        await page.ClickAsync("#account button[type=submit]");
        await Assertions.Expect(page.Locator($"#pages a[href='/county/{BrowserFixture.Longxi}']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#password")).ToHaveValueAsync("");
        await BrowserFixture.ScreenshotAsync(page, "signin-account");
    }

    [Fact]
    public async Task A_bad_token_is_refused_on_the_page()
    {
        var page = await fixture.NewPageAsync(1280, 800);
        await page.GotoAsync(fixture.Url("/signin"));
        await page.FillAsync("#token", "not-a-token");
        await page.ClickAsync("#signin button[type=submit]");
        await Assertions.Expect(page.Locator("#token-error")).ToBeVisibleAsync();
    }

    /// <summary>
    /// Return addresses that leave the gateway, as they would stand in a link someone is sent: a backslash (browsers read
    /// it as a slash, so "/\host" is "//host"), a tab the URL parser drops, a protocol-relative and an absolute address,
    /// a script URL.
    /// </summary>
    [Theory]
    [InlineData("/%5Cevil.example/phish")]
    [InlineData("/%09/evil.example/phish")]
    [InlineData("//evil.example/phish")]
    [InlineData("https://evil.example/phish")]
    [InlineData("javascript:alert(document.domain)")]
    public async Task A_return_address_off_the_gateway_is_not_followed_after_sign_in(string back)
    {
        var page = await fixture.NewPageAsync(1280, 800);
        var visited = new List<string>();
        page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) visited.Add(frame.Url); };
        // Were the browser sent there, it would find a page rather than a DNS error, as a real phishing site would be.
        await page.Context.RouteAsync(new Regex(@"^https?://evil\.example/"), route =>
            route.FulfillAsync(new() { Status = 200, ContentType = "text/html", Body = "<h1>phish</h1>" }));

        await page.GotoAsync(fixture.Url($"/signin?return={back}"));
        await page.FillAsync("#token", TestTokens.CountyAdmin(BrowserFixture.Longxi));
        await page.ClickAsync("#signin button[type=submit]");

        // The sign-in page again, signed in, with the pages this token may open.
        await Assertions.Expect(page.Locator($"#pages a[href='/county/{BrowserFixture.Longxi}']")).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);
        var origin = fixture.Url("/");
        Assert.True(visited.All(url => url.StartsWith(origin, StringComparison.Ordinal)),
            $"return={back} took the browser off {origin}:\n{string.Join("\n", visited)}");
        Assert.StartsWith(origin, page.Url);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_return_address_on_the_gateway_is_followed_with_its_query_and_fragment()
    {
        var page = await fixture.NewPageAsync(1280, 800);
        var back = $"/county/{BrowserFixture.Longxi}?view=1#issues";
        await page.GotoAsync(fixture.Url($"/signin?return={Uri.EscapeDataString(back)}"));
        await page.FillAsync("#token", TestTokens.CountyAdmin(BrowserFixture.Longxi));
        await page.ClickAsync("#signin button[type=submit]");
        await page.WaitForURLAsync(fixture.Url(back));
        await Assertions.Expect(page.Locator("#workspace[data-ready=true]")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await page.Context.CloseAsync();
    }
}
