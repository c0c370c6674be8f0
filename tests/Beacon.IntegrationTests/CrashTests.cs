using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Beacon.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Beacon.IntegrationTests;

/// <summary>
/// A silo killed (SIGKILL) while enterprises are being created, at random moments, several times over: whatever was
/// stored must end up known to its county. An enterprise writes its own record before it reports to its county, so a
/// kill between the two once left a record that GET showed and no list, figure or reconcile ever counted.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    private const string County = "620521";
    private const int DemoBase = 509;
    private const int Crashes = 10;
    private const int Writers = 16;
    /// <summary>
    /// A county admin token of its own: the test sends thousands of requests, as many people of the county would, and
    /// no one token may send that many.
    /// </summary>
    private static string Reader() => Beacon.Gateway.Security.Tokens.Issue(TestTokens.Options, Roles.CountyAdmin,
        Scope.Parse($"county:{County}")!, $"crash-test reader {Guid.NewGuid():N}");

    [Fact]
    public async Task Every_stored_enterprise_is_listed_and_counted_after_kills_during_concurrent_creates()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var cluster = await BeaconCluster.StartPostgresAsync(database.ConnectionString, County);
        var tried = new System.Collections.Concurrent.ConcurrentBag<string>();
        var random = new Random(20261202);
        try
        {
            // Writers go on through every kill and restart; a write the kill catches in flight may hang until the
            // gateway's call times out, so nothing waits for them until the end.
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
            {
                var n = 0;
                while (!stop.IsCancellationRequested)
                {
                    var code = TestEnterprises.NewCreditCode(County);
                    tried.Add(code);
                    try
                    {
                        var answer = await cluster.PostAsync($"/api/counties/{County}/enterprises", Reader(),
                            TestEnterprises.New(code, $"清水县崩溃测试企业{w}-{n++}", 20, 1));
                        if (answer.Status != HttpStatusCode.Created) await Task.Delay(100);
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        // The silo or the gateway's call is gone: what happened to this write is what the test finds out.
                        await Task.Delay(100);
                    }
                }
            })).ToArray();
            for (var crash = 0; crash < Crashes; crash++)
            {
                await WaitHealthyAsync(cluster);
                // Long enough for creates to be under way in every phase of their path, short enough to keep the test brief.
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(300, 1500)));
                await cluster.KillSiloAsync();
                await cluster.StartSiloAsync();
            }
            await WaitHealthyAsync(cluster);
            await stop.CancelAsync();
            await Task.WhenAll(writers);

            var stored = new List<string>();
            var reader = Reader();
            var reads = 0;
            foreach (var code in tried.Distinct())
            {
                if (++reads % 250 == 0) reader = Reader();
                var answer = await cluster.GetAsync($"/api/counties/{County}/enterprises/{code}", reader);
                if (answer.Status == HttpStatusCode.OK) stored.Add(code);
                else answer.Expect(HttpStatusCode.NotFound);
            }
            output.WriteLine($"{tried.Count} creates tried over {Crashes} kills; {stored.Count} stored");
            Assert.NotEmpty(stored);

            // Each county reconciles by itself after a crash and asks every child it admitted that never reported:
            // give it the time that takes, then every stored enterprise must be in the list and the figures.
            var clock = Stopwatch.StartNew();
            string[] missing;
            JsonObject summary;
            while (true)
            {
                var listed = await ListedAsync(cluster);
                missing = [.. stored.Where(c => !listed.Contains(c))];
                summary = await cluster.SummaryAsync(County, Reader());
                if (missing.Length == 0 && summary.Int("base") == DemoBase + stored.Count || clock.Elapsed > TimeSpan.FromSeconds(60)) break;
                await Task.Delay(1000);
            }
            Assert.True(missing.Length == 0,
                $"{missing.Length} of {stored.Count} stored enterprises are not in the county's list {clock.Elapsed.TotalSeconds:F0} s after the last restart: " +
                $"{string.Join(", ", missing.Take(10))}\n{cluster.Describe()}");
            Assert.Equal(DemoBase + stored.Count, summary.Int("base"));

            var report = (await cluster.PostAsync($"/api/counties/{County}/reconcile", Reader())).Expect(HttpStatusCode.OK).Object;
            Assert.True(report["consistent"]!.GetValue<bool>(), $"reconcile found differences after the county settled: {report.ToJsonString()}");
        }
        finally
        {
            cluster.WriteTo(output);
        }
    }

    private static async Task<HashSet<string>> ListedAsync(BeaconCluster cluster)
    {
        var listed = new HashSet<string>(StringComparer.Ordinal);
        var reader = Reader();
        for (var offset = 0; ; offset += 200)
        {
            var page = await cluster.GetJsonAsync($"/api/counties/{County}/enterprises?limit=200&offset={offset}&sort=id", reader);
            var items = page["items"]!.AsArray();
            foreach (var item in items) listed.Add(item!["creditCode"]!.GetValue<string>());
            if (items.Count < 200) return listed;
        }
    }

    private static async Task WaitHealthyAsync(BeaconCluster cluster)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                if ((await cluster.GetAsync("/health", null)).Status == HttpStatusCode.OK &&
                    (await cluster.GetAsync($"/api/counties/{County}/summary", Reader())).Status == HttpStatusCode.OK) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(250);
        }
        Assert.Fail($"the gateway did not reach the restarted silo within 60 s\n{cluster.Describe()}");
    }
}
