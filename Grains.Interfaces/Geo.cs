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
