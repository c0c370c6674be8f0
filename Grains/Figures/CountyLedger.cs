namespace Beacon.Grains.Figures;

/// <summary>
/// The last contribution of every child of a county, by kind and id. It is derived data: persisted behind the
/// entities (coalesced, in rows of a few children each) so a county can show its figures after a restart without
/// waking its children, and rebuilt from them by reconcile. A stored row is a ledger of the children in that row.
/// </summary>
[GenerateSerializer]
public sealed class CountyLedger
{
    [Id(0)] public Dictionary<EntityKind, Dictionary<string, Contribution>> Children { get; set; } = [];

    /// <summary>A copy to write while this one goes on changing; the contributions themselves never change.</summary>
    public CountyLedger Copy() => new() { Children = Children.ToDictionary(k => k.Key, k => new Dictionary<string, Contribution>(k.Value)) };

    public IEnumerable<Contribution> All => Children.Values.SelectMany(c => c.Values);

    /// <summary>The contributions of one register, removed ones included.</summary>
    public IEnumerable<Contribution> Of(EntityKind kind) => Children.TryGetValue(kind, out var children) ? children.Values : [];

    /// <summary>The live contributions of one register, as the register's own record.</summary>
    public IEnumerable<T> Live<T>(EntityKind kind) where T : Contribution => Of(kind).Where(c => !c.Removed).Cast<T>();

    public int Count(EntityKind kind) => Children.TryGetValue(kind, out var children) ? children.Count : 0;

    /// <summary>
    /// Keeps <paramref name="next"/> if it is newer than the last report from the same child.
    /// Answers false, and changes nothing, for a repeated or late report.
    /// </summary>
    public bool TryReplace(Contribution next, out Contribution? previous)
    {
        var kind = Registers.KindOf(next);
        if (!Children.TryGetValue(kind, out var children)) Children[kind] = children = [];
        if (children.TryGetValue(next.Id, out var last) && last.Version >= next.Version)
        {
            previous = null;
            return false;
        }
        previous = last;
        children[next.Id] = next;
        return true;
    }

    public Contribution? Find(EntityKind kind, string id) =>
        Children.TryGetValue(kind, out var children) ? children.GetValueOrDefault(id) : null;

    /// <summary>The live contribution of a child, or null if it is unknown or removed.</summary>
    public Contribution? FindLive(EntityKind kind, string id) => Find(kind, id) is { Removed: false } c ? c : null;
}
