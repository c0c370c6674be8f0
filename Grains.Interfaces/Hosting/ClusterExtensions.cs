using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using Orleans.Connections.Security;
using Orleans.Hosting;

namespace Beacon.Hosting;

/// <summary>
/// The cluster as silo and gateway both see it, from <see cref="BeaconClusterOptions"/>: ids, the silo's endpoints,
/// clustering (the membership table in PostgreSQL, or one local silo), and mutual TLS with the pinned certificate.
/// Each host calls one of these once.
/// </summary>
public static class ClusterExtensions
{
    /// <summary>How long a silo waits for a peer's answer to a probe, and how many unanswered in a row make it suspect the peer.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);
    public const int MissedProbesLimit = 3;

    /// <summary>The ADO.NET invariant the Orleans providers load Npgsql by.</summary>
    public const string Invariant = "Npgsql";

    /// <param name="membershipConnectionString">PostgreSQL for the membership table; null for one local silo.</param>
    public static ISiloBuilder UseBeaconCluster(this ISiloBuilder silo, IConfiguration configuration, string? membershipConnectionString)
    {
        var options = BeaconClusterOptions.From(configuration);
        var certificate = ClusterCertificate.Load(options);
        var advertised = new IPEndPoint(options.Advertised, options.SiloPort);
        silo.Configure<ClusterOptions>(o => { o.ClusterId = options.ClusterId; o.ServiceId = options.ServiceId; });
        silo.Configure<EndpointOptions>(o =>
        {
            o.AdvertisedIPAddress = options.Advertised;
            o.SiloPort = options.SiloPort;
            o.GatewayPort = options.GatewayPort;
            o.SiloListeningEndpoint = new IPEndPoint(options.Listen, options.SiloPort);
            o.GatewayListeningEndpoint = new IPEndPoint(options.Listen, options.GatewayPort);
        });
        if (membershipConnectionString is null)
            silo.UseDevelopmentClustering(advertised);
        else
            silo.UseAdoNetClustering(o => { o.Invariant = Invariant; o.ConnectionString = membershipConnectionString; });
        // A silo that dies takes its counties with it until the others declare it dead; only then do its grains wake
        // elsewhere and its counties' writes succeed again. Orleans' defaults take tens of seconds to declare a dead silo
        // (BENCHMARKS.md, failover); probing more often declares it within seconds, and still needs several probes in
        // a row unanswered, so a silo held up by a long collection is not declared dead for it.
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = ProbeTimeout;
            o.NumMissedProbesLimit = MissedProbesLimit;
        });
        return silo.UseTls(certificate, tls => Pin(tls, certificate));
    }

    /// <param name="membershipConnectionString">PostgreSQL for the membership table; null for the one local silo at the advertised address.</param>
    public static IClientBuilder UseBeaconCluster(this IClientBuilder client, IConfiguration configuration, string? membershipConnectionString)
    {
        var options = BeaconClusterOptions.From(configuration);
        var certificate = ClusterCertificate.Load(options);
        client.Configure<ClusterOptions>(o => { o.ClusterId = options.ClusterId; o.ServiceId = options.ServiceId; });
        if (membershipConnectionString is null)
            client.UseStaticClustering(new IPEndPoint(options.Advertised, options.GatewayPort));
        else
            client.UseAdoNetClustering(o => { o.Invariant = Invariant; o.ConnectionString = membershipConnectionString; });
        return client.UseTls(certificate, tls => Pin(tls, certificate));
    }

    // Both ends require a certificate and take only the installation's: the peer's chain and name are not consulted
    // (the certificate is self-signed and pinned), which is why the platform's policy errors are ignored here.
    private static void Pin(TlsOptions tls, X509Certificate2 certificate)
    {
        tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.RemoteCertificateValidation = (remote, _, _) => ClusterCertificate.IsSame(remote, certificate);
    }
}
