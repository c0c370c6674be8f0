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

    public static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Beacon") is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException("Beacon:Storage is 'postgres' but ConnectionStrings:Beacon is not set.");

    /// <summary>The ADO.NET invariant the Orleans providers load Npgsql by.</summary>
    public const string Invariant = "Npgsql";
}
