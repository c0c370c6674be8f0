using Beacon.Gateway.Apis;
using Beacon.Gateway.Cluster;
using Beacon.Gateway.Http;
using Beacon.Gateway.Live;
using Beacon.Gateway.Security;
using Orleans.Configuration;

namespace Beacon.Gateway;

public static class GatewayExtensions
{
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>Everything the gateway serves, wired once: the cluster client, auth, problem details, OpenAPI, the hub.</summary>
    public static WebApplicationBuilder AddBeaconGateway(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var storage = configuration["Beacon:Storage"];
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o => { o.ClusterId = "beacon"; o.ServiceId = "beacon"; });
            client.UseConnectionRetryFilter<SiloWait>();
            if (string.Equals(storage, "postgres", StringComparison.OrdinalIgnoreCase))
                client.UseAdoNetClustering(o =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = configuration.GetConnectionString("Beacon")
                        ?? throw new InvalidOperationException("Beacon:Storage is 'postgres' but ConnectionStrings:Beacon is not set.");
                });
            else
                client.UseLocalhostClustering(configuration.GetValue("Beacon:GatewayPort", 30000));
        });

        // A register entry is a few hundred bytes; anything near this is a mistake or an attack (413).
        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = MaxBodyBytes);
        builder.Services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions));
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequests>();
        // A binding failure throws, so that BadRequests can name the parameter instead of an empty 400.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddOpenApi();
        builder.Services.AddOutputCache();
        builder.Services.AddBeaconAuth(configuration);
        builder.Services.AddBeaconRateLimits(configuration);
        builder.Services.AddLive();
        builder.Services.AddSingleton<ComparisonJson>();
        builder.Services.AddSingleton<Rechecks>();
        return builder;
    }

    public static WebApplication MapBeacon(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
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
        api.MapCountyApi().MapRegisterApis().MapActivityApi().MapIssueApi().MapProvinceApi().MapExportApi().MapFigureApi();
        app.MapLive();
        app.MapPages();
        return app;
    }
}
