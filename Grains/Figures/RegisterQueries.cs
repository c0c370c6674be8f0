namespace Beacon.Grains.Figures;

/// <summary>Filters, sorts and pages a register from the children's last reports, so a list wakes no entity.</summary>
internal static class RegisterQueries
{
    public const int MaxLimit = 200;

    public static RegisterPage Run(CountyLedger ledger, RegisterQuery q)
    {
        var register = Registers.Of(q.Kind);
        var filters = q.Filters.Select(f => (
            Of: register.Filters.FirstOrDefault(x => x.Parameter == f.Key)?.Of
                ?? throw new ArgumentException($"The {register.Route} register has no filter '{f.Key}'.", nameof(q)),
            f.Value)).ToArray();
        var rows = ledger.Of(q.Kind)
            .Where(c => !c.Removed && filters.All(f => string.Equals(f.Of(c), f.Value, StringComparison.OrdinalIgnoreCase)))
            .Select(c => (c.Id, Name: register.NameOf(c)));
        // Anywhere in the name (药业 finds 陇西正东药业有限公司), or the start of the id.
        if (!string.IsNullOrEmpty(q.Text))
            rows = rows.Where(r => r.Name.Contains(q.Text, StringComparison.OrdinalIgnoreCase)
                || r.Id.StartsWith(q.Text, StringComparison.OrdinalIgnoreCase));
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
