using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace Beacon.Hosting;

/// <summary>
/// The certificate every member of an installation's cluster presents, and the only one any member accepts: a silo
/// takes a connection (from a silo or a gateway) only from a peer that shows this very certificate, and a gateway
/// talks only to a silo that shows it. Pinned rather than checked against a CA: an installation has one self-signed
/// certificate that all its processes share, so there is no CA to keep safe, and nothing else (not even another
/// certificate from the same issuer) can join. Replacing it means restarting every silo and gateway with the new one.
/// </summary>
public static class ClusterCertificate
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    /// <summary>A new self-signed certificate for silo and gateway alike: TLS server and client, valid for ten years.</summary>
    public static X509Certificate2 Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Beacon cluster", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuthentication), new Oid(ClientAuthentication)], false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
    }

    /// <summary>Writes a new certificate and a random password for it, each readable by its owner only.</summary>
    public static X509Certificate2 CreateFiles(string certificatePath, string passwordPath)
    {
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        var certificate = Create();
        Installation.WriteSecret(passwordPath, Encoding.UTF8.GetBytes(password + "\n"));
        Installation.WriteSecret(certificatePath, certificate.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, password));
        return certificate;
    }

    /// <summary>The configured certificate with its private key, or a <see cref="BeaconConfigurationException"/> that says what is wrong.</summary>
    public static X509Certificate2 Load(BeaconClusterOptions options)
    {
        const string setting = $"{BeaconClusterOptions.Section}:{nameof(BeaconClusterOptions.Certificate)}";
        var path = options.CertificatePath;
        if (!File.Exists(path))
            throw new BeaconConfigurationException($"no cluster certificate at {path}: set {setting} to a PKCS#12 file with its private key (./run.sh makes one per installation)");
        var password = options.CertificatePassword
            ?? Installation.ReadSecret(options.PasswordFilePath, "cluster certificate password", $"{BeaconClusterOptions.Section}:{nameof(BeaconClusterOptions.CertificatePasswordFile)}");
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (CryptographicException e)
        {
            throw new BeaconConfigurationException($"cannot open the cluster certificate {path} ({e.Message.TrimEnd('.')}): check {setting} and its password ({BeaconClusterOptions.Section}:{nameof(BeaconClusterOptions.CertificatePassword)})", e);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new BeaconConfigurationException($"cannot read the cluster certificate {path} ({setting}): {e.Message}", e);
        }
        if (!certificate.HasPrivateKey)
            throw new BeaconConfigurationException($"the cluster certificate {path} has no private key ({setting} must hold both)");
        return certificate;
    }

    /// <summary>Whether a peer's certificate is this very one (by its SHA-256 hash); its name and issuer do not matter.</summary>
    public static bool IsSame(X509Certificate2 remote, X509Certificate2 local) =>
        remote.GetCertHash(HashAlgorithmName.SHA256).AsSpan().SequenceEqual(local.GetCertHash(HashAlgorithmName.SHA256));

    public static string Thumbprint(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);

    /// <summary>
    /// <c>new-certificate</c>: writes the configured certificate file (the installation's by default) and its password
    /// file, and refuses to replace either. Answers null when the arguments are not this command.
    /// </summary>
    public static int? RunCommand(string[] args, IConfiguration configuration, TextWriter output)
    {
        if (args is not ["new-certificate", ..]) return null;
        var options = BeaconClusterOptions.From(configuration);
        foreach (var path in new[] { options.CertificatePath, options.PasswordFilePath })
            if (File.Exists(path)) throw new BeaconConfigurationException($"{path} exists already: new-certificate never replaces a certificate (remove both files to start again)");
        try
        {
            var certificate = CreateFiles(options.CertificatePath, options.PasswordFilePath);
            output.WriteLine($"wrote {options.CertificatePath} and {options.PasswordFilePath} (SHA-256 {Thumbprint(certificate)})");
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new BeaconConfigurationException($"cannot write the cluster certificate: {e.Message}", e);
        }
        return 0;
    }
}
