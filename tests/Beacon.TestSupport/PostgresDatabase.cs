using System.Collections.Concurrent;
using Npgsql;

namespace Beacon.TestSupport;

/// <summary>
/// A fresh database of one's own, created through a role with CREATEDB (the tests' beacon_test, the bench's
/// beacon_bench) and dropped at the end, or by <see cref="DropAllNow"/> when the run is cut short.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    public const string Variable = "BEACON_TEST_POSTGRES";

    /// <summary>Every database this process created and has not dropped yet, with the server connection it was created through.</summary>
    private static readonly ConcurrentDictionary<string, string> Created = new();

    private readonly string _admin;
    public string Name { get; }
    /// <summary>The database's connection string as the product would get it: no pool size, so BeaconOptions caps it at 20.</summary>
    public string ConnectionString { get; }

    private PostgresDatabase(string admin, string name, string connectionString)
    {
        _admin = admin;
        Name = name;
        ConnectionString = connectionString;
    }

    /// <summary>The server the tests run against. Missing is a failure, never a skip: these tests prove the storage works.</summary>
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException(
                $"{Variable} is not set, so the PostgreSQL integration tests cannot run (they fail rather than skip). " +
                $"Run ./test.sh, which prepares the database beacon_test and sets {Variable} (Host=127.0.0.1;Port=5432;Database=beacon_test;Username=beacon_test;Password=beacon_test).");

    /// <summary>A database on the tests' server (<see cref="ServerConnectionString"/>).</summary>
    public static Task<PostgresDatabase> CreateAsync() => CreateAsync(ServerConnectionString, "beacon_it");

    /// <summary>
    /// A database named <paramref name="prefix"/>_&lt;random&gt;, through <paramref name="admin"/>'s role; a copy of
    /// <paramref name="template"/> if given (which nobody may be connected to meanwhile).
    /// </summary>
    public static async Task<PostgresDatabase> CreateAsync(string admin, string prefix, string? template = null)
    {
        var name = NewName(prefix);
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand(
                template is null ? $"CREATE DATABASE \"{name}\"" : $"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"", connection) { CommandTimeout = 600 };
            await create.ExecuteNonQueryAsync();
        }
        Created[name] = admin;
        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new PostgresDatabase(admin, name, builder.ConnectionString);
    }

    /// <summary>
    /// A database that something else creates on the tests' server (a script under test, say), dropped at the end
    /// like one created here; it need not exist yet.
    /// </summary>
    public static PostgresDatabase Adopt(string name) => Adopt(ServerConnectionString, name);

    /// <summary>A database named <paramref name="name"/> on <paramref name="admin"/>'s server, dropped through that role.</summary>
    public static PostgresDatabase Adopt(string admin, string name)
    {
        Created[name] = admin;
        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new PostgresDatabase(admin, name, builder.ConnectionString);
    }

    /// <summary>A database named <paramref name="name"/> that outlives this process: never dropped by <see cref="DropAllNow"/>.</summary>
    public static PostgresDatabase Existing(string admin, string name)
    {
        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new PostgresDatabase(admin, name, builder.ConnectionString);
    }

    /// <summary><paramref name="prefix"/>_&lt;random&gt;: a name no other database has.</summary>
    public static string NewName(string prefix) =>
        // 20 random hexadecimal digits are plenty, and PostgreSQL cuts names at 63 bytes.
        $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 21, 63)];

    public async Task<int> ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (n, v) in parameters) command.Parameters.AddWithValue(n, v);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Every row of the answer, SQL NULL as null.</summary>
    public async Task<List<object?[]>> QueryAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (n, v) in parameters) command.Parameters.AddWithValue(n, v);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>Last resort on Ctrl-C or SIGTERM: drops every database this process created and has not dropped yet.</summary>
    /// <param name="report">Told of a database that could not be dropped.</param>
    public static void DropAllNow(Action<string>? report = null)
    {
        foreach (var (name, admin) in Created)
        {
            try
            {
                NpgsqlConnection.ClearAllPools();
                using var connection = new NpgsqlConnection(admin);
                connection.Open();
                using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection) { CommandTimeout = 30 };
                drop.ExecuteNonQuery();
                Created.TryRemove(name, out _);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                report?.Invoke($"could not drop database {name}: {e.Message}");
            }
        }
    }

    /// <summary>Drops the database, whoever is still connected to it.</summary>
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection) { CommandTimeout = 120 };
        await drop.ExecuteNonQueryAsync();
        Created.TryRemove(Name, out _);
    }
}
