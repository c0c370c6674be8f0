namespace Beacon.Grains.Hosting;

/// <summary>Section <c>Beacon</c> of the configuration, shared by silo and gateway.</summary>
public sealed class BeaconOptions
{
    /// <summary><c>postgres</c> for Orleans ADO.NET on PostgreSQL (needs <c>ConnectionStrings:Beacon</c>); anything else keeps state in memory.</summary>
    public string Storage { get; set; } = "memory";
    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;
    /// <summary>Load the demo counties into an empty store at start-up.</summary>
    public bool Demo { get; set; } = true;
    /// <summary>Only these demo counties (comma-separated codes); all when empty. Lets a test start a silo in seconds.</summary>
    public string? DemoCounties { get; set; }

    public bool UsesPostgres => string.Equals(Storage, "postgres", StringComparison.OrdinalIgnoreCase);

    public static BeaconOptions From(IConfiguration configuration) =>
        configuration.GetSection("Beacon").Get<BeaconOptions>() ?? new BeaconOptions();

    /// <summary>Connections one process may hold unless the connection string says otherwise.</summary>
    public const int DefaultMaxPoolSize = 20;

    /// <summary>
    /// The connection string, with the pool capped at <see cref="DefaultMaxPoolSize"/> unless it sets its own:
    /// Npgsql's default of 100 per process is the whole of a default PostgreSQL server, so a silo waking many
    /// grains at once would lock out every other silo and gateway.
    /// </summary>
    public static string ConnectionString(IConfiguration configuration)
    {
        if (configuration.GetConnectionString("Beacon") is not { Length: > 0 } cs)
            throw new InvalidOperationException("Beacon:Storage is 'postgres' but ConnectionStrings:Beacon is not set.");
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(cs);
        if (!cs.Contains("pool size", StringComparison.OrdinalIgnoreCase) && !cs.Contains("maxpoolsize", StringComparison.OrdinalIgnoreCase))
            builder.MaxPoolSize = DefaultMaxPoolSize;
        return builder.ConnectionString;
    }

    /// <summary>The ADO.NET invariant the Orleans providers load Npgsql by.</summary>
    public const string Invariant = "Npgsql";
}
