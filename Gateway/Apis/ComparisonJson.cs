using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Beacon.Gateway.Apis;

/// <summary>
/// Each province's comparison as the JSON the route answers, kept with its <c>Seq</c>. The comparison is every county's
/// full summary (160 KB of JSON for 100 counties) and changes at most every publication interval, while overseers'
/// pages and screens ask for it on every load; a read whose seq is still current answers the same bytes again
/// instead of bringing 100 summaries from the silo and serialising them.
/// </summary>
public sealed class ComparisonJson(IOptions<JsonOptions> json)
{
    public sealed record Current(long Seq, byte[] Utf8);

    private readonly ConcurrentDictionary<string, Current> _latest = new(StringComparer.Ordinal);

    public async Task<Current> GetAsync(IGrainFactory grains, string province)
    {
        var grain = grains.GetGrain<IProvinceGrain>(province);
        var seq = await grain.GetComparisonSeqAsync();
        if (_latest.TryGetValue(province, out var kept) && kept.Seq == seq) return kept;
        var comparison = await grain.GetComparisonAsync();
        var fresh = new Current(comparison.Seq, JsonSerializer.SerializeToUtf8Bytes(comparison, json.Value.SerializerOptions));
        // Two reads that raced keep the newer comparison (seqs only grow, across restarts too).
        _latest.AddOrUpdate(province, fresh, (_, other) => other.Seq > fresh.Seq ? other : fresh);
        return fresh;
    }
}
