using System.Reflection;

namespace Beacon.TestSupport;

/// <summary>Where the repository is, and the silo and gateway binaries built in it.</summary>
public static class BeaconBinaries
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Beacon.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"No Beacon.slnx above {AppContext.BaseDirectory}: cannot find the repository root.");
    });

    public static string RepoRoot => Root.Value;

    /// <summary>
    /// The configuration (Debug, Release) this library was built with, which is its caller's: the binaries started are
    /// the same build's.
    /// </summary>
    public static string Configuration =>
        typeof(BeaconBinaries).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration is { Length: > 0 } c ? c : "Debug";

    public static string SiloDll => Binary("Silo", "Beacon.Silo.dll");
    public static string GatewayDll => Binary("Gateway", "Beacon.Gateway.dll");

    /// <summary><c>&lt;repo&gt;/<paramref name="project"/>/bin/&lt;Configuration&gt;/net10.0/<paramref name="dll"/></c>, which must exist.</summary>
    public static string Binary(string project, string dll)
    {
        var path = Path.Combine(RepoRoot, project, "bin", Configuration, "net10.0", dll);
        if (!File.Exists(path))
            throw new InvalidOperationException($"{path} does not exist: build the solution in {Configuration} first (dotnet build Beacon.slnx -c {Configuration}).");
        return path;
    }
}
