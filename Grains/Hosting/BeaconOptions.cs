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

    /// <summary>Statements Npgsql prepares per connection unless the connection string says otherwise.</summary>
    public const int DefaultMaxAutoPrepare = 16;

    /// <summary>
    /// The connection string, with two defaults unless it sets its own:
    /// <list type="bullet">
    /// <item>the pool capped at <see cref="DefaultMaxPoolSize"/>: Npgsql's default of 100 per process is the whole of a
    /// default PostgreSQL server, so a silo waking many grains at once would lock out every other silo and gateway;</item>
    /// <item>automatic preparation of up to <see cref="DefaultMaxAutoPrepare"/> statements: Orleans' storage, clustering
    /// and reminders send the same dozen statements over and over, and PostgreSQL parsed and planned each one anew.</item>
    /// </list>
    /// </summary>
    public static string ConnectionString(IConfiguration configuration)
    {
        if (configuration.GetConnectionString("Beacon") is not { Length: > 0 } cs)
            throw new InvalidOperationException("Beacon:Storage is 'postgres' but ConnectionStrings:Beacon is not set.");
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(cs);
        if (!Sets(cs, "pool size", "maxpoolsize")) builder.MaxPoolSize = DefaultMaxPoolSize;
        if (!Sets(cs, "auto prepare", "maxautoprepare")) builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        return builder.ConnectionString;
    }

    private static bool Sets(string connectionString, params string[] keys) =>
        keys.Any(k => connectionString.Contains(k, StringComparison.OrdinalIgnoreCase));

    /// <summary>The ADO.NET invariant the Orleans providers load Npgsql by.</summary>
    public const string Invariant = "Npgsql";
}
