using System.Security.Cryptography;
using System.Text;
using Beacon.Grains.Hosting;

namespace Beacon.Tests;

/// <summary>
/// The schema migrations as the silo embeds them. The runner (DbUp) records a script by its name alone and never runs
/// it again, so a script that databases have recorded must never change: a change is a new script.
/// </summary>
public sealed class SchemaScriptTests
{
    /// <summary>Every migration that has shipped, with the SHA-256 of its text. Add a line for each new one.</summary>
    private static readonly (string Name, string Sha256)[] Shipped =
    [
        ("001-orleans-postgres.sql", "98f99916605245d5411476f6c3ac6b53e525097da14242a014afe17552fa3fbb"),
        ("002-drop-credit-code-holders.sql", "1ac595abcabd326ed5bb7cec01e55476c29a3020985a8f74bc7a770496b4f9d4"),
    ];

    [Fact]
    public void Shipped_migrations_are_unchanged_and_come_first_in_order()
    {
        var migrations = PostgresSchema.Migrations();
        Assert.True(migrations.Count >= Shipped.Length, $"embedded: {string.Join(", ", migrations.Select(m => m.Name))}");
        for (var i = 0; i < Shipped.Length; i++)
        {
            var (name, sql) = migrations[i];
            Assert.Equal(Shipped[i].Name, name);
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));
            Assert.True(hash == Shipped[i].Sha256,
                $"{name} has changed since it shipped (SHA-256 {hash}, shipped {Shipped[i].Sha256}). Databases that recorded it " +
                "will never run it again: put the change in a new script (NNN-what.sql) and restore this one.");
        }
    }

    [Fact]
    public void Migrations_are_named_NNN_dash_what_dot_sql_with_distinct_numbers()
    {
        var names = PostgresSchema.Migrations().Select(m => m.Name).ToArray();
        Assert.All(names, n => Assert.Matches(@"^\d{3}-[a-z0-9-]+\.sql$", n));
        Assert.Equal(names.Length, names.Select(n => n[..3]).Distinct().Count());
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
    }
}
