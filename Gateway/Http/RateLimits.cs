using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Beacon.Gateway.Security;
using Microsoft.AspNetCore.RateLimiting;

namespace Beacon.Gateway.Http;

/// <summary>
/// Section <c>Beacon:RateLimit</c>: how many requests one token (without a token, one remote address) may make per
/// window. Reads and writes have separate buckets, so polling cannot starve a client's own writes; <c>Writes</c>
/// overrides the limit for writes and otherwise inherits it. <c>Anonymous</c> is what one address may ask of the
/// routes that take no token (the pages, <c>/health</c>, the OpenAPI document). A <c>PermitLimit</c> of 0 turns
/// limiting off.
/// </summary>
public sealed class RateLimitOptions
{
    public int PermitLimit { get; set; } = 300;
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(60);
    public WriteLimit Writes { get; set; } = new();
    /// <summary>Generous: a load balancer probes /health every few seconds and a browser loads a page's files at once.</summary>
    public WriteLimit Anonymous { get; set; } = new() { PermitLimit = 600 };

    public sealed class WriteLimit
    {
        public int? PermitLimit { get; set; }
        public TimeSpan? Window { get; set; }
    }

    public static RateLimitOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection("Beacon:RateLimit").Get<RateLimitOptions>() ?? new();
        if (options.PermitLimit < 0 || options.Writes.PermitLimit < 0 || options.Anonymous.PermitLimit < 0)
            throw new InvalidOperationException("Beacon:RateLimit:PermitLimit must not be negative (0 turns limiting off).");
        if (options.Window <= TimeSpan.Zero || options.Writes.Window <= TimeSpan.Zero || options.Anonymous.Window <= TimeSpan.Zero)
            throw new InvalidOperationException("Beacon:RateLimit:Window must be positive, e.g. 00:01:00.");
        return options;
    }
}

/// <summary>
/// Rate limits: per token on the API and the hub (<see cref="Policy"/>), per address on the anonymous routes
/// (<see cref="AnonymousPolicy"/>). A token bucket per token and kind (read or write): a full bucket allows a burst of
/// <c>PermitLimit</c>, refilled evenly over <c>Window</c>. A refusal is 429 with <c>Retry-After</c> (seconds) and a
/// ProblemDetails body.
/// </summary>
public static class RateLimits
{
    public const string Policy = "beacon-api";
    public const string AnonymousPolicy = "beacon-anonymous";

    public static IServiceCollection AddBeaconRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = RateLimitOptions.From(configuration);
        var reads = Bucket(options.PermitLimit, options.Window);
        var writes = Bucket(options.Writes.PermitLimit ?? options.PermitLimit, options.Writes.Window ?? options.Window);
        var anonymous = Bucket(options.Anonymous.PermitLimit ?? 0, options.Anonymous.Window ?? options.Window);

        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(Policy, context =>
            {
                var write = !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) ||
                              HttpMethods.IsOptions(context.Request.Method));
                var bucket = write ? writes : reads;
                var key = $"{(write ? "write" : "read")} {Who(context.User, context.Connection.RemoteIpAddress)}";
                return bucket is null ? RateLimitPartition.GetNoLimiter(key) : RateLimitPartition.GetTokenBucketLimiter(key, _ => bucket);
            });
            limiter.AddPolicy(AnonymousPolicy, context =>
            {
                var key = $"anonymous {context.Connection.RemoteIpAddress}";
                return anonymous is null ? RateLimitPartition.GetNoLimiter(key) : RateLimitPartition.GetTokenBucketLimiter(key, _ => anonymous);
            });
            limiter.OnRejected = async (rejected, cancellation) =>
            {
                var context = rejected.HttpContext;
                var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                    : 1;
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                var english = Apis.Answers.English(context.Request);
                await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: english ? "Too many requests" : "请求过于频繁",
                        detail: english ? $"Too many requests for now; retry in {seconds} s." : $"请求过于频繁，请 {seconds} 秒后重试。",
                        type: "https://tools.ietf.org/html/rfc6585#section-4")
                    .ExecuteAsync(context);
            };
        });
        return services;
    }

    /// <summary>
    /// The token itself (its <c>jti</c>, which every token Beacon issues carries), else the whole principal; without a
    /// token, the remote address. Not the subject alone: every token the token command mints for one role and scope
    /// has the same default subject, and would share one bucket.
    /// </summary>
    internal static string Who(ClaimsPrincipal user, IPAddress? remote)
    {
        if (user.Identity?.IsAuthenticated != true) return $"ip:{remote?.ToString() ?? "unknown"}";
        if (user.FindFirst("jti")?.Value is { Length: > 0 } token) return $"jti:{token}";
        var actor = user.Actor();
        return $"principal:{actor.Name}\n{actor.Role}\n{actor.Scope}\n{actor.StationId}";
    }

    /// <summary>
    /// A bucket of <paramref name="permits"/> refilled evenly over <paramref name="window"/>, in steps of at least a
    /// second (300 a minute: 5 every second; 5 a minute: 1 every 12 s). Null when limiting is off.
    /// </summary>
    internal static TokenBucketRateLimiterOptions? Bucket(int permits, TimeSpan window)
    {
        if (permits == 0) return null;
        var period = TimeSpan.FromTicks(Math.Max(window.Ticks / permits, TimeSpan.TicksPerSecond));
        var perPeriod = (int)Math.Max(1, Math.Round(permits * (double)period.Ticks / window.Ticks));
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = permits,
            ReplenishmentPeriod = period,
            TokensPerPeriod = Math.Min(perPeriod, permits),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }
}
