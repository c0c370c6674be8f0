namespace Beacon.Grains.Figures;

/// <summary>
/// Who is in an activity circle: the base enterprises with a location within the walk of its centre (the activity
/// centre's own location, else the centre enterprise's), computed from the county's last reports whenever they are
/// asked for, so that an enterprise that moves, comes or leaves the base is in or out at the next publication.
/// </summary>
internal static class CircleMembership
{
    /// <summary>Where the circle is centred, or null while neither its activity centre nor its centre enterprise has a location.</summary>
    public static GeoPoint? CentreOf(CircleContribution circle, CountyLedger ledger) =>
        circle.CentreLocation ?? (ledger.FindLive(EntityKind.Enterprise, circle.CentreCreditCode) as EnterpriseContribution)?.Location;

    public static IEnumerable<(EnterpriseContribution Enterprise, double Metres)> Members(GeoPoint centre, int walkMinutes, IEnumerable<EnterpriseContribution> placed)
    {
        var reach = Geo.WalkMetres(walkMinutes);
        foreach (var e in placed)
        {
            var metres = Geo.Metres(centre, e.Location!);
            if (metres <= reach) yield return (e, metres);
        }
    }

    /// <summary>The base enterprises that have a location: the only ones a circle can take in.</summary>
    public static EnterpriseContribution[] Placed(CountyLedger ledger) =>
        [.. ledger.Live<EnterpriseContribution>(EntityKind.Enterprise).Where(e => e.InBase && e.Location is not null)];

    public static CircleFigures Figures(CountyLedger ledger, int @base)
    {
        var circles = ledger.Live<CircleContribution>(EntityKind.Circle).ToArray();
        if (circles.Length == 0) return new CircleFigures(0, 0, 0, 0);
        var placed = Placed(ledger);
        var within = new Dictionary<string, EnterpriseContribution>(StringComparer.Ordinal);
        foreach (var circle in circles)
            if (CentreOf(circle, ledger) is { } centre)
                foreach (var (e, _) in Members(centre, circle.WalkMinutes, placed))
                    within[e.Id] = e;
        return new CircleFigures(circles.Length, within.Count, CountyFigures.Rate(within.Count, @base),
            within.Values.Sum(e => (long)e.PartyMembers), circles.Sum(c => c.AreaM2));
    }
}
