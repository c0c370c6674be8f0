using System.Net;
using Beacon.Grains.Hosting;
using Beacon.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace Beacon.IntegrationTests;

/// <summary>
/// The schema migrations on a real PostgreSQL: each applied once and recorded in its journal, by one of the silos (or
/// runners) that start together, on a fresh database and on one an older Beacon made; a failure is one line.
/// </summary>
public sealed class SchemaMigrationTests(ITestOutputHelper output)
{
    private const string County = "620521";
    private const string First = "001-orleans-postgres.sql";
    private static readonly string SchemaDirectory = Path.Combine(BeaconProcesses.RepoRoot, "Grains", "Hosting", "Schema");
    /// <summary>Every migration this build carries, in the order they apply; a fresh or an old database gets them all.</summary>
    private static readonly string[] All =
        [.. Directory.GetFiles(SchemaDirectory, "*.sql").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];
    private static readonly string AppliedAll = $"PostgreSQL schema is up to date (applied {string.Join(", ", All)})";
    private static readonly string Admin = TestTokens.CountyAdmin(County);

    private static async Task<string[]> JournalAsync(PostgresDatabase database) =>
        [.. (await database.QueryAsync($"SELECT scriptname FROM {PostgresSchema.JournalTable} ORDER BY schemaversionsid")).Select(r => (string)r[0]!)];

    private static Task<List<object?[]>> QueriesAsync(PostgresDatabase database) =>
        database.QueryAsync("SELECT querykey, querytext FROM orleansquery ORDER BY querykey");

    /// <summary>What an older Beacon's silo did at every start (its PostgresSchema): the whole script, one command, one transaction.</summary>
    private static async Task ApplyTheOldWayAsync(PostgresDatabase database)
    {
        var script = await File.ReadAllTextAsync(Path.Combine(SchemaDirectory, First));
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand(script, connection, transaction) { CommandTimeout = 120 })
            await command.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    [Fact]
    public async Task A_fresh_database_gets_every_migration_once_and_a_second_run_applies_nothing()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var connectionString = BeaconOptions.WithDefaults(database.ConnectionString);

        Assert.Equal(All, await PostgresSchema.ApplyAsync(connectionString));
        var queries = await QueriesAsync(database);
        Assert.Contains(queries, q => (string)q[0]! == "WriteToStorageKey");
        Assert.Contains(queries, q => (string)q[0]! == "CleanupDefunctSiloEntriesKey");

        Assert.Empty(await PostgresSchema.ApplyAsync(connectionString));
        Assert.Equal(All, await JournalAsync(database));
        Assert.Equal(queries.Select(q => $"{q[0]}={q[1]}"), (await QueriesAsync(database)).Select(q => $"{q[0]}={q[1]}"));
    }

    [Fact]
    public async Task Runners_that_start_together_on_a_fresh_database_apply_each_migration_once()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var connectionString = BeaconOptions.WithDefaults(database.ConnectionString);
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            await go.Task;
            return await PostgresSchema.ApplyAsync(connectionString);
        })).ToArray();
        go.SetResult();
        var applied = await Task.WhenAll(runs);

        var said = string.Join("; ", applied.Select(a => $"[{string.Join(", ", a)}]"));
        Assert.True(applied.Count(a => a.Count > 0) == 1, $"not exactly one run applied the migrations: {said}");
        Assert.Equal(All, applied.Single(a => a.Count > 0));
        Assert.Equal(All, await JournalAsync(database));
    }

    [Fact]
    public async Task Two_silos_started_together_on_a_fresh_database_both_start_and_one_applies_the_schema()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var starting = new[] { SiloPorts.Free(), SiloPorts.Free() }
            .Select(ports => BeaconProcesses.StartSiloAsync(ports, "postgres", database.ConnectionString, County)).ToArray();
        try
        {
            await Task.WhenAll(starting);
            var silos = starting.Select(s => s.Result).ToArray();
            var outputs = string.Join("\n", silos.Select(s => s.Describe()));
            Assert.True(silos.Count(s => s.Output.Contains(AppliedAll, StringComparison.Ordinal)) == 1,
                $"not exactly one silo applied the migrations.\n{outputs}");
            Assert.True(silos.Count(s => s.Output.Contains("PostgreSQL schema is up to date (nothing to apply)", StringComparison.Ordinal)) == 1,
                $"not exactly one silo found nothing to apply.\n{outputs}");
            Assert.Equal(All, await JournalAsync(database));
        }
        finally
        {
            foreach (var silo in starting.Where(s => s.IsCompletedSuccessfully).Select(s => s.Result))
            {
                output.WriteLine(silo.Describe());
                await silo.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// A database as an older Beacon leaves it: the objects of its script, which it ran at every start, the data its
    /// silos wrote, and no journal. Here this build's silo writes the data (on a database set up the old way, which is
    /// its first upgrade), then its journal is dropped and the old script run once more, as an older silo's start would.
    /// </summary>
    [Fact]
    public async Task A_database_an_older_Beacon_made_is_upgraded_in_place_and_keeps_its_data()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await ApplyTheOldWayAsync(database);
        await using var cluster = await BeaconCluster.StartPostgresAsync(database.ConnectionString, County);
        try
        {
            Assert.Contains(AppliedAll, cluster.Silo!.Output);
            Assert.Equal(All, await JournalAsync(database));
            var code = TestEnterprises.NewCreditCode(County);
            (await cluster.PostAsync($"/api/counties/{County}/enterprises", Admin, TestEnterprises.New(code, "清水县旧库升级企业", 40, 3)))
                .Expect(HttpStatusCode.Created);
            var enterprise = await cluster.GetJsonAsync($"/api/counties/{County}/enterprises/{code}", Admin);
            var summary = await cluster.SummaryAsync(County, Admin);
            await cluster.StopAsync();

            await database.ExecuteAsync($"DROP TABLE {PostgresSchema.JournalTable}");
            await ApplyTheOldWayAsync(database);
            var queries = (await QueriesAsync(database)).Select(q => $"{q[0]}={q[1]}").ToArray();

            await cluster.StartSiloAsync();
            await cluster.StartGatewayAsync();
            Assert.Contains(AppliedAll, cluster.Silo!.Output);
            Assert.Contains("0 of 1 demo counties loaded", cluster.Silo.Output);
            Assert.Equal(All, await JournalAsync(database));
            Assert.Equal(queries, (await QueriesAsync(database)).Select(q => $"{q[0]}={q[1]}"));
            JsonFigures.AssertJsonEqual(enterprise, await cluster.GetJsonAsync($"/api/counties/{County}/enterprises/{code}", Admin),
                $"enterprise {code} after the upgrade");
            JsonFigures.AssertSameFigures(summary, await cluster.SummaryAsync(County, Admin), "the county summary after the upgrade");

            // And the next start finds nothing to do.
            await cluster.RestartAsync();
            Assert.Contains("PostgreSQL schema is up to date (nothing to apply)", cluster.Silo!.Output);
            Assert.Equal(All, await JournalAsync(database));
        }
        finally
        {
            cluster.WriteTo(output);
        }
    }

    [Fact]
    public async Task A_silo_that_cannot_apply_the_schema_says_so_in_one_line_and_exits()
    {
        var wrong = new NpgsqlConnectionStringBuilder(PostgresDatabase.ServerConnectionString) { Password = "not-the-password" }.ConnectionString;
        var env = BeaconProcesses.CommonEnvironment();
        env["Beacon__Storage"] = "postgres";
        env["ConnectionStrings__Beacon"] = wrong;
        env["Beacon__Cluster__SiloPort"] = BeaconProcesses.FreePort().ToString();
        env["Beacon__Cluster__GatewayPort"] = BeaconProcesses.FreePort().ToString();
        await using var silo = BeaconProcess.Start("silo", BeaconProcesses.SiloDll, [], env);
        Assert.True(await silo.WaitForExitAsync(TimeSpan.FromSeconds(60)), $"the silo kept running without its database.\n{silo.Describe()}");
        output.WriteLine(silo.Describe());

        Assert.True(silo.ExitCode != 0, $"the silo exited with 0.\n{silo.Describe()}");
        var errors = silo.StandardErrorLines.Where(l => l.Trim().Length > 0).ToArray();
        Assert.True(errors.Length == 1, $"the silo wrote {errors.Length} lines on stderr, not one.\n{silo.Describe()}");
        Assert.StartsWith("silo: the PostgreSQL schema could not be applied to database", errors[0]);
        Assert.Contains("28P01", errors[0]); // PostgreSQL's code for a failed password
    }
}
