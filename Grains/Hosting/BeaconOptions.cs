namespace Beacon.Grains.Hosting;

/// <summary>Section <c>Beacon</c> of the silo's configuration; what the gateway shares with it is <see cref="Beacon.Hosting.BeaconClusterOptions"/>.</summary>
public sealed class BeaconOptions
{
    /// <summary><c>postgres</c> for Orleans ADO.NET on PostgreSQL (needs <c>ConnectionStrings:Beacon</c>); anything else keeps state in memory.</summary>
    public string Storage { get; set; } = "memory";
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
    /// The connection string, with three defaults for what it does not set itself:
    /// <list type="bullet">
    /// <item>the pool capped at <see cref="DefaultMaxPoolSize"/>: Npgsql's default of 100 per process is the whole of a
    /// default PostgreSQL server, so a silo waking many grains at once would lock out every other silo and gateway;</item>
    /// <item>automatic preparation of up to <see cref="DefaultMaxAutoPrepare"/> statements: Orleans' storage, clustering
    /// and reminders send the same dozen statements over and over, and PostgreSQL parsed and planned each one anew;</item>
    /// <item>no reset when a connection goes back to the pool (<c>No Reset On Close</c>): Npgsql otherwise sends five
    /// statements of session clean-up (CLOSE ALL, UNLISTEN *, advisory unlocks, DISCARD) ahead of every next command,
    /// which doubled PostgreSQL's transactions per grain write. Nothing here leaves session state behind: Orleans'
    /// providers send single statements, and the schema migration holds its lock on a connection of its own, outside
    /// the pool.</item>
    /// </list>
    /// </summary>
    public static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Beacon") is { Length: > 0 } cs
            ? WithDefaults(cs)
            : throw new Beacon.Hosting.BeaconConfigurationException("Beacon:Storage is 'postgres' but ConnectionStrings:Beacon is not set (environment ConnectionStrings__Beacon)");

    /// <summary>The defaults of <see cref="ConnectionString"/> added to <paramref name="cs"/> where it leaves them out.</summary>
    public static string WithDefaults(string cs)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(cs);
        // The keys as the operator wrote them, compared without case or spaces as Npgsql reads them.
        var set = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = cs }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()).ToHashSet();
        if (!set.Overlaps(["maximumpoolsize", "maxpoolsize"])) builder.MaxPoolSize = DefaultMaxPoolSize;
        if (!set.Contains("maxautoprepare")) builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        if (!set.Contains("noresetonclose")) builder.NoResetOnClose = true;
        return builder.ConnectionString;
    }

    /// <summary>The ADO.NET invariant the Orleans providers load Npgsql by.</summary>
    public const string Invariant = Beacon.Hosting.ClusterExtensions.Invariant;
}
