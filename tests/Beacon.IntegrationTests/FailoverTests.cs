using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Beacon.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Beacon.IntegrationTests;

/// <summary>
/// Two silos and two gateways on one PostgreSQL, as a small province would run them, with real processes: one silo
/// killed (SIGKILL) while people write through both gateways loses no write it acknowledged, the county's figures
/// reconcile with nothing to correct, and a screen on either gateway shows the next change within 10 s; one gateway
/// killed and its screen carries on through the other.
/// </summary>
public sealed class FailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string County = "620521";
    private static readonly TimeSpan ScreenDeadline = TimeSpan.FromSeconds(10);
    private PostgresDatabase? _database;
    private readonly List<BeaconProcess> _processes = [];

    public async Task InitializeAsync() => _database = await PostgresDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            try { output.WriteLine(process.Describe()); } catch (InvalidOperationException) { }
        }
        foreach (var process in Enumerable.Reverse(_processes)) await process.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }

    private string ConnectionString => _database!.ConnectionString;

    private async Task<BeaconProcess> SiloAsync()
    {
        var silo = await BeaconProcesses.StartSiloAsync(SiloPorts.Free(), "postgres", ConnectionString, County,
            new Dictionary<string, string?> { ["Beacon__Silo__HttpPort"] = BeaconProcesses.FreePort().ToString() });
        _processes.Add(silo);
        return silo;
    }

    private async Task<(BeaconProcess Process, HttpClient Http)> GatewayAsync(int port, string gateways)
    {
        var gateway = await BeaconProcesses.StartGatewayAsync(port, SiloPorts.Free(), "postgres", ConnectionString,
            new Dictionary<string, string?> { ["Beacon__Live__Gateways"] = gateways });
        _processes.Add(gateway);
        return (gateway, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) });
    }

    /// <summary>A county admin token of its own for each writer: each sends as many requests as a person of the county would.</summary>
    private static string Writer() => Beacon.Gateway.Security.Tokens.Issue(TestTokens.Options, Roles.CountyAdmin,
        Scope.Parse($"county:{County}")!, $"failover writer {Guid.NewGuid():N}");

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string token, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        return await http.SendAsync(request);
    }

    private static async Task<JsonObject> SummaryAsync(HttpClient http) =>
        JsonNode.Parse(await (await SendAsync(http, HttpMethod.Get, $"/api/counties/{County}/summary", Writer())).EnsureSuccessStatusCode()
            .Content.ReadAsStringAsync())!.AsObject();

    /// <summary>A wall screen of the county on a gateway: every summary it receives, with when.</summary>
    private sealed class Screen : IAsyncDisposable
    {
        private readonly HubConnection _connection;
        public ConcurrentQueue<(DateTime At, int Base)> Received { get; } = new();

        public Screen(HttpClient http, string name)
        {
            var token = TestTokens.Display($"county:{County}");
            _connection = new HubConnectionBuilder()
                .WithUrl(new Uri(http.BaseAddress!, "/hubs/live"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
                .Build();
            _connection.On<JsonElement>("summary", s => Received.Enqueue((DateTime.UtcNow, s.GetProperty("base").GetInt32())));
            Name = name;
        }

        public string Name { get; }

        public async Task StartAsync()
        {
            await _connection.StartAsync();
            await _connection.InvokeAsync("Subscribe", $"county:{County}");
        }

        public int LastBase => Received.IsEmpty ? 0 : Received.Last().Base;

        /// <summary>When the screen first showed a base above <paramref name="than"/> after <paramref name="since"/>, or null within the wait.</summary>
        public async Task<DateTime?> FirstAboveAsync(int than, DateTime since, TimeSpan wait)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < wait)
            {
                foreach (var (at, seen) in Received)
                    if (at >= since && seen > than) return at;
                await Task.Delay(100);
            }
            return null;
        }

        public ValueTask DisposeAsync() => _connection.DisposeAsync();
    }

    [Fact]
    public async Task A_silo_killed_during_writes_through_both_gateways_loses_no_acknowledged_write_and_both_screens_show_the_next_change_within_10_s()
    {
        var first = await SiloAsync();
        var second = await SiloAsync();
        var (port1, port2) = (BeaconProcesses.FreePort(), BeaconProcesses.FreePort());
        var list = $"http://127.0.0.1:{port1},http://127.0.0.1:{port2}";
        var (_, http1) = await GatewayAsync(port1, list);
        var (_, http2) = await GatewayAsync(port2, list);
        var demoBase = (await SummaryAsync(http1)).Int("base");

        await using var screen1 = new Screen(http1, "screen on gateway 1");
        await using var screen2 = new Screen(http2, "screen on gateway 2");
        await screen1.StartAsync();
        await screen2.StartAsync();

        var acknowledged = new ConcurrentBag<string>();
        var tried = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var http = w % 2 == 0 ? http1 : http2;
            var token = Writer();
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var code = TestEnterprises.NewCreditCode(County);
                tried.Add(code);
                try
                {
                    using var answer = await SendAsync(http, HttpMethod.Post, $"/api/counties/{County}/enterprises", token,
                        TestEnterprises.New(code, $"清水县容错测试企业{w}-{n}", 20, 1));
                    if (answer.StatusCode == HttpStatusCode.Created) acknowledged.Add(code);
                    else await Task.Delay(50);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    await Task.Delay(50);
                }
            }
        })).ToArray();

        await Task.Delay(3000);
        var killedAt = DateTime.UtcNow;
        var (before1, before2) = (screen1.LastBase, screen2.LastBase);
        second.Kill();
        output.WriteLine($"killed the second silo at {killedAt:HH:mm:ss.fff} with {acknowledged.Count} creates acknowledged; screens at {before1}, {before2}");

        var shown = await Task.WhenAll(screen1.FirstAboveAsync(before1, killedAt, ScreenDeadline + TimeSpan.FromSeconds(20)),
            screen2.FirstAboveAsync(before2, killedAt, ScreenDeadline + TimeSpan.FromSeconds(20)));
        await Task.Delay(2000);
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        foreach (var (screen, at) in new[] { screen1, screen2 }.Zip(shown))
        {
            Assert.True(at is not null, $"{screen.Name} showed no change within 30 s of the kill");
            output.WriteLine($"{screen.Name}: the next change {(at!.Value - killedAt).TotalSeconds:F1} s after the kill");
            Assert.True(at.Value - killedAt < ScreenDeadline, $"{screen.Name} showed the next change {(at.Value - killedAt).TotalSeconds:F1} s after the kill");
        }

        // Every acknowledged create is stored and counted; what the kill caught in flight may or may not be, and is counted if stored.
        var reader = Writer();
        var stored = 0;
        var reads = 0;
        foreach (var code in tried.Distinct())
        {
            // One person reads this many only in a test: a fresh token every 200 keeps within the per-token rate.
            if (++reads % 200 == 0) reader = Writer();
            using var answer = await SendAsync(http1, HttpMethod.Get, $"/api/counties/{County}/enterprises/{code}", reader);
            if (answer.StatusCode == HttpStatusCode.OK) stored++;
            else Assert.False(acknowledged.Contains(code), $"{code} was acknowledged (201) and is gone: {answer.StatusCode}");
        }
        output.WriteLine($"{tried.Count} creates tried, {acknowledged.Count} acknowledged, {stored} stored");
        Assert.True(acknowledged.Count > 20, $"only {acknowledged.Count} creates were acknowledged");

        var clock = Stopwatch.StartNew();
        JsonObject summary;
        do
        {
            summary = await SummaryAsync(http2);
            if (summary.Int("base") == demoBase + stored) break;
            await Task.Delay(1000);
        } while (clock.Elapsed < TimeSpan.FromSeconds(60));
        Assert.Equal(demoBase + stored, summary.Int("base"));
        using var reconcile = await SendAsync(http1, HttpMethod.Post, $"/api/counties/{County}/reconcile", reader);
        var report = JsonNode.Parse(await reconcile.EnsureSuccessStatusCode().Content.ReadAsStringAsync())!.AsObject();
        Assert.True(report["consistent"]!.GetValue<bool>(), $"reconcile found differences after the kill: {report.ToJsonString()}");
        Assert.Empty(report["differences"]!.AsArray());
    }

    [Fact]
    public async Task A_gateway_killed_leaves_its_screen_to_carry_on_through_the_other()
    {
        await SiloAsync();
        var (port1, port2) = (BeaconProcesses.FreePort(), BeaconProcesses.FreePort());
        var list = $"http://127.0.0.1:{port1},http://127.0.0.1:{port2}";
        var (gateway1, http1) = await GatewayAsync(port1, list);
        var (_, http2) = await GatewayAsync(port2, list);

        // What the pages are told: every gateway of the installation, and that they may connect there.
        using var gateways = await http1.GetAsync("/live/gateways");
        Assert.Equal($"[\"http://127.0.0.1:{port1}\",\"http://127.0.0.1:{port2}\"]", await gateways.Content.ReadAsStringAsync());
        Assert.Contains($"http://127.0.0.1:{port2}", gateways.Headers.GetValues("Content-Security-Policy").Single());

        // The browser's screen page on gateway 1, with the list; gateway 1 dies; a change made through gateway 2 reaches it.
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Browser.BrowserFixture.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1920, Height = 1080 }, Locale = "zh-CN" });
        await page.GotoAsync($"http://127.0.0.1:{port1}/screen/county/{County}?token={TestTokens.Display($"county:{County}")}");
        await Assertions.Expect(page.Locator("#stage")).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = 30_000 });

        gateway1.Kill();
        var killedAt = Stopwatch.StartNew();
        (await SendAsync(http2, HttpMethod.Post, $"/api/counties/{County}/enterprises", Writer(),
            TestEnterprises.New(TestEnterprises.NewCreditCode(County), "清水县换网关测试企业", 20, 1))).EnsureSuccessStatusCode();
        var seq = (await SummaryAsync(http2)).Long("seq");
        await page.WaitForFunctionAsync($"() => Number(document.querySelector('#stage').dataset.seq) >= {seq}", null, new() { Timeout = 30_000 });
        output.WriteLine($"the screen drew seq {seq} through the other gateway {killedAt.Elapsed.TotalSeconds:F1} s after its own was killed");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.BrowserFixture.ScreenshotDirectory, "failover-screen-after-gateway-kill.png") });
    }
}
