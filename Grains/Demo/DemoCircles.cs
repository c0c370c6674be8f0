namespace Beacon.Grains.Demo;

public sealed partial class DemoRegister
{
    /// <summary>The activity centres' floor areas, 4,000 ㎡ in all over 陇西's six circles (seeds/001).</summary>
    private static readonly decimal[] CentreAreas = [900, 800, 700, 600, 500, 500];

    /// <summary>
    /// 陇西's 一刻钟党建活动圈 (seeds/001): one around each of its named centres, each with the regional general branch the
    /// register made for it (QY-n). The centre is the enterprise of that branch with the most base enterprises within a
    /// quarter of an hour's walk, away from the centres chosen before it; the circle's members then follow from where the
    /// enterprises are, as for any county.
    /// </summary>
    private void DrawCircles(DemoCounty c)
    {
        if (c.Circles is not { Length: > 0 } names) return;
        var reach = Geo.WalkMetres(Geo.DefaultWalkMinutes);
        var placed = Enterprises.Where(e => e.InBase && e.Location is not null).ToArray();
        var centres = new List<GeoPoint>();
        for (var k = 0; k < names.Length; k++)
        {
            var branch = $"QY-{k + 1}";
            var candidates = placed.Where(e => e.Organisation.OrganisationId == branch).ToArray();
            if (candidates.Length == 0) candidates = placed;
            var centre = candidates
                .Where(e => centres.All(other => Geo.Metres(other, e.Location!) > 2 * reach))
                .OrderByDescending(e => placed.Count(o => Geo.Metres(o.Location!, e.Location!) <= reach))
                .ThenBy(e => e.CreditCode, StringComparer.Ordinal)
                .FirstOrDefault() ?? candidates[0];
            centres.Add(centre.Location!);
            // The centre enterprise goes by the name the county gives the circle (陇原中天, 宇臻物流 …) unless that is a place.
            var name = names[k];
            if (!c.Townships.Any(t => t.StartsWith(name, StringComparison.Ordinal)))
            {
                var at = Enterprises.IndexOf(centre);
                Enterprises[at] = centre with { Name = $"{name}公司" };
            }
            Circles.Add(new CircleProfile($"HDQ-{k + 1}", $"{name}一刻钟党建活动圈", centre.CreditCode,
                new ActivityCentre($"{name}区域党员活动中心", CentreAreas[k % CentreAreas.Length]), branch));
        }
    }
}
