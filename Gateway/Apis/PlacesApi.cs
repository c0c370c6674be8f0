using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Beacon.Gateway.Security;

namespace Beacon.Gateway.Apis;

/// <summary>
/// A county's places: its map as GeoJSON (enterprises coloured by coverage, stations, activity circles), a circle's
/// members now.
/// </summary>
public sealed record PlanRequest([property: JsonRequired] int Stations, [property: JsonRequired] double MaxKm);

public sealed record ProposedSite(string NearCreditCode, string Name, string? Township, GeoPoint Location, int Links);

/// <summary>What today's stations do: how many base enterprises lie within the distance of one with a location, and the linkage figure (by assignment).</summary>
public sealed record TodaysStations(int Stations, int Placed, int LinkedWithin, double ShareWithin, int Linked, double LinkageRate);

/// <summary>
/// A station plan: the proposed sites and what they would link within maxKm, beside today's stations; <c>Beats</c>
/// whether the proposal links more than today's stations do within the same distance, and <c>Why</c> when it does not.
/// </summary>
public sealed record PlanAnswer(int Stations, double MaxKm, int Points, int Unplaced, ProposedSite[] Sites, int Linked, double Share, bool Exact,
    TodaysStations Today, bool Beats, string? Why);

public static class PlacesApi
{
    /// <summary>Vertices of the polygon that draws a circle's reach for any GeoJSON viewer.</summary>
    private const int CircleVertices = 48;

    public static RouteGroupBuilder MapPlacesApi(this RouteGroupBuilder api)
    {
        var county = api.MapGroup("/counties/{county}").WithTags("Places").RequireAuthorization(Policies.County).RequireCounty();

        // Screens show the map: whoever may watch the county live reads it, its displays among them (no person is on it).
        var watched = api.MapGroup("/counties/{county}").WithTags("Places").RequireAuthorization(Policies.Watch).RequireCounty();
        watched.MapGet("/map", async (string county, IGrainFactory grains) =>
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
        api.MapGet("/outlines/{place}", (string place, Outlines outlines) =>
                Places.IsProvinceCode(place) || Places.IsPrefectureCode(place)
                    ? Results.Text(outlines.Of(place), "application/geo+json")
                    : Answers.Invalid("place", new("须为省或市（州）的行政区划代码，如 620000、621100", "must be a province's or a prefecture's division code, e.g. 620000, 621100")))
            .WithTags("Places")
            .WithSummary("The outlines of a province's or a prefecture's counties as GeoJSON (properties code and name), for the screens' maps; a county without one is left out.")
            .Produces<JsonObject>(contentType: "application/geo+json").ProducesReadErrors();

        county.MapPost("/plans/stations", PlanStationsAsync).WithTags("Places").RequireAuthorization(Policies.CountyCommittee)
            .WithSummary("Proposes sites for N stations (at base enterprises, each with its township) that would link the most base enterprises with a location within maxKm, beside what today's stations link within the same distance; changes nothing.")
            .WithDescription($"stations {StationPlanner.MinStations} to {StationPlanner.MaxStations}, maxKm more than 0 and at most {StationPlanner.MaxKm}; refused by field otherwise. Exact says the proposal is proven the best; without it, it is the best a greedy choice improved by swaps found.")
            .Accepts<PlanRequest>("application/json").Produces<PlanAnswer>().ProducesWriteErrors();
        return api;
    }

    private static async Task<IResult> PlanStationsAsync(string county, HttpRequest request, IGrainFactory grains)
    {
        var (plan, problem) = await Json.ReadAsync<PlanRequest>(request);
        if (problem is not null) return problem;
        var errors = new Dictionary<string, Said[]>();
        if (plan!.Stations is < StationPlanner.MinStations or > StationPlanner.MaxStations)
            errors["stations"] = [new($"须为 {StationPlanner.MinStations} 到 {StationPlanner.MaxStations} 个", $"must be {StationPlanner.MinStations} to {StationPlanner.MaxStations}")];
        if (!(plan.MaxKm > 0 && plan.MaxKm <= StationPlanner.MaxKm))
            errors["maxKm"] = [new($"须大于 0、不超过 {StationPlanner.MaxKm} 公里", $"must be more than 0 and at most {StationPlanner.MaxKm} km")];
        if (errors.Count > 0) return Answers.Invalid(errors);
        var grain = grains.GetGrain<ICountyGrain>(county);
        if (await grain.GetProfileAsync() is null) return Answers.NotFound(CountyApi.Called(county));
        var places = await grain.GetPlacesAsync();
        var summary = await grain.GetSummaryAsync();
        var points = places.Enterprises.Select(e => new PlanPoint(e.CreditCode, e.Location, e.Township)).ToArray();
        var proposal = StationPlanner.Plan(points, plan.Stations, plan.MaxKm);
        var names = places.Enterprises.ToDictionary(e => e.CreditCode, e => e.Name, StringComparer.Ordinal);
        var within = points.Length == 0 ? 0 : StationPlanner.LinkedBy([.. places.Stations.Select(s => s.Location)], points, plan.MaxKm);
        var today = new TodaysStations(summary.Stations, places.Stations.Length, within, points.Length == 0 ? 0 : Math.Round((double)within / points.Length, 4),
            summary.Linkage.Linked, summary.Linkage.Rate);
        var beats = proposal.Linked > within;
        var why = beats ? null
            : points.Length == 0 ? "县里还没有标注位置的在册企业，无法布站（no base enterprise has a location）"
            : $"今天的 {places.Stations.Length} 个指导站在 {plan.MaxKm} 公里内已联系 {within} 家，{plan.Stations} 个新站点最多联系 {proposal.Linked} 家（today's stations already link as many within the distance）";
        return TypedResults.Ok(new PlanAnswer(plan.Stations, plan.MaxKm, points.Length, places.Unplaced,
            [.. proposal.Sites.Select(s => new ProposedSite(s.NearId, names[s.NearId], s.Township, s.At, s.Links))],
            proposal.Linked, proposal.Share, proposal.Exact, today, beats, why));
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
        var ring = new JsonArray();
        for (var i = 0; i <= CircleVertices; i++)
        {
            var at = Geo.Offset(centre, metres, 2 * Math.PI * (i % CircleVertices) / CircleVertices);
            ring.Add(Position(at.Lat, at.Lon));
        }
        return new JsonObject { ["type"] = "Polygon", ["coordinates"] = new JsonArray(ring) };
    }
}
