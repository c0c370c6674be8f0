using System.Text.Json.Nodes;
using Beacon.Gateway.Security;

namespace Beacon.Gateway.Apis;

/// <summary>
/// A county's places: its map as GeoJSON (enterprises coloured by coverage, stations, activity circles), a circle's
/// members now.
/// </summary>
public static class PlacesApi
{
    /// <summary>Vertices of the polygon that draws a circle's reach for any GeoJSON viewer.</summary>
    private const int CircleVertices = 48;

    public static RouteGroupBuilder MapPlacesApi(this RouteGroupBuilder api)
    {
        var county = api.MapGroup("/counties/{county}").WithTags("Places").RequireAuthorization(Policies.County).RequireCounty();

        county.MapGet("/map", async (string county, IGrainFactory grains) =>
        {
            var grain = grains.GetGrain<ICountyGrain>(county);
            if (await grain.GetProfileAsync() is null) return Answers.NotFound(CountyApi.Called(county));
            return Results.Text(GeoJson(await grain.GetPlacesAsync()).ToJsonString(), "application/geo+json");
        }).WithSummary("The county's map as a GeoJSON FeatureCollection: each base enterprise with a location (properties kind 'enterprise', creditCode, name, coverage organised / workCovered / neither, stationId, township, partyMembers), each station with one (kind 'station'), each activity circle as its centre (kind 'circle', radiusMetres, members) and its reach as a polygon (kind 'circleArea'). Coordinates are [lon, lat], WGS-84; the collection's 'unplaced' says how many base enterprises have no location.")
          .Produces<JsonObject>(contentType: "application/geo+json").ProducesReadErrors();

        county.MapGet("/circles/{id}/members", async (string county, string id, IGrainFactory grains) =>
            await grains.GetGrain<ICountyGrain>(county).GetCircleMembersAsync(id) is { } members
                ? Results.Ok(members)
                : Answers.NotFound(new($"县 {county} 的活动圈 {id}", $"activity circle {id} of county {county}")))
            .WithTags("Circles")
            .WithSummary("The circle's members now: the base enterprises within its walk (walkMinutes at 5 km/h over a 1.3 detour, radiusMetres straight) of its centre, nearest first, with their distance in metres.")
            .Produces<CircleMembers>().ProducesReadErrors();
        return api;
    }

    public static JsonObject GeoJson(CountyPlaces places)
    {
        var features = new JsonArray();
        foreach (var e in places.Enterprises)
            features.Add(Feature(Point(e.Location), new JsonObject
            {
                ["kind"] = "enterprise", ["creditCode"] = e.CreditCode, ["name"] = e.Name, ["coverage"] = System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(e.Coverage.ToString()),
                ["stationId"] = e.StationId, ["township"] = e.Township, ["partyMembers"] = e.PartyMembers,
            }));
        foreach (var s in places.Stations)
            features.Add(Feature(Point(s.Location), new JsonObject { ["kind"] = "station", ["stationId"] = s.StationId, ["name"] = s.Name }));
        foreach (var c in places.Circles.Where(c => c.Centre is not null))
        {
            var properties = new JsonObject
            {
                ["kind"] = "circle", ["circleId"] = c.CircleId, ["name"] = c.Name, ["centreCreditCode"] = c.CentreCreditCode,
                ["radiusMetres"] = Math.Round(c.RadiusMetres, 1), ["members"] = c.Members,
            };
            features.Add(Feature(Point(c.Centre!), properties));
            var area = properties.DeepClone().AsObject();
            area["kind"] = "circleArea";
            features.Add(Feature(Ring(c.Centre!, c.RadiusMetres), area));
        }
        return new JsonObject { ["type"] = "FeatureCollection", ["county"] = places.County, ["unplaced"] = places.Unplaced, ["features"] = features };
    }

    private static JsonObject Feature(JsonObject geometry, JsonObject properties) =>
        new() { ["type"] = "Feature", ["geometry"] = geometry, ["properties"] = properties };

    private static JsonArray Position(double lat, double lon) => [Math.Round(lon, 6), Math.Round(lat, 6)];

    private static JsonObject Point(GeoPoint p) => new() { ["type"] = "Point", ["coordinates"] = Position(p.Lat, p.Lon) };

    /// <summary>A circle of <paramref name="metres"/> around the centre, as a closed ring (small enough to treat the earth as flat there).</summary>
    private static JsonObject Ring(GeoPoint centre, double metres)
    {
        const double metresPerDegree = 111_320;
        var ring = new JsonArray();
        for (var i = 0; i <= CircleVertices; i++)
        {
            var angle = 2 * Math.PI * (i % CircleVertices) / CircleVertices;
            var lat = centre.Lat + metres * Math.Sin(angle) / metresPerDegree;
            var lon = centre.Lon + metres * Math.Cos(angle) / (metresPerDegree * Math.Cos(centre.Lat * Math.PI / 180));
            ring.Add(Position(lat, lon));
        }
        return new JsonObject { ["type"] = "Polygon", ["coordinates"] = new JsonArray(ring) };
    }
}
