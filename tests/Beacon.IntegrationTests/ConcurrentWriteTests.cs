using System.Net;
using Beacon.IntegrationTests.Infrastructure;

namespace Beacon.IntegrationTests;

/// <summary>
/// Many enterprises created in one county at the same time, on PostgreSQL: their reports interleave in the county
/// grain and share register writes, and not one may be lost, before or after a restart. (The narrower race of a
/// write serialising state that an interleaved report changes needs sustained load to show; the benchmark's runs
/// watch for it in the silo's log.)
/// </summary>
public sealed class ConcurrentWriteTests
{
    private const string County = "620521";
    private static readonly string Admin = TestTokens.CountyAdmin(County);

    [Fact]
    public async Task Enterprises_created_together_in_one_county_all_land_and_all_count()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var cluster = await BeaconCluster.StartPostgresAsync(database.ConnectionString, County);
        var before = await cluster.SummaryAsync(County, Admin);

        var codes = Enumerable.Range(0, 240).Select(_ => TestEnterprises.NewCreditCode(County)).ToArray();
        var answers = new HttpStatusCode[codes.Length];
        await Parallel.ForAsync(0, codes.Length, new ParallelOptions { MaxDegreeOfParallelism = 48 }, async (i, _) =>
            answers[i] = (await cluster.PostAsync($"/api/counties/{County}/enterprises", Admin,
                TestEnterprises.New(codes[i], $"清水并发企业{i}", 20, 1))).Status);

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.Created, status));
        var after = await cluster.SummaryAsync(County, Admin);
        Assert.Equal(before.Int("registered") + codes.Length, after.Int("registered"));

        // The register of ids is durable: a restarted silo lists every one of them, and reconcile finds nothing to fix.
        await cluster.StopGatewayAsync();
        await cluster.StopSiloAsync();
        await cluster.StartSiloAsync();
        await cluster.StartGatewayAsync();
        var report = (await cluster.PostAsync($"/api/counties/{County}/reconcile", Admin, new System.Text.Json.Nodes.JsonObject()))
            .Expect(HttpStatusCode.OK).Json;
        Assert.Equal(before.Int("registered") + codes.Length, (await cluster.SummaryAsync(County, Admin)).Int("registered"));
        Assert.DoesNotContain(report["childrenCorrected"]!.AsArray(), c => c!.GetValue<string>().StartsWith("enterprise", StringComparison.Ordinal));
    }
}
