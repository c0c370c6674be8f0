namespace Beacon.IntegrationTests.Infrastructure;

/// <summary>One in-memory silo and gateway, with the demo counties 620521 (清水县) and 621122 (陇西县), shared by a collection.</summary>
public sealed class InMemoryClusterFixture : IAsyncLifetime
{
    public const string Qingshui = "620521";
    public const string Longxi = "621122";
    public const string Gansu = "620000";

    private BeaconCluster? _cluster;

    public BeaconCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster did not start.");

    public async Task InitializeAsync() => _cluster = await BeaconCluster.StartInMemoryAsync($"{Qingshui},{Longxi}");

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class InMemoryClusterCollection : ICollectionFixture<InMemoryClusterFixture>
{
    public const string Name = "in-memory silo and gateway";
}
