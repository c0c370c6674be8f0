using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Beacon.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using static Beacon.IntegrationTests.Infrastructure.InMemoryClusterFixture;

namespace Beacon.IntegrationTests;

/// <summary>A screen's view: the SignalR hub of a real gateway, fed by a real silo.</summary>
[Collection(InMemoryClusterCollection.Name)]
public sealed class LiveTests(InMemoryClusterFixture fixture)
{
    private BeaconCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task A_county_screen_gets_a_snapshot_at_once_then_the_summary_after_a_change()
    {
        await using var screen = await Screen.ConnectAsync(Cluster, TestTokens.Display($"county:{Qingshui}"));
        await screen.Connection.InvokeAsync("Subscribe", $"county:{Qingshui}");

        var snapshot = await screen.NextAsync(s => s.GetProperty("county").GetString() == Qingshui, "the snapshot of county 620521");
        var baseBefore = snapshot.GetProperty("base").GetInt32();
        var seqBefore = snapshot.GetProperty("seq").GetInt64();

        var code = TestEnterprises.NewCreditCode(Qingshui);
        (await Cluster.PostAsync($"/api/counties/{Qingshui}/enterprises", TestTokens.CountyAdmin(Qingshui),
            TestEnterprises.New(code, "清水县鸿运商贸有限公司"))).Expect(HttpStatusCode.Created);

        var update = await screen.NextAsync(
            s => s.GetProperty("county").GetString() == Qingshui && s.GetProperty("base").GetInt32() == baseBefore + 1,
            $"a summary of 620521 with base {baseBefore + 1}");
        Assert.True(update.GetProperty("seq").GetInt64() > seqBefore, $"seq {update.GetProperty("seq")} is not greater than the snapshot's {seqBefore}");
    }

    [Fact]
    public async Task A_province_screen_gets_the_comparison_with_its_counties()
    {
        await using var screen = await Screen.ConnectAsync(Cluster, TestTokens.Display($"province:{Gansu}"));
        await screen.Connection.InvokeAsync("Subscribe", $"province:{Gansu}");

        var comparison = await screen.NextAsync(s => s.TryGetProperty("province", out var p) && p.GetString() == Gansu, "the comparison of province 620000");
        var counties = comparison.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("county").GetString()).ToArray();
        Assert.Contains(Qingshui, counties);
        var row = comparison.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("county").GetString() == Qingshui);
        Assert.True(row.GetProperty("base").GetInt32() >= 509, row.ToString());
    }

    [Fact]
    public async Task A_prefecture_screen_gets_its_comparison_at_once_then_after_a_change_in_one_of_its_counties()
    {
        // 定西市 (621100): 陇西县 alone of the demo counties.
        await using var screen = await Screen.ConnectAsync(Cluster, TestTokens.Display("prefecture:621100"));
        await screen.Connection.InvokeAsync("Subscribe", "prefecture:621100");

        static bool Dingxi(JsonElement s) => s.TryGetProperty("prefecture", out var p) && p.GetString() == "621100" && !s.TryGetProperty("county", out _);
        var snapshot = await screen.NextAsync(Dingxi, "the comparison of prefecture 621100");
        Assert.Equal(["asOf", "duplicates", "name", "prefecture", "rows", "seq", "totals"],
            snapshot.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("定西市", snapshot.GetProperty("name").GetString());
        var row = snapshot.GetProperty("rows").EnumerateArray().Single();
        Assert.Equal(Longxi, row.GetProperty("county").GetString());
        var baseBefore = row.GetProperty("base").GetInt32();

        (await Cluster.PostAsync($"/api/counties/{Longxi}/enterprises", TestTokens.CountyAdmin(Longxi),
            TestEnterprises.New(TestEnterprises.NewCreditCode(Longxi), "陇西县大屏企业"))).Expect(HttpStatusCode.Created);
        var update = await screen.NextAsync(
            s => Dingxi(s) && s.GetProperty("rows")[0].GetProperty("base").GetInt32() == baseBefore + 1,
            $"a comparison of 621100 with base {baseBefore + 1}");
        Assert.True(update.GetProperty("seq").GetInt64() > snapshot.GetProperty("seq").GetInt64());
        Assert.Equal(baseBefore + 1, update.GetProperty("totals").GetProperty("base").GetInt32());

        // Its county too; not the other prefecture's, nor the province.
        await screen.Connection.InvokeAsync("Subscribe", $"county:{Longxi}");
        await screen.NextAsync(s => s.TryGetProperty("county", out var c) && c.GetString() == Longxi, "the snapshot of county 621122");
        await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => screen.Connection.InvokeAsync("Subscribe", $"county:{Qingshui}"));
        await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => screen.Connection.InvokeAsync("Subscribe", "prefecture:620500"));
        await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => screen.Connection.InvokeAsync("Subscribe", "province:620000"));
    }

    /// <summary>A SignalR client of /hubs/live that keeps every "summary" it receives.</summary>
    internal sealed class Screen : IAsyncDisposable
    {
        public static readonly TimeSpan Within = TimeSpan.FromSeconds(5);

        private readonly Channel<JsonElement> _received = Channel.CreateUnbounded<JsonElement>();
        private readonly List<JsonElement> _seen = [];
        private readonly BeaconCluster _cluster;
        public HubConnection Connection { get; }

        private Screen(BeaconCluster cluster, HubConnection connection)
        {
            _cluster = cluster;
            Connection = connection;
            Connection.On<JsonElement>("summary", s => _received.Writer.TryWrite(s));
        }

        public static async Task<Screen> ConnectAsync(BeaconCluster cluster, string token)
        {
            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(cluster.BaseAddress, "/hubs/live"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
                .Build();
            var screen = new Screen(cluster, connection);
            await connection.StartAsync();
            return screen;
        }

        /// <summary>The next summary that matches, within 5 s.</summary>
        public async Task<JsonElement> NextAsync(Func<JsonElement, bool> matches, string what)
        {
            var clock = Stopwatch.StartNew();
            using var timeout = new CancellationTokenSource(Within);
            try
            {
                while (true)
                {
                    var summary = await _received.Reader.ReadAsync(timeout.Token);
                    _seen.Add(summary);
                    if (matches(summary)) return summary;
                }
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"No {what} within {Within.TotalSeconds} s ({clock.Elapsed.TotalSeconds:F1} s waited). Received: " +
                    string.Join("\n", _seen.Select(s => Brief(s))) + "\n" + _cluster.Describe());
                throw;
            }
        }

        private static string Brief(JsonElement s) =>
            s.TryGetProperty("county", out var c) ? $"county {c} seq {s.GetProperty("seq")} base {s.GetProperty("base")}"
            : s.TryGetProperty("province", out var p) ? $"province {p} seq {s.GetProperty("seq")}"
            : s.TryGetProperty("prefecture", out var f) ? $"prefecture {f} seq {s.GetProperty("seq")}" : s.ToString();

        public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
    }
}
