using System.Net;
using Beacon.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Beacon.IntegrationTests;

/// <summary>Cluster ids and addresses are settings: two deployments on one PostgreSQL database do not merge into one cluster.</summary>
public sealed class ClusterConfigurationTests(ITestOutputHelper output)
{
    private const string County = "620521";
    private static readonly string Admin = TestTokens.CountyAdmin(County);

    private static Dictionary<string, string?> Deployment(string id, string? listen = null) => new()
    {
        ["Beacon__Cluster__ClusterId"] = id,
        ["Beacon__Cluster__ServiceId"] = id,
        ["Beacon__Cluster__ListenAddress"] = listen,
    };

    [Fact]
    public async Task Two_deployments_with_their_own_cluster_ids_share_a_database_and_nothing_else()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var (portsA, portsB) = (SiloPorts.Free(), SiloPorts.Free());
        var (httpA, httpB) = (BeaconProcesses.FreePort(), BeaconProcesses.FreePort());
        var processes = new List<BeaconProcess>();
        try
        {
            // B's silo listens on another loopback address, which it publishes in the membership table for its gateway.
            processes.Add(await BeaconProcesses.StartSiloAsync(portsA, "postgres", database.ConnectionString, County, Deployment("beacon-a")));
            processes.Add(await BeaconProcesses.StartSiloAsync(portsB, "postgres", database.ConnectionString, County, Deployment("beacon-b", "127.0.0.2")));
            processes.Add(await BeaconProcesses.StartGatewayAsync(httpA, portsA, "postgres", database.ConnectionString, Deployment("beacon-a")));
            processes.Add(await BeaconProcesses.StartGatewayAsync(httpB, portsB, "postgres", database.ConnectionString, Deployment("beacon-b")));
            string Describe() => string.Join("\n", processes.Select(p => p.Describe()));

            using var a = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpA}") };
            using var b = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpB}") };
            a.DefaultRequestHeaders.Authorization = b.DefaultRequestHeaders.Authorization = new("Bearer", Admin);

            // Each gateway sees one silo: its own deployment's.
            Assert.Contains("\"silos\":1", await a.GetStringAsync("/health"));
            Assert.Contains("\"silos\":1", await b.GetStringAsync("/health"));
            var members = (await database.QueryAsync("SELECT deployment_id, address FROM orleans_membership WHERE status = 3 ORDER BY deployment_id"))
                .Select(r => $"{r[0]} {r[1]}").ToArray();
            Assert.True(members is ["beacon-a 127.0.0.1", "beacon-b 127.0.0.2"], $"active silos: {string.Join(", ", members)}\n{Describe()}");

            // And their data apart: an enterprise written through A is not in B's county.
            var code = TestEnterprises.NewCreditCode(County);
            using var created = await a.PostAsync($"/api/counties/{County}/enterprises",
                new StringContent(TestEnterprises.New(code, "清水县甲部署企业").ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            using var inB = await b.GetAsync($"/api/counties/{County}/enterprises/{code}");
            Assert.Equal(HttpStatusCode.NotFound, inB.StatusCode);
        }
        finally
        {
            foreach (var process in Enumerable.Reverse(processes))
            {
                output.WriteLine(process.Describe());
                await process.DisposeAsync();
            }
        }
    }
}
