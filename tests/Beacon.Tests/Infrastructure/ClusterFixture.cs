using System.Collections.Concurrent;
using Beacon.Grains;
using Beacon.Grains.Hosting;
using Beacon.Grains.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Beacon.Tests.Infrastructure;

/// <summary>One in-process silo configured exactly as a memory-backed Beacon silo, shared by every grain test class.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;
    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<BeaconSiloConfigurator>();
        builder.AddClientBuilderConfigurator<BeaconClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}

public sealed class BeaconSiloConfigurator : ISiloConfigurator
{
    public static IConfiguration Configuration { get; } = new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Beacon:Storage"] = "memory",
            ["Beacon:Demo"] = "false",
            ["Beacon:Live:PublishInterval"] = "00:00:00.050",
            ["Beacon:Live:WriteBehind"] = "00:00:00.200",
        })
        .Build();

    /// <summary>The silo's own wiring (<see cref="SiloExtensions.AddBeaconGrains"/>), under the test cluster's clustering.</summary>
    public void Configure(ISiloBuilder siloBuilder)
    {
        siloBuilder.AddBeaconGrains(Configuration);
        // The grains' clock, which a test may move on by days (and must move back) to see what time does.
        siloBuilder.Services.AddSingleton<TimeProvider>(ShiftedClock.Instance);
        // A call stuck in a grain-to-grain wait fails in 10 s rather than 30 s (no test needs anywhere near that).
        siloBuilder.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = ResponseTimeout);
    }

    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(10);
}

public sealed class BeaconClientConfigurator : IClientBuilderConfigurator
{
    public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
        clientBuilder.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = BeaconSiloConfigurator.ResponseTimeout);
}

/// <summary>The real clock, moved on by <see cref="Offset"/>: the silo's only clock in the grain tests.</summary>
public sealed class ShiftedClock : TimeProvider
{
    public static readonly ShiftedClock Instance = new();

    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}

/// <summary>Grain test classes share one cluster and run one after another (they also share one silo's ports).</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "beacon cluster";
}

/// <summary>Records what a subscription delivers.</summary>
public sealed class Recorder : ISummaryObserver
{
    public ConcurrentQueue<CountySummary> Counties { get; } = new();
    public ConcurrentQueue<ProvinceComparison> Provinces { get; } = new();
    public ConcurrentQueue<PrefectureComparison> Prefectures { get; } = new();

    public Task OnCountySummary(CountySummary summary)
    {
        Counties.Enqueue(summary);
        return Task.CompletedTask;
    }

    public Task OnProvinceComparison(ProvinceComparison comparison)
    {
        Provinces.Enqueue(comparison);
        return Task.CompletedTask;
    }

    public Task OnPrefectureComparison(PrefectureComparison comparison)
    {
        Prefectures.Enqueue(comparison);
        return Task.CompletedTask;
    }
}

public static class Poll
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Asks <paramref name="probe"/> until <paramref name="done"/> holds, or fails after the timeout with the last answer.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var last = await probe();
            if (done(last)) return last;
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}; last seen: {last}");
            await Task.Delay(20);
        }
    }

    public static Task<T> UntilAsync<T>(Func<T> probe, Func<T, bool> done, string what, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(probe()), done, what, timeout);
}
