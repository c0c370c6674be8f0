using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Beacon.Gateway.Apis;

/// <summary>
/// Each province's and prefecture's comparison as the JSON the route answers, kept with its <c>Seq</c>. The comparison
/// is every county's full summary (160 KB of JSON for 100 counties) and changes at most every publication interval,
/// while overseers' pages and screens ask for it on every load; a read whose seq is still current answers the same
/// bytes again instead of bringing the summaries from the silo and serialising them, in one call to the province
/// either way.
/// </summary>
public sealed class ComparisonJson(IOptions<JsonOptions> json)
{
    public sealed record Current(long Seq, byte[] Utf8);

    /// <summary>Keyed by scope (<c>province:620000</c>, <c>prefecture:341500</c>).</summary>
    private readonly ConcurrentDictionary<string, Current> _latest = new(StringComparer.Ordinal);

    public Task<Current> GetAsync(IGrainFactory grains, string province) =>
        GetAsync($"{Scope.Province}:{province}", known => grains.GetGrain<IProvinceGrain>(province).GetComparisonUnlessAsync(known));

    public Task<Current> GetPrefectureAsync(IGrainFactory grains, string prefecture) =>
        GetAsync($"{Scope.Prefecture}:{prefecture}", known => grains.GetGrain<IProvinceGrain>(Places.ProvinceOf(prefecture))
            .GetPrefectureComparisonUnlessAsync(prefecture, known));

    private async Task<Current> GetAsync<T>(string key, Func<long, Task<T?>> unless) where T : class, ICountyComparison
    {
        // Compared for equality, not order: a silo restarted on in-memory storage counts from its first epoch again.
        var kept = _latest.GetValueOrDefault(key);
        if (await unless(kept?.Seq ?? -1) is not { } comparison) return kept!;
        var fresh = new Current(comparison.Seq, JsonSerializer.SerializeToUtf8Bytes(comparison, json.Value.SerializerOptions));
        _latest[key] = fresh;
        return fresh;
    }
}
