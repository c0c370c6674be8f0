namespace Beacon.IntegrationTests.Infrastructure;

/// <summary>
/// One in-memory silo and gateway with the demo switched off (<c>Beacon__Demo=false</c>): a system as an operator
/// installs it, with no county until a province's administrator creates one. Shared by a collection.
/// </summary>
public sealed class EmptySystemFixture : IAsyncLifetime
{
    private BeaconCluster? _cluster;

    public BeaconCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster did not start.");

    public async Task InitializeAsync() => _cluster = await BeaconCluster.StartEmptyInMemoryAsync();

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class EmptySystemCollection : ICollectionFixture<EmptySystemFixture>
{
    public const string Name = "empty in-memory silo and gateway";
}
