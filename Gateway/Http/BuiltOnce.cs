using Microsoft.AspNetCore.OutputCaching;

namespace Beacon.Gateway.Http;

/// <summary>
/// An answer that is the same for everyone, made once per process and served from the output cache from then on
/// (the OpenAPI document takes tens of milliseconds of CPU to build). Unlike the default output-cache policy it also
/// serves requests that carry an Authorization header, which would otherwise build the document anew each time.
/// </summary>
internal sealed class BuiltOnce : IOutputCachePolicy
{
    public static readonly BuiltOnce Instance = new();

    public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var get = HttpMethods.IsGet(context.HttpContext.Request.Method) || HttpMethods.IsHead(context.HttpContext.Request.Method);
        context.EnableOutputCaching = get;
        context.AllowCacheLookup = get;
        context.AllowCacheStorage = get;
        context.AllowLocking = true;
        context.ResponseExpirationTimeSpan = TimeSpan.FromDays(365);
        return ValueTask.CompletedTask;
    }

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        if (context.HttpContext.Response.StatusCode != StatusCodes.Status200OK) context.AllowCacheStorage = false;
        return ValueTask.CompletedTask;
    }
}
