using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;

namespace Beacon.Hosting;

/// <summary>
/// Section <c>Beacon:Cluster</c>: what silos and their clients (the gateways) must agree on to be one cluster: its ids,
/// the silo's ports and addresses, and the certificate every member presents. Read here once for both hosts.
/// </summary>
public sealed class BeaconClusterOptions
{
    public const string Section = "Beacon:Cluster";

    /// <summary>Membership rows are kept per cluster id: two deployments on one database stay apart by it.</summary>
    public string ClusterId { get; set; } = "beacon";

    /// <summary>Grain state and reminders are kept per service id: a second deployment that must not see the first's data takes another.</summary>
    public string ServiceId { get; set; } = "beacon";

    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address the silo binds its two ports to; <c>0.0.0.0</c> or <c>::</c> for every address.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// The address other silos and the gateways reach the silo at (published in the membership table); the listening
    /// address unless that is every address, which cannot be reached as such.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>The PKCS#12 file (certificate and private key) every silo and gateway presents; the installation's by default.</summary>
    public string? Certificate { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>Where the certificate's password is kept when <see cref="CertificatePassword"/> is not set.</summary>
    public string? CertificatePasswordFile { get; set; }

    public string CertificatePath => Certificate is { Length: > 0 } path ? path : Installation.PathOf(Installation.CertificateFile);

    public string PasswordFilePath => CertificatePasswordFile is { Length: > 0 } path ? path : Installation.PathOf(Installation.CertificatePasswordFile);

    public IPAddress Listen => Parse(ListenAddress, nameof(ListenAddress));

    public IPAddress Advertised =>
        AdvertisedAddress is { Length: > 0 } advertised ? Parse(advertised, nameof(AdvertisedAddress))
        : Listen.Equals(IPAddress.Any) || Listen.Equals(IPAddress.IPv6Any)
            ? throw new BeaconConfigurationException($"{Section}:{nameof(AdvertisedAddress)} must be set when the silo listens on every address ({Section}:{nameof(ListenAddress)} is {ListenAddress})")
            : Listen;

    /// <summary>The section, checked: a wrong value is a <see cref="BeaconConfigurationException"/> that names it.</summary>
    public static BeaconClusterOptions From(IConfiguration configuration)
    {
        BeaconClusterOptions options;
        try
        {
            options = configuration.GetSection(Section).Get<BeaconClusterOptions>() ?? new();
        }
        catch (InvalidOperationException e)
        {
            throw new BeaconConfigurationException($"{Section}: {e.Message}", e);
        }
        options.Check();
        return options;
    }

    private void Check()
    {
        if (string.IsNullOrWhiteSpace(ClusterId)) throw Problem(nameof(ClusterId), "must not be empty");
        if (string.IsNullOrWhiteSpace(ServiceId)) throw Problem(nameof(ServiceId), "must not be empty");
        if (SiloPort is < 1 or > 65535) throw Problem(nameof(SiloPort), $"is {SiloPort}, not a port (1-65535)");
        if (GatewayPort is < 1 or > 65535) throw Problem(nameof(GatewayPort), $"is {GatewayPort}, not a port (1-65535)");
        if (SiloPort == GatewayPort) throw Problem(nameof(GatewayPort), $"is {GatewayPort}, the same as {nameof(SiloPort)}");
        _ = Advertised; // parses both addresses
    }

    private static BeaconConfigurationException Problem(string setting, string what) => new($"{Section}:{setting} {what}");

    private static IPAddress Parse(string value, string setting) =>
        IPAddress.TryParse(value, out var address) && address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6
            ? address
            : throw Problem(setting, $"is '{value}', not an IP address");
}
