using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Beacon.IntegrationTests.Infrastructure;

namespace Beacon.IntegrationTests;

/// <summary>
/// What an operator has, through real processes: the Orleans dashboard behind a platform administrator's sign-in,
/// Prometheus metrics of requests, grain calls, storage and the live hub on the gateway and the silo, and each
/// process's /health saying what it waits for.
/// </summary>
public sealed class OperatorTests : IAsyncLifetime
{
    private const string County = "620521";
    private BeaconCluster? _cluster;
    private int _siloHttp;
    private BeaconCluster Cluster => _cluster!;

    public async Task InitializeAsync()
    {
        _siloHttp = BeaconProcesses.FreePort();
        _cluster = await BeaconCluster.StartInMemoryAsync(County,
            siloEnvironment: new Dictionary<string, string?> { ["Beacon__Silo__HttpPort"] = _siloHttp.ToString() });
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }

    private static string PlatformAdmin() => Beacon.Gateway.Security.Tokens.Issue(TestTokens.Options, Roles.PlatformAdmin, null, "operator-test");

    [Fact]
    public async Task The_dashboard_opens_only_for_a_platform_administrator_who_signed_in()
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() };
        using var browser = new HttpClient(handler) { BaseAddress = Cluster.BaseAddress };

        using (var anonymous = await browser.GetAsync("/dashboard/"))
        {
            Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
            Assert.StartsWith("/signin", anonymous.Headers.Location!.IsAbsoluteUri ? anonymous.Headers.Location.PathAndQuery : anonymous.Headers.Location.OriginalString);
        }
        // A county's administrator, or an overseer, gets no dashboard cookie.
        foreach (var token in new[] { TestTokens.CountyAdmin(County), TestTokens.Overseer("620000") })
            (await Cluster.PostAsync("/api/auth/operator", token)).Expect(HttpStatusCode.Forbidden);

        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/operator"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", PlatformAdmin());
            using var cookie = await browser.SendAsync(request);
            Assert.Equal(HttpStatusCode.NoContent, cookie.StatusCode);
            Assert.Contains(cookie.Headers.GetValues("Set-Cookie"), c => c.StartsWith("beacon.operator=", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
        }
        using var page = await browser.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("text/html", page.Content.Headers.ContentType?.MediaType);

        // The platform administrator reads no county: the platform is not the counties' data.
        (await Cluster.GetAsync($"/api/counties/{County}/summary", PlatformAdmin())).Expect(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Gateway_and_silo_export_metrics_of_requests_grain_calls_storage_and_live_connections()
    {
        (await Cluster.GetAsync($"/api/counties/{County}/summary", TestTokens.CountyAdmin(County))).Expect(HttpStatusCode.OK);
        (await Cluster.PostAsync($"/api/counties/{County}/enterprises", TestTokens.CountyAdmin(County),
            TestEnterprises.New(TestEnterprises.NewCreditCode(County), "清水县指标测试企业", 20, 1))).Expect(HttpStatusCode.Created);

        // The gateway's metrics are an operator's: a scraper carries a platform administrator's token.
        (await Cluster.GetAsync(Beacon.Hosting.Telemetry.MetricsPath, null)).Expect(HttpStatusCode.Unauthorized);
        (await Cluster.GetAsync(Beacon.Hosting.Telemetry.MetricsPath, TestTokens.CountyAdmin(County))).Expect(HttpStatusCode.Forbidden);
        var gateway = await ScrapeUntilAsync(() => Cluster.GetAsync(Beacon.Hosting.Telemetry.MetricsPath, PlatformAdmin()), "http_server_request_duration_seconds");
        Assert.Contains("http_server_request_duration_seconds", gateway);
        Assert.Contains("orleans_", gateway);

        using var silo = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_siloHttp}") };
        var metrics = await ScrapeUntilAsync(async () => new Answer(Cluster, HttpMethod.Get, "silo /metrics", HttpStatusCode.OK, null,
            await silo.GetStringAsync(Beacon.Hosting.Telemetry.MetricsPath)), "orleans_storage_write");
        Assert.Contains("orleans_storage_write", metrics);
        Assert.Contains("orleans_app_requests", metrics);
    }

    [Fact]
    public async Task Each_process_says_at_health_whether_it_waits_for_something()
    {
        using var silo = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_siloHttp}") };
        var siloHealth = JsonNode.Parse(await silo.GetStringAsync("/health"))!.AsObject();
        Assert.Equal("healthy", (string)siloHealth["status"]!);
        Assert.Empty(siloHealth["waitingFor"]!.AsArray());
        var gatewayHealth = (await Cluster.GetAsync("/health", null)).Expect(HttpStatusCode.OK).Object;
        Assert.Equal(1, gatewayHealth.Int("silos"));

        // The gateway without its silo says what it waits for.
        await Cluster.KillSiloAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Answer answer;
        do
        {
            answer = await Cluster.GetAsync("/health", null);
            if (answer.Status == HttpStatusCode.ServiceUnavailable) break;
            await Task.Delay(500);
        } while (clock.Elapsed < TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status);
        Assert.Contains("silo", answer.Object["waitingFor"]!.AsArray().Select(w => (string)w!).Single());
    }

    private static async Task<string> ScrapeUntilAsync(Func<Task<Answer>> scrape, string expected)
    {
        // Exporters collect on scrape, but instruments may appear only after their first use has been recorded.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string body;
        do
        {
            body = (await scrape()).Expect(HttpStatusCode.OK).Body;
            if (body.Contains(expected, StringComparison.Ordinal)) return body;
            await Task.Delay(500);
        } while (clock.Elapsed < TimeSpan.FromSeconds(20));
        return body;
    }
}
