using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace Beacon.Grains.Hosting;

/// <summary>
/// Creates or refreshes the PostgreSQL tables, functions and <c>OrleansQuery</c> rows that the
/// Orleans ADO.NET clustering, grain-storage and reminder providers expect.
/// </summary>
/// <remarks>
/// Must complete before the silo starts: the providers read <c>OrleansQuery</c> once during
/// start-up and fail if a query key is missing. Safe to call from every silo on every start.
/// </remarks>
public static class PostgresSchema
{
    // The SDK names embedded resources "<RootNamespace>.<folder path with dots>.<file>"; matching on
    // the file name keeps this independent of the assembly's RootNamespace.
    private const string ScriptFileName = "001-orleans-postgres.sql";

    /// <summary>Applies the schema migration in a single transaction.</summary>
    /// <param name="connectionString">Npgsql connection string; the role needs CREATE on the target schema.</param>
    /// <param name="cancellationToken">Cancels the migration; the transaction is rolled back.</param>
    public static async Task ApplyAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        var script = await ReadScriptAsync(cancellationToken).ConfigureAwait(false);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

        // One transaction so that the script's pg_advisory_xact_lock is held until everything is
        // committed, and so that a failure never leaves half-replaced query texts behind.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand(script, connection, transaction))
        {
            // A second silo may wait on the advisory lock for the whole of the first one's migration.
            command.CommandTimeout = 120;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<string> ReadScriptAsync(CancellationToken cancellationToken)
    {
        var assembly = typeof(PostgresSchema).Assembly;
        var resourceName = FindResourceName(assembly);

        await using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{resourceName}' could not be opened.");
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string FindResourceName(Assembly assembly)
    {
        var matches = assembly.GetManifestResourceNames()
            .Where(name => name.Equals(ScriptFileName, StringComparison.OrdinalIgnoreCase)
                || name.EndsWith("." + ScriptFileName, StringComparison.OrdinalIgnoreCase))
            .ToArray();

        return matches.Length switch
        {
            1 => matches[0],
            0 => throw new InvalidOperationException(
                $"Embedded resource '{ScriptFileName}' not found in {assembly.GetName().Name}; "
                + "the project must embed Hosting/Schema/*.sql."),
            _ => throw new InvalidOperationException(
                $"Several embedded resources end with '{ScriptFileName}': {string.Join(", ", matches)}."),
        };
    }
}
