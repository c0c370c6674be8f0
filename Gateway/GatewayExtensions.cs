using Beacon.Gateway.Apis;
using Beacon.Gateway.Cluster;
using Beacon.Gateway.Http;
using Beacon.Gateway.Live;
using Beacon.Gateway.Security;
using Beacon.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Orleans.Dashboard;

namespace Beacon.Gateway;

public static class GatewayExtensions
{
    /// <summary>A register entry is a few hundred bytes; a JSON body over this is a mistake or an attack (413).</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>
    /// How much of a body over <see cref="MaxBodyBytes"/> is still read so that its client gets the 413 (see
    /// <see cref="Json.ReadAsync{T}"/>); beyond it Kestrel cuts the connection.
    /// </summary>
    public const int MaxDrainedBytes = 1024 * 1024;

    /// <summary>
    /// Everything the gateway serves, wired once: auth, the cluster client (see <see cref="ClusterExtensions"/>), problem
    /// details, OpenAPI, the hub. Settings are read and checked here, before anything starts.
    /// </summary>
    public static WebApplicationBuilder AddBeaconGateway(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Services.AddBeaconAuth(configuration);
        var membership = Membership(configuration);
        builder.UseOrleansClient(client =>
        {
            client.UseBeaconCluster(configuration, membership);
            client.UseConnectionRetryFilter<SiloWait>();
            client.AddActivityPropagation();
            client.AddDashboard();
        });
        builder.Services.AddOpenTelemetry()
            .WithMetrics(m => m.AddMeter(Telemetry.OrleansMeter, Telemetry.MeterName).AddAspNetCoreInstrumentation().AddRuntimeInstrumentation().AddPrometheusExporter())
            .WithTracing(t =>
            {
                t.AddAspNetCoreInstrumentation().AddSource(Telemetry.OrleansSources);
                if (configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 }) t.AddOtlpExporter();
            });

        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = MaxDrainedBytes);
        builder.Services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions));
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequests>();
        // A binding failure throws, so that BadRequests can name the parameter instead of an empty 400.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddOpenApi();
        builder.Services.AddOutputCache();
        builder.Services.AddBeaconRateLimits(configuration);
        builder.Services.AddLive(configuration);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ComparisonJson>();
        builder.Services.AddSingleton<Rechecks>();
        builder.Services.AddSingleton<Counties>();
        builder.Services.AddSingleton<Outlines>();
        return builder;
    }

    /// <summary>The membership table's database with PostgreSQL storage; null for the one local silo.</summary>
    public static string? Membership(IConfiguration configuration) =>
        string.Equals(configuration["Beacon:Storage"], "postgres", StringComparison.OrdinalIgnoreCase)
            ? configuration.GetConnectionString("Beacon") is { Length: > 0 } cs ? cs
                : throw new BeaconConfigurationException("Beacon:Storage is 'postgres' but ConnectionStrings:Beacon is not set (environment ConnectionStrings__Beacon)")
            : null;

    public static WebApplication MapBeacon(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages(context => Pages.IsNotFoundPage(context.HttpContext)
            ? Pages.NotFoundAsync(context.HttpContext) : Answers.Status(context.HttpContext));
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseCors();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseOutputCache();
        app.UseAuthorization();
        app.UseMiddleware<IdempotencyMiddleware>();

        app.MapOpenApi().AllowAnonymous().CacheOutput(BuiltOnce.Instance).RequireRateLimiting(RateLimits.AnonymousPolicy);
        app.MapGet("/health", async (IClusterClient cluster) =>
        {
            Dictionary<SiloAddress, SiloStatus> hosts;
            try
            {
                hosts = await cluster.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
            }
            catch (Exception e) when (e is SiloUnavailableException or OrleansException or TimeoutException)
            {
                hosts = [];
            }
            return hosts.Count > 0 ? Results.Ok(new { status = "healthy", silos = hosts.Count, waitingFor = Array.Empty<string>() })
                : Results.Json(new { status = "waiting", silos = 0, waitingFor = new[] { "an active silo" } }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }).AllowAnonymous().RequireRateLimiting(RateLimits.AnonymousPolicy).ExcludeFromDescription();
        app.MapPrometheusScrapingEndpoint(Telemetry.MetricsPath).RequireAuthorization(Policies.Operator);
        app.MapOrleansDashboard(Operators.DashboardPath).RequireAuthorization(Policies.Dashboard);

        var api = app.MapGroup("/api").RequireRateLimiting(RateLimits.Policy);
        api.MapAccountApi().MapOperatorApi().MapCountyApi().MapPlacesApi().MapTrendApi().MapTenantApi().MapRegisterApis().MapRegisterWorkbookApis().MapImportApi().MapActivityApi().MapIssueApi()
            .MapProvinceApi().MapExportApi().MapReportApi().MapFigureApi();
        app.MapLive();
        app.MapPages();
        return app;
    }
}
