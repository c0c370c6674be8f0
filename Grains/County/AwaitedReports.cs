namespace Beacon.Grains;

/// <summary>
/// The children whose report their county waits for: one it admitted that has not reported yet, one whose removal is
/// coming, one whose change a gateway saw fail. A child's own write comes before its report, so a silo that dies
/// between the two leaves the child stored and its county unaware; the county asks each child here for its
/// contribution once it has waited <see cref="AskAfter"/>, and again at every sweep until it answers. Only for grain
/// code, which runs one turn at a time.
/// </summary>
internal sealed class AwaitedReports
{
    /// <summary>Far longer than a write and its report take, so a healthy child is never asked.</summary>
    internal static readonly TimeSpan AskAfter = TimeSpan.FromSeconds(10);

    internal static readonly TimeSpan Sweep = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A child admitted this long ago that still has no state never stored itself (its silo died first, or its write
    /// failed): the county forgets it. One that cannot be reached this long is left to a reconcile.
    /// </summary>
    internal static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(2);

    private readonly Dictionary<(EntityKind Kind, string Id), DateTimeOffset> _since = [];

    public bool Any => _since.Count > 0;

    /// <summary>Waits for the child's report from <paramref name="since"/>; a child already waited for keeps its first time.</summary>
    public void Expect(EntityKind kind, string id, DateTimeOffset since) => _since.TryAdd((kind, id), since);

    /// <summary>The child reported: whatever it reported is its state after the change.</summary>
    public void Reported(EntityKind kind, string id) => _since.Remove((kind, id));

    /// <summary>The children waited for at least <see cref="AskAfter"/> at <paramref name="now"/>, and since when.</summary>
    public (EntityKind Kind, string Id, DateTimeOffset Since)[] Due(DateTimeOffset now) =>
        [.. _since.Where(w => now - w.Value >= AskAfter).Select(w => (w.Key.Kind, w.Key.Id, w.Value))];
}
