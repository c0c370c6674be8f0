using System.Security.Cryptography.X509Certificates;
using Beacon.Hosting;
using Beacon.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Hosting;
using Xunit.Abstractions;
using static Beacon.IntegrationTests.Infrastructure.InMemoryClusterFixture;

namespace Beacon.IntegrationTests;

/// <summary>
/// The silo's ports take only Beacon's own processes: an Orleans client of the kind anyone on the machine can write in
/// twenty lines cannot call a grain unless it shows the installation's certificate. The real gateway, which does, is
/// what every other test of this project talks to.
/// </summary>
public sealed class ClusterTlsTests(ClusterTlsTests.SiloFixture fixture, ITestOutputHelper output) : IClassFixture<ClusterTlsTests.SiloFixture>
{
    public sealed class SiloFixture : IAsyncLifetime
    {
        public SiloPorts Ports { get; } = SiloPorts.Free();
        public BeaconProcess? Silo { get; private set; }

        public async Task InitializeAsync() => Silo = await BeaconProcesses.StartSiloAsync(Ports, "memory", null, Qingshui);

        public async Task DisposeAsync()
        {
            if (Silo is not null) await Silo.DisposeAsync();
        }
    }

    /// <summary>Reads 清水县's summary through a plain Orleans client of the silo's gateway port; answers it, or why not.</summary>
    private async Task<(CountySummary? Summary, string Failure)> ReadCountyAsync(Action<IClientBuilder> security)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client =>
        {
            // The cluster's ids are no secret (they are the README's defaults): only the certificate may keep a client out.
            client.UseLocalhostClustering(fixture.Ports.Gateway, serviceId: "beacon", clusterId: "beacon");
            security(client);
        });
        using var host = builder.Build();
        // The client with the certificate reads in a few seconds; one without never does.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var stage = "connecting";
        try
        {
            await host.StartAsync(timeout.Token);
            stage = "calling the county grain";
            var county = host.Services.GetRequiredService<IClusterClient>().GetGrain<ICountyGrain>(Qingshui);
            return (await county.GetSummaryAsync().WaitAsync(timeout.Token), "");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (null, $"{stage}: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            try { await host.StopAsync(TimeSpan.FromSeconds(5)); }
            catch (Exception e) when (e is OperationCanceledException or OrleansException or InvalidOperationException) { /* it never connected */ }
        }
    }

    private void AssertRefused((CountySummary? Summary, string Failure) answer, string client)
    {
        output.WriteLine($"{client}: {answer.Failure}");
        Assert.True(answer.Summary is null, $"{client} read county {Qingshui} ({answer.Summary?.Name}) through the silo's gateway port.\n{fixture.Silo?.Describe()}");
    }

    [Fact]
    public async Task An_Orleans_client_without_a_certificate_cannot_read_a_county() =>
        AssertRefused(await ReadCountyAsync(_ => { }), "a plain client");

    [Fact]
    public async Task An_Orleans_client_with_a_certificate_of_its_own_cannot_read_a_county()
    {
        // Made exactly as Beacon makes the installation's, with the same name: only the key differs.
        using var own = ClusterCertificate.Create();
        AssertRefused(await ReadCountyAsync(client => client.UseTls(own, tls => tls.AllowAnyRemoteCertificate())), "a client with its own certificate");
    }

    [Fact]
    public async Task The_same_client_with_the_installations_certificate_reads_the_county()
    {
        // The control: the refusals above are the certificate's doing, not a fault of the client.
        using var certificate = BeaconProcesses.LoadCertificate();
        var (summary, failure) = await ReadCountyAsync(client => client.UseTls(certificate, tls => tls.AllowAnyRemoteCertificate()));
        Assert.True(summary is not null, $"the client with the installation's certificate could not read the county: {failure}\n{fixture.Silo?.Describe()}");
        Assert.Equal("清水县", summary.Name);
    }

    [Theory]
    [InlineData("no file", "no cluster certificate at")]
    [InlineData("wrong password", "cannot open the cluster certificate")]
    public async Task A_silo_without_a_usable_certificate_says_so_in_one_line_and_exits(string problem, string said)
    {
        var dir = BeaconProcesses.NewDirectory("bad-certificate");
        var env = new Dictionary<string, string?>();
        if (problem == "no file")
        {
            env["Beacon__Cluster__Certificate"] = Path.Combine(dir, "missing.pfx");
        }
        else
        {
            using var certificate = ClusterCertificate.Create();
            var path = Path.Combine(dir, "cluster.pfx");
            File.WriteAllBytes(path, certificate.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, "the-right-one"));
            env["Beacon__Cluster__Certificate"] = path;
            env["Beacon__Cluster__CertificatePasswordFile"] = null;
            env["Beacon__Cluster__CertificatePassword"] = "a-wrong-one";
        }
        await using var silo = BeaconProcess.Start("silo", BeaconProcesses.SiloDll, [], Merge(BeaconProcesses.CommonEnvironment(), env));
        Assert.True(await silo.WaitForExitAsync(TimeSpan.FromSeconds(60)), $"the silo kept running without a usable certificate.\n{silo.Describe()}");
        ConfigurationAssert.OneLineAndExit(silo, said);
    }

    private static Dictionary<string, string?> Merge(Dictionary<string, string?> env, Dictionary<string, string?> more)
    {
        foreach (var (key, value) in more) env[key] = value;
        return env;
    }
}

/// <summary>What a person sees when a setting is wrong: one line on stderr that says which, a non-zero exit, no stack trace.</summary>
public static class ConfigurationAssert
{
    public static void OneLineAndExit(BeaconProcess process, string said)
    {
        Assert.True(process.ExitCode != 0, $"{process.Name} exited with 0 on a configuration problem.\n{process.Describe()}");
        var errors = process.StandardErrorLines.Where(l => l.Trim().Length > 0).ToArray();
        Assert.True(errors.Length == 1, $"{process.Name} wrote {errors.Length} lines on stderr, not one.\n{process.Describe()}");
        Assert.Contains(said, errors[0]);
        Assert.DoesNotContain("   at ", process.Output);
        Assert.DoesNotContain("Exception", process.Output);
    }
}
