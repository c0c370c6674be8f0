using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Beacon.Grains.Hosting;
using Beacon.Hosting;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Orleans.Runtime;

namespace Beacon.Silo;

/// <summary>
/// Section <c>Beacon:Silo</c>: the silo's own small HTTP listener, for operators only: <c>/health</c>, which says what the
/// silo still waits for, and <c>/metrics</c> for Prometheus. It listens on the cluster's listening address.
/// </summary>
public static class SiloWeb
{
    public const string HttpPortSetting = "Beacon:Silo:HttpPort";
    public const int DefaultHttpPort = 8091;

    public static WebApplicationBuilder AddSiloWeb(this WebApplicationBuilder builder)
    {
        var port = builder.Configuration.GetValue(HttpPortSetting, DefaultHttpPort);
        if (port is < 1 or > 65535) throw new BeaconConfigurationException($"{HttpPortSetting} is {port}, not a port (1-65535)");
        var cluster = BeaconClusterOptions.From(builder.Configuration);
        builder.WebHost.ConfigureKestrel(k => k.Listen(cluster.Listen, port));
        builder.Services.AddOpenTelemetry()
            .WithMetrics(m => m.AddMeter(Telemetry.OrleansMeter, Telemetry.MeterName).AddRuntimeInstrumentation().AddPrometheusExporter())
            .WithTracing(t =>
            {
                t.AddSource(Telemetry.OrleansSources);
                if (builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 }) t.AddOtlpExporter();
            });
        return builder;
    }

    public static WebApplication MapSiloWeb(this WebApplication app)
    {
        app.MapGet("/health", HealthAsync);
        app.MapPrometheusScrapingEndpoint(Telemetry.MetricsPath);
        return app;
    }

    /// <summary>200 when the silo is active in the cluster, its database answers and start-up (the demo data) is over; else 503 naming what it waits for.</summary>
    private static async Task<IResult> HealthAsync(IServiceProvider services, IConfiguration configuration, IHostApplicationLifetime lifetime)
    {
        var waitingFor = new List<string>();
        var silo = services.GetService<ILocalSiloDetails>();
        var oracle = services.GetService<ISiloStatusOracle>();
        var status = oracle?.CurrentStatus ?? SiloStatus.None;
        if (status != SiloStatus.Active) waitingFor.Add($"cluster membership (the silo is {status})");
        if (!lifetime.ApplicationStarted.IsCancellationRequested) waitingFor.Add("start-up (schema, demo data)");
        if (BeaconOptions.From(configuration).UsesPostgres)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await using var connection = new NpgsqlConnection(BeaconOptions.ConnectionString(configuration));
                await connection.OpenAsync(timeout.Token);
                await using var command = new NpgsqlCommand("SELECT 1", connection);
                await command.ExecuteScalarAsync(timeout.Token);
            }
            catch (Exception e) when (e is NpgsqlException or OperationCanceledException or System.Net.Sockets.SocketException)
            {
                waitingFor.Add($"PostgreSQL ({e.Message})");
            }
        }
        var silos = oracle?.GetApproximateSiloStatuses(onlyActive: true).Count ?? 0;
        var body = new { status = waitingFor.Count == 0 ? "healthy" : "waiting", silo = silo?.SiloAddress.ToString(), activeSilos = silos, waitingFor };
        return waitingFor.Count == 0 ? Results.Ok(body) : Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
