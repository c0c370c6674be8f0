using System.Net;
using System.Text.Json.Nodes;
using Beacon.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Beacon.IntegrationTests;

/// <summary>Real silo and gateway processes on a fresh PostgreSQL database: what was written survives a restart.</summary>
public sealed class PostgresRestartTests(ITestOutputHelper output)
{
    private const string County = "620521";
    /// <summary>Enterprises created before the crash: more than the county's register journal holds before it is folded (64).</summary>
    private const int Created = 70;
    private static readonly string Admin = TestTokens.CountyAdmin(County);

    [Fact]
    public async Task A_gateway_started_before_its_silo_waits_for_it_and_then_serves()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var cluster = BeaconCluster.UnstartedPostgres(database.ConnectionString, County);
        try
        {
            // A fresh database: no schema and no silo in the membership table until the silo starts.
            var gatewayUp = cluster.StartGatewayAsync();
            await Task.WhenAny(gatewayUp, Task.Delay(TimeSpan.FromSeconds(4)));
            Assert.False(gatewayUp.IsCompleted, gatewayUp.Exception is { } e
                ? $"the gateway did not wait for a silo: {e.InnerException?.Message}"
                : "the gateway answered /health 200 with no silo running");

            await cluster.StartSiloAsync();
            await gatewayUp;
            Assert.Contains("Beacon: waiting for a silo", cluster.Gateway!.Output);
            Assert.Equal(509, (await cluster.SummaryAsync(County, Admin)).Int("base"));
        }
        finally
        {
            cluster.WriteTo(output);
        }
    }

    [Fact]
    public async Task Registers_and_figures_survive_a_restart_and_the_demo_is_not_reloaded()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var cluster = await BeaconCluster.StartPostgresAsync(database.ConnectionString, County);
        try
        {
            Assert.Contains("1 of 1 demo counties loaded", cluster.Silo!.Output);

            // The published figures of 清水县 (seeds/000), as the demo loads them.
            var first = await cluster.SummaryAsync(County, Admin);
            Assert.Equal(County, first["county"]!.GetValue<string>());
            Assert.Equal(509, first.Int("base"));
            Assert.Equal(85, first.Int("organisations.total"));
            Assert.Equal(0.22, Math.Round(first.Double("orgCoverage"), 2));
            Assert.Equal(224, first.Int("partyMembers"));
            Assert.Equal(42, first.Int("instructors.partTime"));
            Assert.Equal(52, first.Int("instructors.enterprisesGuided"));

            var (a, b) = (TestEnterprises.NewCreditCode(County), TestEnterprises.NewCreditCode(County));
            foreach (var (org, name) in new[] { ("QS-HD", "清水县恒达果业有限公司党支部"), ("QS-QT", "清水县秦亭建材有限公司党支部") })
                (await cluster.PostAsync($"/api/counties/{County}/organisations", Admin, TestOrganisations.New(org, name, host: "enterprise")))
                    .Expect(HttpStatusCode.Created);
            (await cluster.PostAsync($"/api/counties/{County}/enterprises", Admin, TestEnterprises.New(a, "清水县恒达果业有限公司", 40, 2))).Expect(HttpStatusCode.Created);
            (await cluster.PostAsync($"/api/counties/{County}/enterprises", Admin,
                TestEnterprises.New(b, "清水县秦亭建材有限公司", 60, 3, mode: "standalone", organisationId: "QS-QT"))).Expect(HttpStatusCode.Created);
            (await cluster.PutAsync($"/api/counties/{County}/enterprises/{a}", Admin,
                TestEnterprises.New(a, "清水县恒达果业有限公司", 45, 5, mode: "standalone", organisationId: "QS-HD"))).Expect(HttpStatusCode.OK);

            var enterpriseA = await cluster.GetJsonAsync($"/api/counties/{County}/enterprises/{a}", Admin);
            var enterpriseB = await cluster.GetJsonAsync($"/api/counties/{County}/enterprises/{b}", Admin);
            Assert.Equal(5, enterpriseA.Int("partyMembers"));
            Assert.Equal(2, enterpriseA.Long("version"));
            var before = await cluster.SummaryAsync(County, Admin);
            var past = await PastAsync(cluster);
            Assert.Equal(23, past.Length);
            Assert.Equal(511, before.Int("base"));
            Assert.Equal(224 + 5 + 3, before.Int("partyMembers"));
            Assert.Equal(85 + 2, before.Int("organisations.total"));

            await cluster.RestartAsync();

            Assert.Contains("0 of 1 demo counties loaded", cluster.Silo!.Output);
            JsonFigures.AssertJsonEqual(enterpriseA, await cluster.GetJsonAsync($"/api/counties/{County}/enterprises/{a}", Admin), $"enterprise {a} after the restart");
            JsonFigures.AssertJsonEqual(enterpriseB, await cluster.GetJsonAsync($"/api/counties/{County}/enterprises/{b}", Admin), $"enterprise {b} after the restart");
            var after = await cluster.SummaryAsync(County, Admin);
            JsonFigures.AssertSameFigures(before, after, "the county summary after the restart");
            Assert.True(after.Long("seq") > before.Long("seq"), $"seq after the restart {after.Long("seq")} is not greater than before {before.Long("seq")}");
            Assert.Equal(511, after.Int("base")); // not doubled by a second demo load
            Assert.Equal(past, await PastAsync(cluster));
        }
        finally
        {
            cluster.WriteTo(output);
        }
    }

    /// <summary>
    /// The silo wakes its counties once it is active: the province's row for the county reaches the new activation's
    /// epoch, with the same figures, while nobody asks the county (the comparison asks only a county it has no row for).
    /// </summary>
    [Fact]
    public async Task After_a_restart_the_silo_wakes_the_county_and_its_figures_reach_the_province_before_anyone_asks()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var cluster = await BeaconCluster.StartPostgresAsync(database.ConnectionString, County);
        var overseer = TestTokens.Overseer(Places.ProvinceOf(County));
        var comparison = $"/api/provinces/{Places.ProvinceOf(County)}/comparison";
        try
        {
            var before = await cluster.SummaryAsync(County, Admin);
            var kept = await RowAsync(cluster, comparison, overseer, before.Long("seq"));
            JsonFigures.AssertSameFigures(before, kept, "the province's row before the restart");

            await cluster.RestartAsync();

            var row = await RowAsync(cluster, comparison, overseer, before.Long("seq") + 1);
            Assert.True(row.Long("seq") > before.Long("seq"), $"the county's row kept seq {row.Long("seq")}: it did not report after the restart");
            JsonFigures.AssertSameFigures(before, row, "the province's row after the restart");
            Assert.Contains("1 of 1 counties woken at start-up", cluster.Silo!.Output);
        }
        finally
        {
            cluster.WriteTo(output);
        }
    }

    /// <summary>The county's row in the province's comparison once its seq is at least <paramref name="atLeast"/> (or after 30 s, whatever it is then).</summary>
    private static async Task<JsonObject> RowAsync(BeaconCluster cluster, string comparison, string token, long atLeast)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var rows = (await cluster.GetJsonAsync(comparison, token))["rows"]!.AsArray();
            var row = rows.Select(r => r!.AsObject()).Single(r => r["county"]!.GetValue<string>() == County);
            if (row.Long("seq") >= atLeast || clock.Elapsed > TimeSpan.FromSeconds(30)) return row;
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// A crash loses what the county had not yet written behind; here all its ledger rows are deleted while the silo
    /// is dead, the worst such loss. The county must notice on waking that its last activation never ended, and
    /// rebuild its figures from its children without anyone asking (compare the graceful stop below, which does not).
    /// </summary>
    [Fact]
    public async Task A_county_that_crashed_before_writing_its_ledger_rebuilds_its_figures_by_itself()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var cluster = await BeaconCluster.StartPostgresAsync(database.ConnectionString, County);
        try
        {
            // More new enterprises than the county's register journal holds (64), eight at a time: some reach the
            // register's rows, the last ones only its journal, and the crash comes before the county folds them in.
            await Parallel.ForAsync(0, Created, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (n, _) =>
            {
                var code = TestEnterprises.NewCreditCode(County);
                (await cluster.PostAsync($"/api/counties/{County}/enterprises", Admin, TestEnterprises.New(code, $"清水县秦亭建材有限公司{n}", 30, 3)))
                    .Expect(HttpStatusCode.Created);
            });
            var before = await cluster.SummaryAsync(County, Admin);
            Assert.Equal((509 + Created, 224 + 3 * Created), (before.Int("base"), before.Int("partyMembers")));
            var past = await PastAsync(cluster);

            await cluster.StopGatewayAsync();
            await cluster.KillSiloAsync();
            var wiped = await database.ExecuteAsync(
                "DELETE FROM orleans_grain_state WHERE service_id = 'beacon' AND state_name LIKE 'ledger-%' " +
                "AND (grain_id_extension = @county OR (grain_id_extension IS NULL AND grain_id_n0 = 0 AND grain_id_n1 = @n1))",
                ("county", County), ("n1", Convert.ToInt64(County, 16)));
            await cluster.StartSiloAsync();
            await cluster.StartGatewayAsync();

            var clock = System.Diagnostics.Stopwatch.StartNew();
            var now = await cluster.SummaryAsync(County, Admin);
            while ((now.Int("base"), now.Int("partyMembers")) != (509 + Created, 224 + 3 * Created) && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(500);
                now = await cluster.SummaryAsync(County, Admin);
            }
            Assert.True((now.Int("base"), now.Int("partyMembers")) == (509 + Created, 224 + 3 * Created),
                $"after the crash ({wiped} ledger rows lost) the county shows base {now.Int("base")}, members {now.Int("partyMembers")} " +
                $"{clock.Elapsed.TotalSeconds:F0} s after it woke; expected {509 + Created} and {224 + 3 * Created}");
            Assert.Equal(before.Int("organisations.total"), now.Int("organisations.total"));
            // The kept days are stored apart from the ledger, and come back whole.
            Assert.Equal(past, await PastAsync(cluster));
        }
        finally
        {
            cluster.WriteTo(output);
        }
    }

    [Fact]
    public async Task A_county_whose_ledger_rows_are_lost_asks_its_children_by_itself_and_reconcile_then_finds_nothing()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var cluster = await BeaconCluster.StartPostgresAsync(database.ConnectionString, County);
        try
        {
            var (a, b) = (TestEnterprises.NewCreditCode(County), TestEnterprises.NewCreditCode(County));
            (await cluster.PostAsync($"/api/counties/{County}/enterprises", Admin, TestEnterprises.New(a, "清水县白驼物流有限公司", 25, 1))).Expect(HttpStatusCode.Created);
            (await cluster.PostAsync($"/api/counties/{County}/enterprises", Admin,
                TestEnterprises.New(b, "清水县金集农业合作社", 12, 4, mode: "standalone"))).Expect(HttpStatusCode.Created);
            var before = await cluster.SummaryAsync(County, Admin);
            var past = await PastAsync(cluster);
            Assert.Equal(23, past.Length);
            Assert.Equal(511, before.Int("base"));

            await cluster.StopAsync();
            // The county's derived figures (the "ledger-NN" rows of CountyGrain) are lost; its register and the entities are not.
            // Orleans' ADO.NET storage reads a string key made of hex digits as an integer key (GrainId.TryGetIntegerKey):
            // county "620521" is stored as grain_id_n1 = 0x620521 with no extension. Either form is accepted here.
            var wiped = await database.ExecuteAsync(
                "DELETE FROM orleans_grain_state WHERE service_id = 'beacon' AND state_name LIKE 'ledger-%' " +
                "AND (grain_id_extension = @county OR (grain_id_extension IS NULL AND grain_id_n0 = 0 AND grain_id_n1 = @n1))",
                ("county", County), ("n1", Convert.ToInt64(County, 16)));
            Assert.True(wiped >= 8, $"expected to delete the ledger rows of county {County}, deleted {wiped}; ledger rows: " +
                string.Join("; ", (await database.QueryAsync("SELECT state_name, grain_id_n0, grain_id_n1, grain_id_extension FROM orleans_grain_state WHERE state_name LIKE 'ledger%'"))
                    .Select(r => string.Join(",", r))));
            await cluster.StartSiloAsync();
            await cluster.StartGatewayAsync();

            // The county wakes with no contribution for any child its register holds, and asks each of them, unasked.
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var now = await cluster.SummaryAsync(County, Admin);
            while (now.Int("base") != 511 && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(500);
                now = await cluster.SummaryAsync(County, Admin);
            }
            JsonFigures.AssertSameFigures(before, now, $"the county summary {clock.Elapsed.TotalSeconds:F0} s after it woke with its ledger lost");

            // Nothing is left for a reconcile to correct, and it says so.
            var report = (await cluster.PostAsync($"/api/counties/{County}/reconcile", Admin)).Expect(HttpStatusCode.OK).Object;
            Assert.True(report["consistent"]!.GetValue<bool>(), report.ToJsonString());
            Assert.True(report.Int("childrenAsked") >= 511, report.ToJsonString());
            var rebuilt = await cluster.SummaryAsync(County, Admin);
            JsonFigures.AssertSameFigures(before, rebuilt, "the county summary after reconcile");
            Assert.True(rebuilt.Long("seq") > before.Long("seq"));
        }
        finally
        {
            cluster.WriteTo(output);
        }
    }

    [Fact]
    public async Task Forty_changes_to_an_enterprise_all_survive_a_restart_while_its_own_record_stays_smaller_than_a_page()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var cluster = await BeaconCluster.StartPostgresAsync(database.ConnectionString, County);
        try
        {
            var code = TestEnterprises.NewCreditCode(County);
            var at = $"/api/counties/{County}/enterprises/{code}";
            (await cluster.PostAsync($"/api/counties/{County}/enterprises", Admin, TestEnterprises.New(code, "清水县永清纸业有限公司", 11))).Expect(HttpStatusCode.Created);
            for (var employees = 12; employees <= 50; employees++)
                (await cluster.PutAsync(at, Admin, TestEnterprises.New(code, "清水县永清纸业有限公司", employees))).Expect(HttpStatusCode.OK);

            var history = (await cluster.GetAsync($"{at}/history", Admin)).Expect(HttpStatusCode.OK).Json.AsArray();
            Assert.Equal(Enumerable.Range(1, 40).Select(v => (long)v), history.Select(h => h!["version"]!.GetValue<long>()));
            for (var v = 2; v <= 40; v++)
            {
                var employees = history[v - 1]!["changes"]!.AsArray().Single(c => (string?)c!["field"] == "employees")!;
                Assert.Equal((v + 9, v + 10), (employees["before"]!.GetValue<int>(), employees["after"]!.GetValue<int>()));
            }

            await cluster.RestartAsync();
            JsonFigures.AssertJsonEqual(history, (await cluster.GetAsync($"{at}/history", Admin)).Expect(HttpStatusCode.OK).Json,
                $"the history of enterprise {code} after the restart");

            var rows = await database.QueryAsync(
                "SELECT state_name, octet_length(payload) FROM orleans_grain_state WHERE service_id = 'beacon' AND grain_id_extension LIKE @entity",
                ("entity", $"{County}/{code}%"));
            var entity = rows.Where(r => (string)r[0]! == "enterprise").Select(r => (int)r[1]!).Single();
            var pages = rows.Where(r => (string)r[0]! == "history-page").Select(r => (int)r[1]!).ToArray();
            Assert.Single(pages); // 40 changes: one sealed page of RegisterGrain.PageSize (32) and 8 in the record
            Assert.True(entity < pages.Min(), $"the enterprise's record is {entity} bytes, its sealed pages {string.Join(", ", pages)}");
        }
        finally
        {
            cluster.WriteTo(output);
        }
    }

    /// <summary>The county's kept month-ends of the last two years (today's live point left out), as the trend answers them.</summary>
    private static async Task<string[]> PastAsync(BeaconCluster cluster)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var from = new DateOnly(today.Year, today.Month, 1).AddMonths(-23);
        var trend = await cluster.GetJsonAsync($"/api/counties/{County}/trend?figure=orgCoverage&from={from:yyyy-MM}", Admin);
        return [.. trend["points"]!.AsArray().Select(p => p!.ToJsonString()).SkipLast(1)];
    }
}
