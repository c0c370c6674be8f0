namespace Beacon.Grains.Figures;

/// <summary>Filters, sorts and pages a register from the children's last reports, so a list wakes no entity.</summary>
internal static class RegisterQueries
{
    public const int MaxLimit = 200;

    public static RegisterPage Run(CountyLedger ledger, RegisterQuery q)
    {
        IEnumerable<(string Id, string Name)> rows = q.Kind switch
        {
            EntityKind.Enterprise => ledger.Enterprises.Values.Where(e => !e.Removed
                    && (q.StationId is null || e.StationId == q.StationId)
                    && (q.GroupId is null || e.GroupId == q.GroupId)
                    && (q.InstructorId is null || e.InstructorId == q.InstructorId)
                    && (q.Mode is null || e.Mode == q.Mode)
                    && (q.InBase is null || e.InBase == q.InBase))
                .Select(e => (e.Id, e.Name)),
            EntityKind.Station => ledger.Stations.Values.Where(s => !s.Removed && (q.StationId is null || s.Id == q.StationId))
                .Select(s => (s.Id, s.Name)),
            EntityKind.Group => ledger.Groups.Values.Where(g => !g.Removed && (q.StationId is null || g.StationId == q.StationId))
                .Select(g => (g.Id, g.Name)),
            EntityKind.Instructor => ledger.Instructors.Values.Where(i => !i.Removed
                    && (q.StationId is null || i.StationId == q.StationId)
                    && (q.GroupId is null || i.GroupId == q.GroupId))
                .Select(i => (i.Id, i.Name)),
            // An issue has no name: it sorts by its id, which grows with time.
            EntityKind.Issue => ledger.Issues.Values.Where(i => !i.Removed
                    && (q.StationId is null || i.StationId == q.StationId)
                    && (q.State is null || i.State == q.State)
                    && (q.CreditCode is null || i.CreditCode == q.CreditCode))
                .Select(i => (i.Id, i.Id)),
            _ => [],
        };
        if (!string.IsNullOrEmpty(q.Prefix))
            rows = rows.Where(r => r.Name.StartsWith(q.Prefix, StringComparison.OrdinalIgnoreCase)
                || r.Id.StartsWith(q.Prefix, StringComparison.OrdinalIgnoreCase));
        rows = q.Sort switch
        {
            SortOrder.Id => rows.OrderBy(r => r.Id, StringComparer.Ordinal),
            SortOrder.IdDescending => rows.OrderByDescending(r => r.Id, StringComparer.Ordinal),
            SortOrder.NameDescending => rows.OrderByDescending(r => r.Name, StringComparer.Ordinal).ThenByDescending(r => r.Id, StringComparer.Ordinal),
            _ => rows.OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Id, StringComparer.Ordinal),
        };
        var all = rows.Select(r => r.Id).ToArray();
        var offset = Math.Max(0, q.Offset);
        return new RegisterPage(all.Length, offset, all.Skip(offset).Take(Math.Clamp(q.Limit, 1, MaxLimit)).ToArray());
    }
}
