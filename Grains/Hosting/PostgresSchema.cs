using System.Reflection;
using System.Text;
using DbUp;
using DbUp.Engine;
using DbUp.Engine.Output;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Beacon.Grains.Hosting;

/// <summary>
/// Brings a PostgreSQL database to the schema the Orleans ADO.NET clustering, grain-storage and reminder providers
/// expect: the migrations <c>Hosting/Schema/NNN-*.sql</c>, each applied once, in the order of their names, and recorded
/// in <see cref="JournalTable"/>.
/// </summary>
/// <remarks>
/// <para>
/// The runner is DbUp (dbup-postgresql) rather than Evolve. DbUp runs a script as written (it splits only at a line
/// holding nothing but <c>;</c>, so the dollar-quoted function bodies reach PostgreSQL whole), one transaction per
/// script with its journal row in the same transaction, and journals in a table we name; it is small and released
/// for current .NET and Npgsql. Evolve would bring its own cluster lock and checksums of applied scripts, but wants
/// Flyway's file names and manages schemas of its own accord. What DbUp lacks is covered here: a PostgreSQL advisory
/// lock around the whole run (<see cref="ApplyAsync"/>), and a test that fails when an applied script is edited
/// (Beacon.Tests' SchemaScriptTests), since DbUp journals scripts by name alone.
/// </para>
/// <para>
/// Must complete before the silo starts: the providers read <c>OrleansQuery</c> once during start-up and fail if a
/// query key is missing. Safe to call from every silo on every start; silos that start together take turns. Script
/// 001 is the script that older Beacons ran whole at every start, re-runnable by design: on a database one of them
/// made it changes nothing and is recorded.
/// </para>
/// </remarks>
public static class PostgresSchema
{
    /// <summary>The table of applied migrations (DbUp's journal), beside the Orleans tables.</summary>
    public const string JournalTable = "beacon_schema_migrations";

    /// <summary>Embedded as <c>Beacon.Schema.&lt;file name&gt;</c> (Grains.csproj); the journal records the file name.</summary>
    internal const string ResourcePrefix = "Beacon.Schema.";

    // Not the key script 001 takes inside its own transaction (beacon:orleans-postgres-schema): this one is held on
    // another connection for the whole run, so the same key would wait on itself.
    private const string LockKey = "beacon:schema-migrations";

    /// <summary>How long a silo waits for another one's migration, and for any one statement of a script.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Applies every migration the database has not recorded yet and answers the names of those applied now (none
    /// when it was up to date). A failure is a <see cref="Beacon.Hosting.BeaconConfigurationException"/> that names
    /// the database, the script and PostgreSQL's reason in one line; nothing of a failed script stays applied.
    /// </summary>
    /// <param name="connectionString">Npgsql connection string; the role needs CREATE on the target schema.</param>
    /// <param name="logger">Where DbUp's own progress goes (at Debug); null for nowhere.</param>
    /// <param name="cancellationToken">Cancels the wait for the lock.</param>
    public static async Task<IReadOnlyList<string>> ApplyAsync(string connectionString, ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var where = $"database {target.Database ?? target.Username} on {target.Host}";
        try
        {
            // The lock is a session lock on a connection of its own, outside the pool: it ends when this run does,
            // or with the connection if the process dies, and never travels back to the pool with a connection that
            // a No Reset On Close pool would not clean.
            await using var lockConnection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString)
            {
                Pooling = false,
                ApplicationName = "beacon schema migration lock",
            }.ConnectionString);
            await lockConnection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(hashtextextended(@key, 0))", lockConnection))
            {
                take.Parameters.AddWithValue("key", LockKey);
                take.CommandTimeout = (int)Timeout.TotalSeconds;
                await take.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            try
            {
                // DbUp is synchronous: keep it off the caller's thread.
                return await Task.Run(() => Upgrade(connectionString, logger ?? NullLogger.Instance, where), cancellationToken)
                    .ConfigureAwait(false);
            }
            finally
            {
                await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended(@key, 0))", lockConnection);
                release.Parameters.AddWithValue("key", LockKey);
                await release.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (NpgsqlException e)
        {
            throw new Beacon.Hosting.BeaconConfigurationException(
                $"the PostgreSQL schema could not be applied to {where}: {OneLine(e)}", e);
        }
    }

    private static IReadOnlyList<string> Upgrade(string connectionString, ILogger logger, string where)
    {
        var engine = DeployChanges.To
            .PostgresqlDatabase(connectionString)
            .WithScripts(Migrations().Select(m => new SqlScript(m.Name, m.Sql)))
            .JournalToPostgresqlTable(null, JournalTable)
            .WithTransactionPerScript()
            // The scripts are plain SQL: no $name$ substitution.
            .WithVariablesDisabled()
            .WithExecutionTimeout(Timeout)
            .LogTo(new DebugLog(logger))
            .Build();
        var result = engine.PerformUpgrade();
        if (!result.Successful)
            throw new Beacon.Hosting.BeaconConfigurationException(
                $"the PostgreSQL schema could not be applied to {where}" +
                (result.ErrorScript is { } script ? $" (script {script.Name})" : "") + $": {OneLine(result.Error)}", result.Error);
        return [.. result.Scripts.Select(s => s.Name)];
    }

    /// <summary>The migrations in the order they apply, named by their file names (what the journal records).</summary>
    internal static IReadOnlyList<(string Name, string Sql)> Migrations()
    {
        var assembly = typeof(PostgresSchema).Assembly;
        var names = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (names.Length == 0)
            throw new InvalidOperationException(
                $"No embedded resource {ResourcePrefix}*.sql in {assembly.GetName().Name}; the project must embed Hosting/Schema/*.sql.");
        return [.. names.Select(n => (n[ResourcePrefix.Length..], Read(assembly, n)))];
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded resource '{resource}' could not be opened.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static string OneLine(Exception? e)
    {
        var message = e switch
        {
            null => "DbUp reported a failure without an exception",
            PostgresException p => $"{p.SqlState}: {p.MessageText}",
            _ when e.InnerException is PostgresException p => $"{p.SqlState}: {p.MessageText}",
            _ => e.Message,
        };
        return string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    /// <summary>DbUp's progress at Debug: the silo says in one line what was applied, and a failure is an exception.</summary>
    private sealed class DebugLog(ILogger logger) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) => Log(LogLevel.Trace, format, args);
        public void LogDebug(string format, params object[] args) => Log(LogLevel.Debug, format, args);
        public void LogInformation(string format, params object[] args) => Log(LogLevel.Debug, format, args);
        public void LogWarning(string format, params object[] args) => Log(LogLevel.Warning, format, args);
        public void LogError(string format, params object[] args) => Log(LogLevel.Debug, format, args);
        public void LogError(Exception ex, string format, params object[] args) => Log(LogLevel.Debug, format, args);

        private void Log(LogLevel level, string format, object[] args)
        {
            if (!logger.IsEnabled(level)) return;
            var text = args.Length == 0 ? format : string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args);
#pragma warning disable CA2254 // DbUp's messages are formatted already
            logger.Log(level, "DbUp: " + text.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal));
#pragma warning restore CA2254
        }
    }
}
