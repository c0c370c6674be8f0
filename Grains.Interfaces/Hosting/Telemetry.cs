using System.Diagnostics.Metrics;

namespace Beacon.Hosting;

/// <summary>
/// What Beacon's processes measure and trace, named once: the meters and activity sources each host exports (Orleans'
/// own, ASP.NET Core's and the runtime's are added by the hosts), and Beacon's instruments.
/// </summary>
public static class Telemetry
{
    public const string MeterName = "Beacon";

    /// <summary>Orleans' meter (grain calls, messaging, storage reads and writes, activations) and its activity sources.</summary>
    public const string OrleansMeter = "Microsoft.Orleans";
    public static readonly string[] OrleansSources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    /// <summary>Where Prometheus scrapes each process.</summary>
    public const string MetricsPath = "/metrics";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Publications a gateway sent to its screens, by the kind of scope.</summary>
    public static readonly Counter<long> Publications = Meter.CreateCounter<long>("beacon.live.publications", description: "publications sent to the hub's groups");

    /// <summary>Live connections (screens and pages) a gateway holds now.</summary>
    public static readonly UpDownCounter<long> LiveConnections = Meter.CreateUpDownCounter<long>("beacon.live.connections", description: "live hub connections open");

    /// <summary>Sign-ins by outcome.</summary>
    public static readonly Counter<long> SignIns = Meter.CreateCounter<long>("beacon.auth.sign_ins", description: "sign-ins by outcome");
}
