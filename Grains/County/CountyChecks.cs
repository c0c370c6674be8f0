using Beacon.Grains.Figures;
using Beacon.Rules;

namespace Beacon.Grains;

/// <summary>
/// What a county checks of one child's change against its other children, from its registers' descriptors: what
/// the child refers to (<see cref="Register.Links"/>), what it claims (<see cref="Register.Claims"/>), and, when it
/// goes, who still refers to it.
/// </summary>
internal static class CountyChecks
{
    public static IReadOnlyDictionary<string, Said[]> Errors(string county, Contribution proposed, ChildRegister index, CountyLedger ledger,
        ClaimIndex claims) => Errors(county, proposed, index.Contains, ledger, (kind, value) => claims.HolderOf(kind, value));

    /// <summary>The checks with what exists and who holds a claim asked of the caller (an import's batch adds its own rows).</summary>
    public static IReadOnlyDictionary<string, Said[]> Errors(string county, Contribution proposed, Func<EntityKind, string, bool> exists,
        CountyLedger ledger, Func<EntityKind, string, string?> holderOf)
    {
        var v = new Validation();
        var register = Registers.Of(Registers.KindOf(proposed));
        foreach (var link in register.Links)
        {
            if (link.Of(proposed) is not { } id) continue;
            var target = Registers.Of(link.Target);
            if (!exists(link.Target, id))
            {
                v.Add(link.Field, $"本县（{county}）没有{target.Noun.Zh}“{id}”", $"{target.Noun.En} '{id}' does not exist in county {county}");
                continue;
            }
            // Admitted and not yet reported: it exists, and what it is will be checked when it changes next.
            if (ledger.FindLive(link.Target, id) is not { } named) continue;
            if (link.Within is { } within && register.Links.FirstOrDefault(l => l.Field == within) is { } parentLink &&
                parentLink.Of(proposed) is { } parent && target.LinkTo(parentLink.Target)?.Of(named) is { } actual && actual != parent)
            {
                var parentNoun = Registers.Of(parentLink.Target).Noun;
                v.Add(link.Field, $"{target.Noun.Zh}“{id}”属于{parentNoun.Zh}“{actual}”，不属于“{parent}”",
                    $"{target.Noun.En} '{id}' belongs to {parentNoun.En} '{actual}', not '{parent}'");
            }
            if (link.Accepts?.Invoke(proposed, named) is { } refused) v.Add(link.Field, refused);
            if (link.Tree && Closes(link, proposed.Id, named, ledger))
                v.Add(link.Field, $"{target.Noun.Zh}“{id}”在其下级中，不能作为上级", $"{target.Noun.En} '{id}' is below it, so it cannot be above it");
            else if (link.OneLevel && ledger.Live<Contribution>(register.Kind).FirstOrDefault(c => c.Id != proposed.Id && link.Of(c) == proposed.Id) is { } below)
                v.Add(link.Field, $"本{register.Noun.Zh}下有“{below.Id}”等，不能再隶属于其他{target.Noun.Zh}",
                    $"{register.Noun.En} '{below.Id}' is below it, so it cannot be below another");
        }

        foreach (var claim in register.Claims(proposed))
            if (holderOf(register.Kind, claim.Value) is { } holder && holder != proposed.Id)
                v.Add(claim.Field, $"“{claim.Value}”已属于{register.Noun.Zh}“{holder}”", $"'{claim.Value}' belongs to {register.Noun.En} '{holder}' already");
        return v.Errors;
    }

    /// <summary>Whether the link from <paramref name="child"/> to <paramref name="named"/> would close a cycle.</summary>
    private static bool Closes(Link link, string child, Contribution named, CountyLedger ledger)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (Contribution? at = named; at is not null && seen.Add(at.Id); at = link.Of(at) is { } up ? ledger.FindLive(link.Target, up) : null)
            if (at.Id == child) return true;
        return false;
    }

    /// <summary>For each id, how many live children of each <see cref="Register.Counted"/> register refer to it.</summary>
    public static Dictionary<string, Dictionary<string, int>> CountReferences(EntityKind kind, string[] ids, CountyLedger ledger)
    {
        var wanted = ids.ToHashSet(StringComparer.Ordinal);
        var counts = ids.Distinct().ToDictionary(id => id, _ => new Dictionary<string, int>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var (name, from) in Registers.Of(kind).Counted)
        {
            var links = Registers.Of(from).Links.Where(l => l.Target == kind).ToArray();
            foreach (var counted in counts.Values) counted[name] = 0;
            foreach (var child in ledger.Live<Contribution>(from))
                foreach (var id in links.Select(l => l.Of(child)).Where(id => id is not null && wanted.Contains(id)).Distinct())
                    counts[id!][name]++;
        }
        return counts;
    }

    /// <summary>Why the child cannot be removed: the first few children that still refer to it, or null.</summary>
    public static Said? ReferencedBy(EntityKind kind, string id, CountyLedger ledger)
    {
        var users = Registers.All
            .SelectMany(r => r.Links.Where(l => l.Target == kind)
                .SelectMany(l => ledger.Live<Contribution>(r.Kind).Where(c => l.Of(c) == id && l.Blocks(c)).Select(c => (r.Noun, c.Id))))
            .Distinct()
            .Take(4)
            .ToArray();
        if (users.Length == 0) return null;
        var more = users.Length == 4;
        return new(
            $"仍被{string.Join("、", users.Select(u => $"{u.Noun.Zh} {u.Id}"))}{(more ? " 等" : "")}引用",
            $"is still referenced by {string.Join(", ", users.Select(u => $"{u.Noun.En} {u.Id}"))}{(more ? " and others" : "")}");
    }
}
