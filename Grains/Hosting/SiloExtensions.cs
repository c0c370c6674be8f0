using Beacon.Hosting;
using Orleans.Configuration;
using Orleans.Storage;
using Beacon.Grains.Entities;
using Beacon.Grains.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Beacon.Grains.Hosting;

public static class SiloExtensions
{
    /// <summary>
    /// Everything a Beacon silo needs, wired once: the cluster (ids, endpoints, membership, mutual TLS: see
    /// <see cref="ClusterExtensions"/>), storage and reminders on PostgreSQL or in memory, the schema migration before
    /// the silo joins, the live options, and the counties woken once the silo is active (<see cref="CountyWakeUp"/>).
    /// </summary>
    public static ISiloBuilder AddBeacon(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = BeaconOptions.From(configuration);
        silo.UseBeaconCluster(configuration, options.UsesPostgres ? BeaconOptions.ConnectionString(configuration) : null);
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, CountyWakeUp>();
        return silo.AddBeaconGrains(configuration);
    }

    /// <summary>
    /// Everything but clustering: storage and reminders (PostgreSQL or memory), the schema migration, the live options.
    /// A test cluster brings its own clustering and calls this alone.
    /// </summary>
    public static ISiloBuilder AddBeaconGrains(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.Configure<LiveOptions>(configuration.GetSection("Beacon:Live"));
        silo.Services.AddSingleton(TimeProvider.System);
        var entityIdle = EntityActivations.IdleFor(configuration);
        silo.Services.Configure<GrainCollectionOptions>(o =>
        {
            foreach (var grain in EntityActivations.GrainClasses) o.ClassSpecificCollectionAge[grain.FullName!] = entityIdle;
        });
        // Orleans' binary serializer for grain state rather than its default Newtonsoft JSON: a county ledger of
        // thousands of contributions costs a fraction of the CPU and bytes to write.
        silo.Services.AddSingleton<IGrainStorageSerializer>(sp =>
            new OrleansGrainStorageSerializer(sp.GetRequiredService<Orleans.Serialization.Serializer>()));
        if (BeaconOptions.From(configuration).UsesPostgres)
        {
            var connectionString = BeaconOptions.ConnectionString(configuration);
            silo.AddAdoNetGrainStorage(BeaconStorage.Name, o => { o.Invariant = BeaconOptions.Invariant; o.ConnectionString = connectionString; });
            silo.UseAdoNetReminderService(o => { o.Invariant = BeaconOptions.Invariant; o.ConnectionString = connectionString; });
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp =>
                new SchemaMigration(connectionString, sp.GetRequiredService<ILogger<SchemaMigration>>()));
        }
        else
        {
            silo.AddMemoryGrainStorage(BeaconStorage.Name);
            silo.Services.PostConfigure<LiveOptions>(o => o.WriteOnShutdown = false);
            silo.UseInMemoryReminderService();
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, InMemoryWarning>();
        }
        return silo;
    }

    /// <summary>
    /// Applies the project's own Orleans schema migrations before the silo touches membership or storage. A failure is a
    /// <see cref="Beacon.Hosting.BeaconConfigurationException"/>: the silo says it in one line and exits.
    /// </summary>
    private sealed class SchemaMigration(string connectionString, ILogger<SchemaMigration> logger) : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(SchemaMigration), ServiceLifecycleStage.First, async ct =>
            {
                var applied = await PostgresSchema.ApplyAsync(connectionString, logger, ct);
                logger.LogInformation("Beacon: PostgreSQL schema is up to date ({Applied})",
                    applied.Count == 0 ? "nothing to apply" : "applied " + string.Join(", ", applied));
            });
    }

    private sealed class InMemoryWarning(ILogger<InMemoryWarning> logger) : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(InMemoryWarning), ServiceLifecycleStage.First, _ =>
            {
                logger.LogWarning("Beacon: NO DATABASE CONFIGURED. One local silo with in-memory storage: every change is lost when it stops. " +
                    "Set Beacon__Storage=postgres and ConnectionStrings__Beacon to keep data.");
                return Task.CompletedTask;
            });
    }
}
