using System.Security.Cryptography.X509Certificates;

namespace Beacon.IntegrationTests.Infrastructure;

/// <summary>
/// Starts the real silo and gateway binaries (<c>dotnet Beacon.Silo.dll</c>, <c>dotnet Beacon.Gateway.dll</c>) the way
/// an operator would, on free ports, and stops them with SIGTERM (then a kill after 20 s): what these tests add to
/// Beacon.TestSupport (<see cref="BeaconProcess"/>, <see cref="BeaconBinaries"/>, <see cref="ThrowawaySecrets"/>), which
/// the load program shares.
/// </summary>
public static class BeaconProcesses
{
    /// <summary>The key the gateways under test validate tokens with; the tests sign their tokens with it too.</summary>
    public const string SigningKey = "beacon-integration-tests-signing-key-0123456789";

    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    /// <summary>This test run's own directory: the cluster certificate, and empty installation directories.</summary>
    private static readonly Lazy<ScratchDirectory> Scratch = new(() => ScratchDirectory.Create("beacon-it-"));

    /// <summary>A directory of its own under this run's scratch directory.</summary>
    public static string NewDirectory(string name) => Scratch.Value.NewDirectory(name);

    /// <summary>The installation directory every process started here gets (<c>BEACON_HOME</c>): empty, so nothing a developer's run.sh made is found.</summary>
    public static readonly Lazy<string> EmptyHome = new(() => NewDirectory("home"));

    /// <summary>A throwaway cluster certificate for this test run, made the way run.sh's installation gets one, and <see cref="SigningKey"/>.</summary>
    private static readonly Lazy<ThrowawaySecrets> Secrets = new(() => ThrowawaySecrets.Create(NewDirectory("cluster"), SigningKey));

    /// <summary>The certificate the silos and gateways under test present, with its private key.</summary>
    public static X509Certificate2 LoadCertificate() => Secrets.Value.LoadCertificate();
    public static readonly TimeSpan StopTimeout = BeaconProcess.StopTimeout;

    public static string RepoRoot => BeaconBinaries.RepoRoot;

    /// <summary>The configuration these tests were built with (Debug, Release): the binaries started are the same one's.</summary>
    public static string Configuration => BeaconBinaries.Configuration;

    public static string SiloDll => BeaconBinaries.SiloDll;
    public static string GatewayDll => BeaconBinaries.GatewayDll;

    /// <summary>A TCP port nothing listens on now, never the same one twice in this test run.</summary>
    public static int FreePort() => Loopback.FreePort();

    /// <summary>Beacon.TestSupport's common environment, workstation GC, and the empty installation directory.</summary>
    public static Dictionary<string, string?> CommonEnvironment()
    {
        var env = BeaconEnvironment.Common(Secrets.Value);
        env["DOTNET_gcServer"] = "0";
        env["BEACON_HOME"] = EmptyHome.Value;
        return env;
    }

    /// <summary>Starts a silo and waits for its "Beacon silo ready" line. <paramref name="environment"/> adds or overrides variables.</summary>
    public static async Task<BeaconProcess> StartSiloAsync(SiloPorts ports, string storage, string? connectionString, string demoCounties,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var env = CommonEnvironment();
        env["Beacon__Storage"] = storage;
        env["ConnectionStrings__Beacon"] = connectionString;
        env["Beacon__Cluster__SiloPort"] = ports.Silo.ToString();
        env["Beacon__Cluster__GatewayPort"] = ports.Gateway.ToString();
        env["Beacon__Demo"] = "true";
        env["Beacon__DemoCounties"] = demoCounties;
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>()) env[key] = value;
        var silo = BeaconProcess.Start("silo", SiloDll, [], env);
        try
        {
            await silo.WaitForLineAsync(BeaconProcess.SiloReadyLine, StartTimeout);
            return silo;
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts a gateway and waits until GET /health answers 200. <paramref name="environment"/> adds or overrides
    /// variables (e.g. <c>Beacon__RateLimit__PermitLimit</c>); without it the gateway runs with its defaults.
    /// </summary>
    public static async Task<BeaconProcess> StartGatewayAsync(int httpPort, SiloPorts ports, string storage, string? connectionString,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var env = CommonEnvironment();
        env["Beacon__Storage"] = storage;
        env["ConnectionStrings__Beacon"] = connectionString;
        env["Beacon__Cluster__GatewayPort"] = ports.Gateway.ToString();
        env["Beacon__Auth__SigningKey"] = SigningKey;
        env["ASPNETCORE_URLS"] = $"http://127.0.0.1:{httpPort}";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>()) env[key] = value;
        var gateway = BeaconProcess.Start("gateway", GatewayDll, [], env);
        try
        {
            await gateway.WaitForHealthAsync($"http://127.0.0.1:{httpPort}", StartTimeout);
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }
}
