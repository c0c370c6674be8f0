namespace Beacon.IntegrationTests.Infrastructure;

/// <summary>
/// One in-memory silo with demo county 620521 (清水县) and two gateways on it, as behind a load balancer: the cluster's
/// own gateway with the default rate limits, and a second one that allows only <see cref="PermitLimit"/> requests a
/// minute per token and kind (reads, writes).
/// </summary>
public sealed class RetryClusterFixture : IAsyncLifetime
{
    public const string Qingshui = "620521";
    public const int PermitLimit = 5;

    private BeaconCluster? _cluster;
    private BeaconProcess? _limited;

    public BeaconCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster did not start.");
    public BeaconProcess Limited => _limited ?? throw new InvalidOperationException("The second gateway did not start.");
    public HttpClient LimitedHttp { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _cluster = await BeaconCluster.StartInMemoryAsync(Qingshui);
        var port = BeaconProcesses.FreePort();
        _limited = await BeaconProcesses.StartGatewayAsync(port, Cluster.Ports, "memory", null, new Dictionary<string, string?>
        {
            ["Beacon__RateLimit__PermitLimit"] = PermitLimit.ToString(),
            ["Beacon__RateLimit__Window"] = "00:01:00",
        });
        LimitedHttp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Describe() => Cluster.Describe() + "\n" + (_limited?.Describe() ?? "");

    public async Task DisposeAsync()
    {
        LimitedHttp?.Dispose();
        if (_limited is not null) await _limited.DisposeAsync();
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class RetryClusterCollection : ICollectionFixture<RetryClusterFixture>
{
    public const string Name = "retries: one silo, two gateways";
}
