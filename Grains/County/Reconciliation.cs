using Beacon.Rules;
using Beacon.Grains.Figures;

namespace Beacon.Grains;

/// <summary>
/// Rebuilds a county's ledger from its children's own answers: every child its register or its ledger knows of is
/// asked, a few at a time (each child that wakes reads its state, and a county has thousands: all at once would
/// exhaust the database's connections).
/// </summary>
internal static class Reconciliation
{
    internal const int Concurrency = 16;

    /// <param name="registered">The children the durable register holds.</param>
    /// <param name="before">The ledger when the reconcile began.</param>
    /// <param name="now">The ledger as it is when the answers are in: reports interleave with the asking.</param>
    /// <param name="ask">A child's current contribution, or null if it has no state.</param>
    public static async Task<(CountyLedger Fresh, string[] Corrected, int Asked)> RebuildAsync(
        IEnumerable<(EntityKind Kind, string Id)> registered, CountyLedger before, Func<CountyLedger> now,
        Func<EntityKind, string, Task<Contribution?>> ask)
    {
        // The register is durable, the ledger may be lost, and a removal may itself be the report that was wrong:
        // ask both, removed children included.
        var children = registered.Concat(before.All.Select(c => (Kind: Registers.KindOf(c), c.Id))).Distinct().ToArray();
        var known = before.All.ToDictionary(c => (Registers.KindOf(c), c.Id));
        // A semaphore, not Parallel.ForAsync, whose thread-pool callbacks would leave the grain's scheduler.
        using var slots = new SemaphoreSlim(Concurrency);
        var answers = await Task.WhenAll(children.Select(async child =>
        {
            await slots.WaitAsync();
            try { return await ask(child.Kind, child.Id); }
            finally { slots.Release(); }
        }));

        var fresh = new CountyLedger();
        var corrected = new List<string>();
        for (var i = 0; i < children.Length; i++)
        {
            var (kind, id) = children[i];
            var last = before.Find(kind, id);
            // The child's own answer wins. A child with no state keeps only a tombstone (so a late report from before
            // its removal cannot bring it back); a contribution with no entity behind it is dropped.
            var answer = answers[i] ?? (last is { Removed: true } ? last : null);
            if (answer is not null) fresh.TryReplace(answer, out _);
            if (!Equals(last, answer)) corrected.Add($"{JsonNames.Of(kind)} {id}");
        }
        // Reports that arrived while the children were being asked may be newer than the answers.
        foreach (var reported in now().All)
            if (!known.TryGetValue((Registers.KindOf(reported), reported.Id), out var was) || !ReferenceEquals(was, reported))
                fresh.TryReplace(reported, out _);
        return (fresh, [.. corrected.Order(StringComparer.Ordinal)], children.Length);
    }
}
