using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Beacon.Gateway.Http;

/// <summary>
/// Section <c>Beacon:RateLimit</c>: how many requests one token (its <c>sub</c>; without a token, one remote address)
/// may make per window. Reads and writes have separate buckets, so polling cannot starve a client's own writes;
/// <c>Writes</c> overrides the limit for writes and otherwise inherits it. A <c>PermitLimit</c> of 0 turns limiting off.
/// </summary>
public sealed class RateLimitOptions
{
    public int PermitLimit { get; set; } = 300;
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(60);
    public WriteLimit Writes { get; set; } = new();

    public sealed class WriteLimit
    {
        public int? PermitLimit { get; set; }
        public TimeSpan? Window { get; set; }
    }

    public static RateLimitOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection("Beacon:RateLimit").Get<RateLimitOptions>() ?? new();
        if (options.PermitLimit < 0 || options.Writes.PermitLimit < 0)
            throw new InvalidOperationException("Beacon:RateLimit:PermitLimit must not be negative (0 turns limiting off).");
        if (options.Window <= TimeSpan.Zero || options.Writes.Window <= TimeSpan.Zero)
            throw new InvalidOperationException("Beacon:RateLimit:Window must be positive, e.g. 00:01:00.");
        return options;
    }
}

/// <summary>
/// Per-token rate limits on the API (the <see cref="Policy"/> the <c>/api</c> group requires; <c>/health</c>, the hub,
/// the pages and the OpenAPI document are not limited). A token bucket per token and kind (read or write): a full
/// bucket allows a burst of <c>PermitLimit</c>, refilled evenly over <c>Window</c>. A refusal is 429 with
/// <c>Retry-After</c> (seconds) and a ProblemDetails body.
/// </summary>
public static class RateLimits
{
    public const string Policy = "beacon-api";

    public static IServiceCollection AddBeaconRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = RateLimitOptions.From(configuration);
        var reads = Bucket(options.PermitLimit, options.Window);
        var writes = Bucket(options.Writes.PermitLimit ?? options.PermitLimit, options.Writes.Window ?? options.Window);

        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(Policy, context =>
            {
                var write = !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) ||
                              HttpMethods.IsOptions(context.Request.Method));
                var bucket = write ? writes : reads;
                var key = $"{(write ? "write" : "read")} {Who(context)}";
                return bucket is null ? RateLimitPartition.GetNoLimiter(key) : RateLimitPartition.GetTokenBucketLimiter(key, _ => bucket);
            });
            limiter.OnRejected = async (rejected, cancellation) =>
            {
                var context = rejected.HttpContext;
                var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                    : 1;
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
                        detail: $"This token has used its requests for now; retry in {seconds} s.",
                        type: "https://tools.ietf.org/html/rfc6585#section-4")
                    .ExecuteAsync(context);
            };
        });
        return services;
    }

    /// <summary>The token's subject; without one (no or an invalid token), the remote address.</summary>
    private static string Who(HttpContext context) =>
        context.User.FindFirst("sub")?.Value is { Length: > 0 } subject
            ? $"sub:{subject}"
            : $"ip:{context.Connection.RemoteIpAddress?.ToString() ?? "unknown"}";

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
