using System.Collections.Concurrent;
using System.Text.Json;
using Beacon.Gateway.Apis;
using Beacon.Grains.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Npgsql;

namespace Beacon.Load;

/// <summary>
/// <c>Beacon.Load serve</c>: the server side of the ceiling and of the baseline, in its own process so that its CPU is
/// measured apart from the clients'.
/// <list type="bullet">
/// <item>The raw SignalR ceiling: hub <c>/raw/hub</c> (Subscribe(scope) joins the group and sends a snapshot) and
/// <c>POST /raw/counties/{county}/publish</c>, which broadcasts a summary of the same type and size as Beacon's
/// (a county summary captured from the gateway, with the same JSON options) to the county's group, then answers.</item>
/// <item>The plain web app that SQL polling is measured with: <c>GET /poll/counties/{county}/figures</c> runs one
/// aggregate query over an ordinary table with a covering index; <c>PUT …/enterprises/{creditCode}/members</c> is its write.</item>
/// </list>
/// </summary>
public static class Serve
{
    public const string ReadyLine = "Beacon.Load serve ready";

    public const string Figures = """
        SELECT count(*) FILTER (WHERE in_base) AS base,
               count(*) FILTER (WHERE in_base AND mode IN (1, 2)) AS org_covered,
               count(*) FILTER (WHERE in_base AND mode = 1) AS standalone,
               count(*) FILTER (WHERE in_base AND mode = 2) AS joint,
               count(*) FILTER (WHERE in_base AND mode = 3) AS affiliated,
               count(*) FILTER (WHERE in_base AND (mode IN (1, 2) OR instructor_id IS NOT NULL)) AS work_covered,
               coalesce(sum(party_members) FILTER (WHERE in_base), 0) AS party_members,
               coalesce(sum(employees) FILTER (WHERE in_base), 0) AS employees,
               count(*) FILTER (WHERE in_base AND basic_archive) AS basic_archives,
               count(*) FILTER (WHERE in_base AND featured_archive) AS featured_archives
        FROM enterprises_plain WHERE county = $1
        """;

    public const string CreateTable = """
        CREATE TABLE enterprises_plain (
            credit_code      text PRIMARY KEY,
            county           text NOT NULL,
            name             text NOT NULL,
            kind             smallint NOT NULL,
            employees        integer NOT NULL,
            party_members    integer NOT NULL,
            in_base          boolean NOT NULL,
            mode             smallint NOT NULL,
            organisation_id  text,
            station_id       text,
            instructor_id    text,
            township         text,
            basic_archive    boolean NOT NULL,
            featured_archive boolean NOT NULL
        )
        """;

    /// <summary>The best index for <see cref="Figures"/>: on the county, covering every column the query reads (index-only scan).</summary>
    public const string CreateIndex = """
        CREATE INDEX enterprises_plain_county_covering ON enterprises_plain (county)
            INCLUDE (in_base, mode, instructor_id, party_members, employees, basic_archive, featured_archive)
        """;

    public sealed record MembersBody(int PartyMembers);

    internal sealed class Counter { public long Value; }

    public static async Task<int> RunAsync(int port, string connectionString, string? templateFile, string? comparisonFile)
    {
        var template = templateFile is not null && File.Exists(templateFile)
            ? JsonSerializer.Deserialize<CountySummary>(await File.ReadAllTextAsync(templateFile), Json.Options)
            : null;
        var comparison = comparisonFile is not null && File.Exists(comparisonFile)
            ? JsonSerializer.Deserialize<ProvinceComparison>(await File.ReadAllTextAsync(comparisonFile), Json.Options)
            : null;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddSignalR().AddJsonProtocol(o => Json.Configure(o.PayloadSerializerOptions));
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase);
        // The same pool cap, statement preparation and pool without reset as Beacon's silo: the server is shared, and
        // the poll is one statement repeated, which a plain web app tuned for it would prepare.
        var pool = BeaconOptions.WithDefaults(connectionString);
        await using var data = NpgsqlDataSource.Create(pool);
        var counters = new ConcurrentDictionary<string, Counter>();
        builder.Services.AddSingleton(new RawState(template, counters));

        var app = builder.Build();
        app.MapGet("/health", () => Results.Ok());
        app.MapHub<RawHub>("/raw/hub");
        app.MapPost("/raw/counties/{county}/publish", async (string county, IHubContext<RawHub> hub, RawState state) =>
        {
            var n = Interlocked.Increment(ref counters.GetOrAdd(county, _ => new Counter()).Value);
            await hub.Clients.Group($"county:{county}").SendAsync("summary", state.Summary(county, n));
            return Results.Ok(new { seq = n });
        });
        // The comparison as Beacon answers it, serialised from memory with the same JSON options: HTTP and JSON, no Orleans.
        app.MapGet("/raw/comparison", () => comparison is null ? Results.NotFound() : Results.Json(comparison, Json.Options));
        app.MapGet("/raw/counties/{county}/total", (string county) =>
            Results.Ok(new { partyMembers = counters.GetOrAdd(county, _ => new Counter()).Value }));

        app.MapGet("/poll/counties/{county}/figures", async (string county, CancellationToken ct) =>
        {
            await using var command = data.CreateCommand(Figures);
            command.Parameters.Add(new NpgsqlParameter { Value = county });
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            return Results.Ok(new
            {
                county,
                @base = reader.GetInt64(0),
                orgCovered = reader.GetInt64(1),
                standalone = reader.GetInt64(2),
                joint = reader.GetInt64(3),
                affiliated = reader.GetInt64(4),
                workCovered = reader.GetInt64(5),
                partyMembers = reader.GetInt64(6),
                employees = reader.GetInt64(7),
                basicArchives = reader.GetInt64(8),
                featuredArchives = reader.GetInt64(9),
            });
        });
        app.MapPut("/poll/counties/{county}/enterprises/{creditCode}/members", async (string county, string creditCode, MembersBody body, CancellationToken ct) =>
        {
            await using var command = data.CreateCommand("UPDATE enterprises_plain SET party_members = $1 WHERE credit_code = $2 AND county = $3");
            command.Parameters.Add(new NpgsqlParameter { Value = body.PartyMembers });
            command.Parameters.Add(new NpgsqlParameter { Value = creditCode });
            command.Parameters.Add(new NpgsqlParameter { Value = county });
            return await command.ExecuteNonQueryAsync(ct) == 1 ? Results.Ok() : Results.NotFound();
        });

        await app.StartAsync();
        Console.WriteLine(ReadyLine);
        await app.WaitForShutdownAsync();
        return 0;
    }

    internal sealed class RawState(CountySummary? template, ConcurrentDictionary<string, Counter> counters)
    {
        public ConcurrentDictionary<string, Counter> Counters => counters;

        public object Summary(string county, long n) => template is null
            ? new { county, seq = n, partyMembers = n }
            : template with { County = county, Seq = n, PartyMembers = (int)n, AsOf = DateTimeOffset.UtcNow };
    }

    internal sealed class RawHub(RawState state) : Hub
    {
        public async Task Subscribe(string scope)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, scope);
            var county = scope.StartsWith("county:", StringComparison.Ordinal) ? scope["county:".Length..] : scope;
            var n = state.Counters.GetOrAdd(county, _ => new Counter()).Value;
            await Clients.Caller.SendAsync("summary", state.Summary(county, n));
        }
    }
}
