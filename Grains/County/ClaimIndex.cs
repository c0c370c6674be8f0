using Beacon.Grains.Figures;

namespace Beacon.Grains;

/// <summary>
/// Who holds each value a register claims (<see cref="Register.Claims"/>: a station's townships, a standalone
/// enterprise's organisation), kept with the ledger so that a check costs a look-up, not a pass over the register.
/// </summary>
internal sealed class ClaimIndex
{
    private readonly Dictionary<(EntityKind Kind, string Value), string> _holders = [];

    public string? HolderOf(EntityKind kind, string value) => _holders.GetValueOrDefault((kind, value));

    /// <summary>A child's contribution replaced its previous one.</summary>
    public void Replaced(Contribution? previous, Contribution next)
    {
        var register = Registers.Of(Registers.KindOf(next));
        if (previous is { Removed: false })
            foreach (var claim in register.Claims(previous))
                if (_holders.TryGetValue((register.Kind, claim.Value), out var holder) && holder == previous.Id)
                    _holders.Remove((register.Kind, claim.Value));
        if (!next.Removed)
            foreach (var claim in register.Claims(next)) _holders[(register.Kind, claim.Value)] = next.Id;
    }

    public static ClaimIndex Of(CountyLedger ledger)
    {
        var index = new ClaimIndex();
        foreach (var c in ledger.All) index.Replaced(null, c);
        return index;
    }
}
