using System.Threading.RateLimiting;
using Beacon.Gateway.Http;
using Beacon.Gateway.Security;
using Microsoft.AspNetCore.SignalR;

namespace Beacon.Gateway.Live;

/// <summary>
/// <c>/hubs/live</c>: a client subscribes to a scope it may watch, gets the current <c>summary</c> at once, then every
/// publication. Groups are named after scopes: <c>county:620521</c>, <c>prefecture:341500</c>, <c>province:620000</c>. A connection ends when
/// its token does (<see cref="LiveExtensions.MapLive"/>).
/// </summary>
public sealed class LiveHub(LiveFeed feed, SubscriptionLimits limits, ILogger<LiveHub> logger) : Hub
{
    public const string Path = "/hubs/live";
    public const string SummaryMessage = "summary";

    /// <summary>The longest scope there is (<c>prefecture:341500</c>); a longer argument is not echoed anywhere.</summary>
    private const int MaxScopeLength = 17;

    public async Task Subscribe(string scope)
    {
        var actor = Context.User!.Actor();
        // Every subscription sends a whole snapshot (a province's is 160 KB), so a token takes only a few at a time.
        if (limits.TryTake(Context.User!) is { } retryAfter)
            throw Refuse($"too many subscriptions: retry in {retryAfter.TotalSeconds:F0} s", actor, scope);
        var watched = Scope.Parse(scope) ?? throw Refuse("scope is not county:NNNNNN, prefecture:NNNN00 or province:NN0000", actor, scope);
        if (!actor.MayWatch(watched)) throw Refuse($"forbidden: {actor} may not watch {watched}", actor, scope);
        await Groups.AddToGroupAsync(Context.ConnectionId, watched.ToString());
        var snapshot = await feed.WatchAsync(watched, Context.ConnectionId);
        if (snapshot is null)
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, watched.ToString());
            feed.Unwatch(watched, Context.ConnectionId);
            throw Refuse($"{watched} does not exist", actor, scope);
        }
        await Clients.Caller.SendAsync(SummaryMessage, snapshot);
    }

    public async Task Unsubscribe(string scope)
    {
        if (Scope.Parse(scope) is not { } watched) return;
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, watched.ToString());
        feed.Unwatch(watched, Context.ConnectionId);
    }

    public override Task OnConnectedAsync()
    {
        Beacon.Hosting.Telemetry.LiveConnections.Add(1);
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        Beacon.Hosting.Telemetry.LiveConnections.Add(-1);
        feed.UnwatchAll(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>A refusal is the client's business: one short line at Information, the argument cut to a scope's length.</summary>
    private HubException Refuse(string why, Actor actor, string? scope)
    {
        var shown = scope is null ? "" : scope.Length <= MaxScopeLength ? scope : scope[..MaxScopeLength] + "…";
        logger.LogInformation("Refused Subscribe({Scope}) from {Actor}: {Why}", shown, actor, why);
        return new HubException(why);
    }
}

/// <summary>
/// How many subscriptions one token may make: a bucket per token (<see cref="RateLimits.Who"/>) of
/// <see cref="Burst"/>, refilled by one every <see cref="Refill"/>. A screen subscribes once per scope and again after
/// a reconnect or a gap; a client that asks more is pulling snapshots, not watching.
/// </summary>
public sealed class SubscriptionLimits : IDisposable
{
    public const int Burst = 10;
    public static readonly TimeSpan Refill = TimeSpan.FromSeconds(3);

    private readonly PartitionedRateLimiter<System.Security.Claims.ClaimsPrincipal> _limiter =
        PartitionedRateLimiter.Create<System.Security.Claims.ClaimsPrincipal, string>(user =>
            RateLimitPartition.GetTokenBucketLimiter(RateLimits.Who(user, null), _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = Burst,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = Refill,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));

    /// <summary>Null when the subscription may go ahead; otherwise how long to wait.</summary>
    public TimeSpan? TryTake(System.Security.Claims.ClaimsPrincipal user)
    {
        using var lease = _limiter.AttemptAcquire(user);
        if (lease.IsAcquired) return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : Refill;
    }

    public void Dispose() => _limiter.Dispose();
}

/// <summary>
/// The framework logs every failed hub invocation at Error, a refusal the client caused included (a flood of refused
/// subscriptions filled the log); so its line is switched off (appsettings.json), the hub logs its own refusals
/// briefly, and this filter logs what really failed.
/// </summary>
internal sealed class HubFailures(ILogger<HubFailures> logger) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocation);
        }
        catch (Exception e) when (e is not HubException)
        {
            logger.LogError(e, "Hub method {Method} failed for {Actor}", invocation.HubMethodName, invocation.Context.User?.Actor());
            throw;
        }
    }
}

public static class LiveExtensions
{
    public static IServiceCollection AddLive(this IServiceCollection services, IConfiguration configuration)
    {
        var gateways = Gateways.From(configuration);
        services.AddSingleton(gateways);
        // The pages of one gateway connect to the others when theirs is lost; they send a token, never a cookie.
        services.AddCors(cors => cors.AddPolicy(Gateways.CorsPolicy, p =>
            p.WithOrigins(gateways.Origins).AllowAnyHeader().WithMethods("GET", "POST").DisallowCredentials()));
        services.AddSignalR(o => o.AddFilter<HubFailures>()).AddJsonProtocol(o => Apis.Json.Configure(o.PayloadSerializerOptions));
        services.AddSingleton<GroupOutboxes>();
        services.AddSingleton<LiveFeed>();
        services.AddSingleton<SubscriptionLimits>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveFeed>());
        return services;
    }

    /// <summary>
    /// The hub, closing each connection when its token expires (JwtBearer sets the authentication's expiry from the
    /// token's <c>exp</c>): a screen whose token ran out stops receiving figures, and must be given a new token. Its
    /// negotiations and connections count against the token's requests like any other.
    /// </summary>
    public static WebApplication MapLive(this WebApplication app)
    {
        app.MapHub<LiveHub>(LiveHub.Path, o => o.CloseOnAuthenticationExpiration = true).RequireRateLimiting(RateLimits.Policy)
            .RequireCors(Gateways.CorsPolicy);
        app.MapGet("/live/gateways", (Gateways gateways) => TypedResults.Ok(gateways.Origins))
            .AllowAnonymous().RequireRateLimiting(RateLimits.AnonymousPolicy).ExcludeFromDescription();
        return app;
    }
}
