using System.Net;
using System.Text.Json.Nodes;
using Beacon.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace Beacon.IntegrationTests;

/// <summary>
/// scripts/backup.sh and scripts/restore.sh run as an operator runs them, between real silo and gateway processes: a
/// system stopped, dumped, restored into a new database and started there serves what it served before.
/// </summary>
public sealed class BackupRestoreTests(ITestOutputHelper output)
{
    private const string County = "620521";
    private const int DemoBase = 509;
    private static readonly string Admin = TestTokens.CountyAdmin(County);
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_backup_restored_into_a_new_database_serves_the_same_figures_and_a_restore_never_overwrites()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        // restore.sh makes this one; adopted before, so that it is dropped at the end even when the restore half fails.
        await using var restored = PostgresDatabase.Adopt(PostgresDatabase.NewName("beacon_it_restored"));
        var directory = BeaconProcesses.NewDirectory("backup");

        // ---- the system as it ran: the demo county, then changes of its own, so that its figures are not the demo's ----
        var (a, b, c) = (TestEnterprises.NewCreditCode(County), TestEnterprises.NewCreditCode(County), TestEnterprises.NewCreditCode(County));
        JsonObject before, enterprise, list;
        JsonNode history;
        await using (var cluster = await BeaconCluster.StartPostgresAsync(database.ConnectionString, County))
        {
            try
            {
                var demoListed = (await cluster.GetJsonAsync($"/api/counties/{County}/enterprises?limit=1", Admin)).Int("total");
                (await cluster.PostAsync($"/api/counties/{County}/organisations", Admin,
                    TestOrganisations.New("QS-BK", "清水县备份果业有限公司党支部", host: "enterprise"))).Expect(HttpStatusCode.Created);
                (await cluster.PostAsync($"/api/counties/{County}/enterprises", Admin, TestEnterprises.New(a, "清水县备份果业有限公司", 40, 2))).Expect(HttpStatusCode.Created);
                (await cluster.PostAsync($"/api/counties/{County}/enterprises", Admin, TestEnterprises.New(b, "清水县还原建材有限公司", 60, 3))).Expect(HttpStatusCode.Created);
                (await cluster.PostAsync($"/api/counties/{County}/enterprises", Admin,
                    TestEnterprises.New(c, "清水县快照物流有限公司", 25, 4, mode: "standalone"))).Expect(HttpStatusCode.Created);
                (await cluster.PutAsync($"/api/counties/{County}/enterprises/{a}", Admin,
                    TestEnterprises.New(a, "清水县备份果业有限公司", 45, 5, mode: "standalone", organisationId: "QS-BK"))).Expect(HttpStatusCode.OK);

                before = await cluster.SummaryAsync(County, Admin);
                Assert.Equal(DemoBase + 3, before.Int("base"));
                enterprise = await cluster.GetJsonAsync($"/api/counties/{County}/enterprises/{a}", Admin);
                history = (await cluster.GetAsync($"/api/counties/{County}/enterprises/{a}/history", Admin)).Expect(HttpStatusCode.OK).Json;
                Assert.Equal(2, history.AsArray().Count);
                list = await cluster.GetJsonAsync($"/api/counties/{County}/enterprises?limit=200&sort=id", Admin);
                Assert.Equal(demoListed + 3, list.Int("total"));

                // A graceful stop writes behind whatever the county held (its summary, its ledger) before the dump.
                await cluster.StopAsync();
            }
            finally
            {
                cluster.WriteTo(output);
            }
        }

        // ---- backup.sh, as an operator runs it: the connection from BEACON_PG_*, the file named by default ----
        var server = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var connection = Connection(database);
        var backup = await RunAsync("backup.sh", directory, connection, "--database", database.Name);
        Assert.True(backup.ExitCode == 0, $"backup.sh exited with {backup.ExitCode}.\n{backup.Description}");
        var dump = Assert.Single(Directory.GetFiles(directory, "beacon-*.dump"));
        Assert.Matches(@"^beacon-\d{8}-\d{6}\.dump$", Path.GetFileName(dump));
        Assert.Contains($"backup.sh: wrote {Path.GetFileName(dump)} ({new FileInfo(dump).Length} bytes", backup.StandardOutput);

        // ---- restore.sh with the password where run.sh keeps it: the installation's postgres-password file ----
        var installation = BeaconProcesses.NewDirectory("installation");
        await File.WriteAllTextAsync(Path.Combine(installation, "postgres-password"), server.Password);
        var fromFile = new Dictionary<string, string?>(connection) { ["BEACON_PG_PASSWORD"] = null, ["BEACON_HOME"] = installation };
        var restore = await RunAsync("restore.sh", directory, fromFile, "--file", dump, "--database", restored.Name);
        Assert.True(restore.ExitCode == 0, $"restore.sh exited with {restore.ExitCode}.\n{restore.Description}");
        Assert.Contains($"Database={restored.Name};Username={server.Username};", restore.StandardOutput);
        Assert.DoesNotContain($"Password={server.Password}", restore.Output); // what it prints to connect with names the password, never shows it
        var owner = await restored.QueryAsync("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()");
        Assert.Equal(server.Username, (string?)owner.Single()[0]);
        // The silos of the system the backup was made from are not carried over: none of them runs on the new database.
        Assert.Equal(0L, (long)(await restored.QueryAsync("SELECT count(*) FROM orleans_membership")).Single()[0]!);
        Assert.NotEqual(0L, (long)(await database.QueryAsync("SELECT count(*) FROM orleans_membership")).Single()[0]!);
        var original = await FingerprintAsync(database);
        Assert.Equal(original, await FingerprintAsync(restored));

        // ---- a restore never overwrites: neither the database it was made from nor the one just made ----
        foreach (var existing in new[] { database, restored })
        {
            var kept = await FingerprintAsync(existing);
            var refused = await RunAsync("restore.sh", directory, connection, "--file", dump, "--database", existing.Name);
            Assert.True(refused.ExitCode == 2, $"restore.sh into the existing {existing.Name} exited with {refused.ExitCode}, not 2.\n{refused.Description}");
            Assert.Contains($"restore.sh: database {existing.Name} exists already", refused.StandardError);
            Assert.DoesNotContain("restoring", refused.StandardOutput);
            Assert.Equal(kept, await FingerprintAsync(existing));
        }

        // ---- the system started on the restored database: the same figures, list and history, and no second demo load ----
        await using (var cluster = await BeaconCluster.StartPostgresAsync(restored.ConnectionString, County))
        {
            try
            {
                Assert.Contains("0 of 1 demo counties loaded", cluster.Silo!.Output);
                JsonFigures.AssertSameFigures(before, await cluster.SummaryAsync(County, Admin), "the county summary on the restored database");
                var listAfter = await cluster.GetJsonAsync($"/api/counties/{County}/enterprises?limit=200&sort=id", Admin);
                Assert.Equal(list.Int("total"), listAfter.Int("total"));
                JsonFigures.AssertJsonEqual(list, listAfter, "the first page of the enterprise list on the restored database");
                JsonFigures.AssertJsonEqual(enterprise, await cluster.GetJsonAsync($"/api/counties/{County}/enterprises/{a}", Admin),
                    $"enterprise {a} on the restored database");
                JsonFigures.AssertJsonEqual(history,
                    (await cluster.GetAsync($"/api/counties/{County}/enterprises/{a}/history", Admin)).Expect(HttpStatusCode.OK).Json,
                    $"the history of enterprise {a} on the restored database");
            }
            finally
            {
                cluster.WriteTo(output);
            }
        }
    }

    /// <summary>
    /// pg_dump's snapshot of a running system holds what its grains had written by then: the county's figures, written
    /// behind, may lag its registers, as after a crash. The restored county notices its last activation never ended and
    /// rebuilds them from its children by itself.
    /// </summary>
    [Fact]
    public async Task A_backup_made_while_the_system_runs_comes_back_with_the_same_figures()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var restored = PostgresDatabase.Adopt(PostgresDatabase.NewName("beacon_it_restored"));
        var directory = BeaconProcesses.NewDirectory("backup");
        var dump = Path.Combine(directory, "running.dump");
        JsonObject before;
        await using (var cluster = await BeaconCluster.StartPostgresAsync(database.ConnectionString, County))
        {
            try
            {
                for (var n = 0; n < 4; n++)
                    (await cluster.PostAsync($"/api/counties/{County}/enterprises", Admin,
                        TestEnterprises.New(TestEnterprises.NewCreditCode(County), $"清水县热备份企业{n}", 20 + n, 2))).Expect(HttpStatusCode.Created);
                before = await cluster.SummaryAsync(County, Admin);
                Assert.Equal(DemoBase + 4, before.Int("base"));

                var backup = await RunAsync("backup.sh", directory, Connection(database), "--database", database.Name, "--out", dump);
                Assert.True(backup.ExitCode == 0, $"backup.sh exited with {backup.ExitCode} while the system ran.\n{backup.Description}");
                // The system went on serving meanwhile.
                JsonFigures.AssertSameFigures(before, await cluster.SummaryAsync(County, Admin), "the county summary after the backup");
            }
            finally
            {
                cluster.WriteTo(output);
            }
        }

        var restore = await RunAsync("restore.sh", directory, Connection(restored), "--file", dump, "--database", restored.Name);
        Assert.True(restore.ExitCode == 0, $"restore.sh exited with {restore.ExitCode}.\n{restore.Description}");
        await using (var cluster = await BeaconCluster.StartPostgresAsync(restored.ConnectionString, County))
        {
            try
            {
                Assert.Contains("0 of 1 demo counties loaded", cluster.Silo!.Output);
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var now = await cluster.SummaryAsync(County, Admin);
                while (!JsonNode.DeepEquals(JsonFigures.WithoutSeq(before), JsonFigures.WithoutSeq(now)) && clock.Elapsed < TimeSpan.FromSeconds(60))
                {
                    await Task.Delay(500);
                    now = await cluster.SummaryAsync(County, Admin);
                }
                JsonFigures.AssertSameFigures(before, now, $"the county summary {clock.Elapsed.TotalSeconds:F0} s after the restored system started");
            }
            finally
            {
                cluster.WriteTo(output);
            }
        }
    }

    /// <summary>
    /// The environment of an operator who reaches <paramref name="database"/>'s server as its role: BEACON_PG_* from the
    /// tests' connection string, no installation directory of the developer's, and nothing of libpq's own environment.
    /// </summary>
    private static Dictionary<string, string?> Connection(PostgresDatabase database)
    {
        var server = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        return new Dictionary<string, string?>
        {
            ["BEACON_PG_HOST"] = server.Host,
            ["BEACON_PG_PORT"] = server.Port.ToString(),
            ["BEACON_PG_USER"] = server.Username,
            ["BEACON_PG_PASSWORD"] = server.Password,
            ["BEACON_HOME"] = BeaconProcesses.NewDirectory("no-installation"),
            ["PGPASSWORD"] = null, ["PGHOST"] = null, ["PGPORT"] = null, ["PGUSER"] = null, ["PGDATABASE"] = null, ["PGSERVICE"] = null,
        };
    }

    /// <summary>What a script run to its end did.</summary>
    private sealed record Ran(int ExitCode, string StandardOutput, string StandardError, string Output, string Description);

    /// <summary>Runs one of scripts/ directly (as its shebang says), from <paramref name="directory"/>, to its end.</summary>
    private async Task<Ran> RunAsync(string script, string directory, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        await using var process = BeaconProcess.StartCommand(script, Path.Combine(BeaconProcesses.RepoRoot, "scripts", script), args, directory, environment);
        if (!await process.WaitForExitAsync(ScriptTimeout))
            Assert.Fail($"{script} did not end within {ScriptTimeout.TotalSeconds} s.\n{process.Describe()}");
        output.WriteLine(process.Describe());
        return new Ran(process.ExitCode, process.StandardOutput, string.Join('\n', process.StandardErrorLines), process.Output, process.Describe());
    }

    /// <summary>Every stored grain state row (key, version, payload) of a database, as one string: equal strings, equal state.</summary>
    private static async Task<string> FingerprintAsync(PostgresDatabase database)
    {
        var row = (await database.QueryAsync(
            "SELECT count(*), md5(coalesce(string_agg(encode(grain_key, 'hex') || ':' || version || ':' || coalesce(md5(payload), '-'), ',' ORDER BY grain_key), '')) " +
            "FROM orleans_grain_state")).Single();
        return $"{row[0]} rows, {row[1]}";
    }
}
