using Beacon.Gateway.Apis;
using Beacon.Gateway.Cluster;
using Beacon.Gateway.Http;
using Beacon.Gateway.Live;
using Beacon.Gateway.Security;
using Beacon.Hosting;

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
        var membership = string.Equals(configuration["Beacon:Storage"], "postgres", StringComparison.OrdinalIgnoreCase)
            ? configuration.GetConnectionString("Beacon") is { Length: > 0 } cs ? cs
                : throw new BeaconConfigurationException("Beacon:Storage is 'postgres' but ConnectionStrings:Beacon is not set (environment ConnectionStrings__Beacon)")
            : null;
        builder.UseOrleansClient(client =>
        {
            client.UseBeaconCluster(configuration, membership);
            client.UseConnectionRetryFilter<SiloWait>();
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
        builder.Services.AddLive();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ComparisonJson>();
        builder.Services.AddSingleton<Rechecks>();
        builder.Services.AddSingleton<Counties>();
        return builder;
    }

    public static WebApplication MapBeacon(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages(context => Pages.IsNotFoundPage(context.HttpContext)
            ? Pages.NotFoundAsync(context.HttpContext) : Answers.Status(context.HttpContext));
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseOutputCache();
        app.UseAuthorization();
        app.UseMiddleware<IdempotencyMiddleware>();

        app.MapOpenApi().AllowAnonymous().CacheOutput(BuiltOnce.Instance).RequireRateLimiting(RateLimits.AnonymousPolicy);
        app.MapGet("/health", async (IClusterClient cluster) =>
        {
            var hosts = await cluster.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
            return hosts.Count > 0 ? Results.Ok(new { status = "healthy", silos = hosts.Count }) : Results.StatusCode(503);
        }).AllowAnonymous().RequireRateLimiting(RateLimits.AnonymousPolicy).ExcludeFromDescription();

        var api = app.MapGroup("/api").RequireRateLimiting(RateLimits.Policy);
        api.MapCountyApi().MapTrendApi().MapTenantApi().MapRegisterApis().MapRegisterWorkbookApis().MapImportApi().MapActivityApi().MapIssueApi()
            .MapProvinceApi().MapExportApi().MapReportApi().MapFigureApi();
        app.MapLive();
        app.MapPages();
        return app;
    }
}
