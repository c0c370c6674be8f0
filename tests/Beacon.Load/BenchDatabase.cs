using Npgsql;

namespace Beacon.Load;

/// <summary>
/// A fresh PostgreSQL database for one section (Beacon.TestSupport's <see cref="PostgresDatabase"/>, created through
/// the bench's role from the admin connection string bench.sh passes, database <c>beacon_bench</c>, and dropped at the
/// end), with what the bench reads from it: long statements, the server's processes, the grain state's size.
/// </summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private readonly PostgresDatabase _database;
    private NpgsqlConnection? _monitor;

    public string Name => _database.Name;
    /// <summary>The database's connection string as the product would get it: no pool size, so BeaconOptions caps it at 20.</summary>
    public string ConnectionString => _database.ConnectionString;

    private BenchDatabase(PostgresDatabase database) => _database = database;

    public static async Task<BenchDatabase> CreateAsync(string admin, string purpose) =>
        new(await PostgresDatabase.CreateAsync(admin, $"beacon_bench_{purpose}"));

    /// <summary>A database that is there already (one a run loaded and kept); not to be disposed, which would drop it.</summary>
    public static BenchDatabase Existing(string admin, string name) => new(PostgresDatabase.Existing(admin, name));

    /// <summary>A fresh copy of the database <paramref name="template"/>, dropped at the end as one made empty is.</summary>
    public static async Task<BenchDatabase> CopyAsync(string admin, string template, string purpose) =>
        new(await PostgresDatabase.CreateAsync(admin, $"beacon_bench_{purpose}", template));

    public async Task ExecuteAsync(string sql, int timeoutSeconds = 600)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = timeoutSeconds };
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// The server processes that work for this database: its backends (pg_stat_activity), the server's shared processes
    /// (no database: checkpointer, WAL writer, background writer, launchers) and the postmaster.
    /// </summary>
    public async Task<int[]> ServerProcessesAsync()
    {
        if (_monitor is null)
        {
            _monitor = new NpgsqlConnection(ConnectionString);
            await _monitor.OpenAsync();
        }
        await using var command = new NpgsqlCommand(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() OR datname IS NULL", _monitor);
        var pids = new List<int>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) pids.Add(reader.GetInt32(0));
        if (pids.Count > 0 && ProcStat.ParentOf(pids[0]) is { } postmaster) pids.Add(postmaster);
        return [.. pids.Distinct()];
    }

    /// <summary>Rows written (inserted or updated) into Orleans' grain state table so far, from PostgreSQL's statistics.</summary>
    public async Task<long> GrainStateWritesAsync()
    {
        var rows = await _database.QueryAsync("SELECT coalesce(sum(n_tup_ins + n_tup_upd), 0)::bigint FROM pg_stat_user_tables WHERE relname = 'orleans_grain_state'");
        return rows.Count == 0 ? 0 : Convert.ToInt64(rows[0][0]);
    }

    /// <summary>The database's size on disk (tables, their TOAST and indexes), and the grain state table's share of it.</summary>
    public async Task<string> SizeOnDiskAsync()
    {
        var rows = await _database.QueryAsync("SELECT pg_database_size(current_database()), pg_total_relation_size('orleans_grain_state')");
        return rows.Count == 0 ? "unknown" : $"{Convert.ToInt64(rows[0][0]) / 1048576.0:N0} MiB on disk, the grain state table with its indexes {Convert.ToInt64(rows[0][1]) / 1048576.0:N0} MiB";
    }

    /// <summary>How big each kind of grain state is as stored: rows, average and largest payload.</summary>
    public async Task<string> GrainStateSizesAsync()
    {
        var rows = await _database.QueryAsync(
            // A state kept in rows ("ledger-00" …) counts as one name.
            "SELECT regexp_replace(state_name, '-[0-9]+$', '-NN') AS name, count(*), avg(octet_length(payload))::bigint, max(octet_length(payload)) " +
            "FROM orleans_grain_state GROUP BY name ORDER BY avg(octet_length(payload)) DESC NULLS LAST");
        return string.Join("; ", rows.Select(r => $"{r[0]}: {Convert.ToInt64(r[1]):N0} rows, average {Convert.ToInt64(r[2] ?? 0):N0} B, largest {Convert.ToInt64(r[3] ?? 0):N0} B"));
    }

    public async ValueTask DisposeAsync()
    {
        if (_monitor is not null) await _monitor.DisposeAsync();
        try
        {
            await _database.DisposeAsync();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            Console.WriteLine($"[bench] could not drop database {Name}: {e.Message}");
        }
    }
}
