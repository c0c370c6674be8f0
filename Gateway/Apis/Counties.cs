using System.Collections.Concurrent;

namespace Beacon.Gateway.Apis;

/// <summary>
/// Which counties exist, for the routes under <c>/api/counties/{county}</c>: a request about a county Beacon does not
/// have is answered 404 naming it, after the caller's rights were checked (so nobody learns of a county they may not
/// see), and never reaches a grain that would answer it as an empty register or a refusal. Counties are created, never
/// removed, so each county found is remembered.
/// </summary>
public sealed class Counties(IGrainFactory grains)
{
    private readonly ConcurrentDictionary<string, bool> _known = new(StringComparer.Ordinal);

    public async ValueTask<bool> ExistsAsync(string? county)
    {
        if (!Places.IsCountyCode(county)) return false;
        if (_known.ContainsKey(county!)) return true;
        if (await grains.GetGrain<ICountyGrain>(county!).GetProfileAsync() is null) return false;
        _known[county!] = true;
        return true;
    }
}

public static class CountyRoutes
{
    /// <summary>404 for a county that does not exist (see <see cref="Counties"/>).</summary>
    public static TBuilder RequireCounty<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var county = context.HttpContext.GetRouteValue("county") as string;
            return await context.HttpContext.RequestServices.GetRequiredService<Counties>().ExistsAsync(county)
                ? await next(context)
                : Answers.NotFound(CountyApi.Called(county ?? ""));
        });
}
