namespace Beacon;

/// <summary>
/// Distances on WGS-84 and the rules that use them: where China is (a location outside is refused), and how far a
/// quarter of an hour's walk reaches (DESIGN.md "Places").
/// </summary>
public static class Geo
{
    private const double EarthRadiusMetres = 6_371_008.8;

    /// <summary>Walking pace of the circles' rule, in km/h.</summary>
    public const double WalkKmPerHour = 5.0;

    /// <summary>How much longer a walk is than the straight line between its ends.</summary>
    public const double DetourFactor = 1.3;

    /// <summary>A circle's walk unless it says otherwise: 一刻钟.</summary>
    public const int DefaultWalkMinutes = 15;

    // China's extent, mainland and islands (漠河 53.56°N, 曾母暗沙 3.86°N, 帕米尔 73.5°E, 抚远 135.1°E): a box, since a
    // typing error (a swapped latitude and longitude, a missing digit) lands far outside it.
    public const double MinLat = 3.8, MaxLat = 53.6, MinLon = 73.4, MaxLon = 135.1;

    public static bool InChina(GeoPoint p) =>
        double.IsFinite(p.Lat) && double.IsFinite(p.Lon) && p.Lat is >= MinLat and <= MaxLat && p.Lon is >= MinLon and <= MaxLon;

    /// <summary>Great-circle distance in metres (haversine).</summary>
    public static double Metres(GeoPoint a, GeoPoint b)
    {
        var dLat = ToRadians(b.Lat - a.Lat);
        var dLon = ToRadians(b.Lon - a.Lon);
        var h = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) +
                Math.Cos(ToRadians(a.Lat)) * Math.Cos(ToRadians(b.Lat)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusMetres * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    /// <summary>The straight-line reach of a walk of so many minutes: 15 minutes at 5 km/h over a 1.3 detour is about 962 m.</summary>
    public static double WalkMetres(int minutes) => minutes / 60.0 * WalkKmPerHour * 1000 / DetourFactor;

    /// <summary>Metres along a meridian per degree of latitude, on the sphere <see cref="Metres"/> measures on.</summary>
    public const double MetresPerDegree = EarthRadiusMetres * Math.PI / 180;

    /// <summary>
    /// The point <paramref name="metres"/> from <paramref name="from"/> on <paramref name="bearing"/> (radians from north),
    /// treating the earth as flat there: for the few kilometres of a county's places.
    /// </summary>
    public static GeoPoint Offset(GeoPoint from, double metres, double bearing) => new(
        from.Lat + metres * Math.Cos(bearing) / MetresPerDegree,
        from.Lon + metres * Math.Sin(bearing) / (MetresPerDegree * Math.Cos(ToRadians(from.Lat))));

    private static double ToRadians(double degrees) => degrees * Math.PI / 180;

    /// <summary>The refusals of a location, by its fields under <paramref name="field"/> (e.g. <c>location.lat</c>).</summary>
    public static void Check(Rules.Validation v, string field, GeoPoint? point)
    {
        if (point is not { } p) return;
        if (!double.IsFinite(p.Lat) || p.Lat is < MinLat or > MaxLat)
            v.Add($"{field}.lat", $"纬度须在中国境内（{MinLat} 到 {MaxLat}，WGS-84）", $"must lie within China ({MinLat} to {MaxLat}, WGS-84)");
        if (!double.IsFinite(p.Lon) || p.Lon is < MinLon or > MaxLon)
            v.Add($"{field}.lon", $"经度须在中国境内（{MinLon} 到 {MaxLon}，WGS-84）", $"must lie within China ({MinLon} to {MaxLon}, WGS-84)");
    }
}

/// <summary>How a base enterprise is covered, as the map colours it.</summary>
public enum MapCoverage { Organised, WorkCovered, Neither }

[GenerateSerializer, Immutable]
public sealed record PlacedEnterprise(
    [property: Id(0)] string CreditCode,
    [property: Id(1)] string Name,
    [property: Id(2)] GeoPoint Location,
    [property: Id(3)] MapCoverage Coverage,
    [property: Id(4)] string? StationId,
    [property: Id(5)] string? Township,
    [property: Id(6)] int PartyMembers);

[GenerateSerializer, Immutable]
public sealed record PlacedStation(
    [property: Id(0)] string StationId,
    [property: Id(1)] string Name,
    [property: Id(2)] GeoPoint Location);

[GenerateSerializer, Immutable]
public sealed record PlacedCircle(
    [property: Id(0)] string CircleId,
    [property: Id(1)] string Name,
    [property: Id(2)] string CentreCreditCode,
    [property: Id(3)] GeoPoint? Centre,
    [property: Id(4)] double RadiusMetres,
    [property: Id(5)] int Members);

/// <summary>
/// A county's places as its map shows them: the base enterprises that have a location, with how they are covered;
/// the stations that have one; the circles with their centres and reach. <see cref="Unplaced"/> counts the base
/// enterprises with no location, which no map shows.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CountyPlaces(
    [property: Id(0)] string County,
    [property: Id(1)] PlacedEnterprise[] Enterprises,
    [property: Id(2)] PlacedStation[] Stations,
    [property: Id(3)] PlacedCircle[] Circles,
    [property: Id(4)] int Unplaced);

[GenerateSerializer, Immutable]
public sealed record CircleMember(
    [property: Id(0)] string CreditCode,
    [property: Id(1)] string Name,
    [property: Id(2)] double Metres,
    [property: Id(3)] int PartyMembers,
    [property: Id(4)] string? Township);

/// <summary>A circle's members now: the base enterprises within the walk of its centre, nearest first.</summary>
[GenerateSerializer, Immutable]
public sealed record CircleMembers(
    [property: Id(0)] string CircleId,
    [property: Id(1)] string Name,
    [property: Id(2)] GeoPoint? Centre,
    [property: Id(3)] int WalkMinutes,
    [property: Id(4)] double RadiusMetres,
    [property: Id(5)] CircleMember[] Members);
