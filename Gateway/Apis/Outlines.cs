using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Beacon.Gateway.Apis;

/// <summary>
/// The counties' outlines the province and prefecture screens draw, from <c>maps/outlines.json</c> beside the binary
/// (made at build by <c>web/outlines.mjs</c> from the npm map package; another source only has to write that file).
/// Read once, at the first request; each place's collection is built once. A county the file lacks has no outline:
/// its screens show it in their tables and rankings all the same.
/// </summary>
public sealed class Outlines
{
    public static string FilePath => Path.Combine(AppContext.BaseDirectory, "maps", "outlines.json");

    private readonly Lazy<Dictionary<string, (string Name, JsonNode Polygons)>> _counties = new(Load);
    private readonly ConcurrentDictionary<string, string> _places = new(StringComparer.Ordinal);

    private static Dictionary<string, (string Name, JsonNode Polygons)> Load()
    {
        if (!File.Exists(FilePath)) return [];
        using var stream = File.OpenRead(FilePath);
        var root = JsonNode.Parse(stream)?["counties"]?.AsObject() ?? [];
        // Each place's collection takes its own copy of a county's polygons (Of), so these stay where they were parsed.
        return root.ToDictionary(c => c.Key, c => ((string?)c.Value?["name"] ?? c.Key, c.Value!["polygons"]!), StringComparer.Ordinal);
    }

    /// <summary>A prefecture's or a province's counties as a GeoJSON FeatureCollection (properties code and name).</summary>
    public string Of(string place) => _places.GetOrAdd(place, code =>
    {
        var prefix = Places.IsProvinceCode(code) ? code[..2] : code[..4];
        var features = new JsonArray();
        foreach (var (county, (name, polygons)) in _counties.Value.Where(c => c.Key.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(c => c.Key, StringComparer.Ordinal))
            features.Add(new JsonObject
            {
                ["type"] = "Feature", ["id"] = county,
                ["properties"] = new JsonObject { ["code"] = county, ["name"] = name },
                ["geometry"] = new JsonObject { ["type"] = "MultiPolygon", ["coordinates"] = polygons.DeepClone() },
            });
        return new JsonObject { ["type"] = "FeatureCollection", ["place"] = code, ["features"] = features }.ToJsonString(new JsonSerializerOptions());
    });
}
