namespace Beacon.Grains.Figures;

/// <summary>A county's places and its circles' members, read from its children's last reports.</summary>
internal static class CountyMap
{
    public static CountyPlaces Places(string county, CountyLedger ledger, CountyTally tally)
    {
        var inBase = ledger.Live<EnterpriseContribution>(EntityKind.Enterprise).Where(e => e.InBase).ToArray();
        var placed = inBase.Where(e => e.Location is not null).ToArray();
        var enterprises = placed
            .OrderBy(e => e.Id, StringComparer.Ordinal)
            .Select(e => new PlacedEnterprise(e.Id, e.Name, e.Location!,
                tally.CoversOrganisation(e.Mode) ? MapCoverage.Organised : CountyTally.CoversWork(e) ? MapCoverage.WorkCovered : MapCoverage.Neither,
                e.StationId, e.Township, e.PartyMembers))
            .ToArray();
        var stations = ledger.Live<StationContribution>(EntityKind.Station)
            .Where(s => s.Location is not null)
            .OrderBy(s => s.Id, StringComparer.Ordinal)
            .Select(s => new PlacedStation(s.Id, s.Name, s.Location!))
            .ToArray();
        var circles = ledger.Live<CircleContribution>(EntityKind.Circle)
            .OrderBy(c => c.Id, StringComparer.Ordinal)
            .Select(c => CircleMembership.CentreOf(c, ledger) is { } centre
                ? new PlacedCircle(c.Id, c.Name, c.CentreCreditCode, centre, Geo.WalkMetres(c.WalkMinutes), CircleMembership.Members(centre, c.WalkMinutes, placed).Count())
                : new PlacedCircle(c.Id, c.Name, c.CentreCreditCode, null, Geo.WalkMetres(c.WalkMinutes), 0))
            .ToArray();
        return new CountyPlaces(county, enterprises, stations, circles, inBase.Length - placed.Length);
    }

    public static CircleMembers? Members(CountyLedger ledger, string circleId)
    {
        if (ledger.FindLive(EntityKind.Circle, circleId) is not CircleContribution circle) return null;
        var centre = CircleMembership.CentreOf(circle, ledger);
        var members = centre is null ? []
            : CircleMembership.Members(centre, circle.WalkMinutes, CircleMembership.Placed(ledger))
                .OrderBy(m => m.Metres).ThenBy(m => m.Enterprise.Id, StringComparer.Ordinal)
                .Select(m => new CircleMember(m.Enterprise.Id, m.Enterprise.Name, Math.Round(m.Metres, 1), m.Enterprise.PartyMembers, m.Enterprise.Township))
                .ToArray();
        return new CircleMembers(circle.Id, circle.Name, centre, circle.WalkMinutes, Math.Round(Geo.WalkMetres(circle.WalkMinutes), 1), members);
    }
}
