using System.Security.Cryptography.X509Certificates;
using Beacon.Hosting;

namespace Beacon.TestSupport;

/// <summary>
/// The secrets of the silos, gateways and clients a test run or the bench starts, made for it and for nothing else: a
/// cluster certificate made the way run.sh's installation gets one (<see cref="ClusterCertificate.CreateFiles"/>), its
/// password file, and the key its gateways sign and check tokens with. Nothing a developer's run.sh made is used.
/// </summary>
public sealed class ThrowawaySecrets
{
    public string CertificatePath { get; }
    public string CertificatePasswordFile { get; }
    public string SigningKey { get; }

    private ThrowawaySecrets(string certificatePath, string certificatePasswordFile, string signingKey)
    {
        CertificatePath = certificatePath;
        CertificatePasswordFile = certificatePasswordFile;
        SigningKey = signingKey;
    }

    /// <summary>Writes a new certificate and its password into <paramref name="directory"/>; the signing key is random unless given.</summary>
    public static ThrowawaySecrets Create(string directory, string? signingKey = null)
    {
        var secrets = new ThrowawaySecrets(Path.Combine(directory, Installation.CertificateFile),
            Path.Combine(directory, Installation.CertificatePasswordFile), signingKey ?? $"beacon-throwaway-signing-key-{Guid.NewGuid():N}");
        using var _ = ClusterCertificate.CreateFiles(secrets.CertificatePath, secrets.CertificatePasswordFile);
        return secrets;
    }

    /// <summary>The certificate with its private key, as a silo or gateway started with these secrets presents it.</summary>
    public X509Certificate2 LoadCertificate() =>
        ClusterCertificate.Load(new BeaconClusterOptions { Certificate = CertificatePath, CertificatePasswordFile = CertificatePasswordFile });

    /// <summary>The cluster settings as configuration keys, for a client or silo hosted in this process.</summary>
    public Dictionary<string, string?> ClusterConfiguration() => new()
    {
        [$"{BeaconClusterOptions.Section}:{nameof(BeaconClusterOptions.Certificate)}"] = CertificatePath,
        [$"{BeaconClusterOptions.Section}:{nameof(BeaconClusterOptions.CertificatePasswordFile)}"] = CertificatePasswordFile,
    };
}

/// <summary>The environment every silo and gateway a test or the bench starts gets.</summary>
public static class BeaconEnvironment
{
    /// <summary>
    /// Production (as an operator runs them), one line per log entry with a timestamp and no colours (so that lines can
    /// be waited for and read), and the cluster certificate of <paramref name="secrets"/>. The caller adds storage,
    /// ports, the signing key for a gateway and whatever else it needs.
    /// </summary>
    public static Dictionary<string, string?> Common(ThrowawaySecrets secrets) => new()
    {
        ["DOTNET_ENVIRONMENT"] = "Production",
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Logging__Console__FormatterName"] = "simple",
        ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
        ["Logging__Console__FormatterOptions__ColorBehavior"] = "Disabled",
        ["Beacon__Cluster__Certificate"] = secrets.CertificatePath,
        ["Beacon__Cluster__CertificatePasswordFile"] = secrets.CertificatePasswordFile,
        // A silo's own HTTP listener (/health, /metrics) on a port of its own, so that silos started side by side never meet.
        ["Beacon__Silo__HttpPort"] = Loopback.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
