namespace Beacon.Grains;

/// <summary>The counties that have ever held a credit code in one province: whom the index asks when it wakes.</summary>
[GenerateSerializer]
public sealed class CreditCodeHolders
{
    [Id(0)] public SortedSet<string> Counties { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Which of a province's counties hold each credit code, in memory. The holdings are the counties' own registers, so
/// they are not stored again here: the index keeps only which counties to ask, and when it wakes it reads their
/// enterprises and gives the province the duplicates it finds, which also repairs a flag a lost call left behind.
/// A county's change is one call however many enterprises it carries (an import's batch), with no write unless a
/// county holds a code for the first time.
/// </summary>
public sealed class CreditCodeIndexGrain(
    [PersistentState("credit-codes", BeaconStorage.Name)] IPersistentState<CreditCodeHolders> holders,
    ILogger<CreditCodeIndexGrain> logger)
    : Grain, ICreditCodeIndexGrain
{
    /// <summary>The counties holding each code, sorted; one county's array is shared by every code only it holds.</summary>
    private readonly Dictionary<string, string[]> _held = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _alone = new(StringComparer.Ordinal);
    private string Code => this.GetPrimaryKeyString();
    private IProvinceGrain Province => GrainFactory.GetGrain<IProvinceGrain>(Code);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var counties = holders.State.Counties.ToArray();
        // Counties answer their lists while they wait on this index (ListAsync interleaves), so this cannot deadlock.
        var lists = await Task.WhenAll(counties.Select(c => GrainFactory.GetGrain<ICountyGrain>(c).ListAsync(EntityKind.Enterprise)));
        foreach (var (county, codes) in counties.Zip(lists))
            foreach (var code in codes)
                _held[code] = _held.TryGetValue(code, out var others) ? Add(others, county) : Alone(county);
        var duplicates = _held.Where(h => h.Value.Length >= 2).Select(h => new DuplicateRegistration(h.Key, h.Value)).ToArray();
        logger.LogInformation("Credit codes of province {Province}: {Codes} held by {Counties} counties, {Duplicates} in two or more",
            Code, _held.Count, counties.Length, duplicates.Length);
        await Province.ReplaceDuplicatesAsync(duplicates);
    }

    public async Task HoldAsync(string county, string[] held, string[] released)
    {
        if (!Places.IsCountyCode(county) || Places.ProvinceOf(county) != Code)
            throw new ArgumentException($"'{county}' is not a county of province {Code}.", nameof(county));
        if (held.Length > 0 && holders.State.Counties.Add(county)) await holders.WriteStateAsync();
        var changed = new List<DuplicateRegistration>();
        foreach (var code in held) Change(code, c => Add(c, county));
        foreach (var code in released) Change(code, c => [.. c.Where(x => x != county)]);
        // Only a code that is or was held twice concerns the province.
        if (changed.Count > 0) await Province.FlagDuplicatesAsync([.. changed]);

        void Change(string code, Func<string[], string[]> change)
        {
            var before = _held.GetValueOrDefault(code) ?? [];
            var after = change(before);
            if (after.Length == before.Length) return;
            if (after.Length == 0) _held.Remove(code);
            else _held[code] = after.Length == 1 ? Alone(after[0]) : after;
            if (before.Length >= 2 || after.Length >= 2) changed.Add(new DuplicateRegistration(code, after));
        }
    }

    private static string[] Add(string[] counties, string county) =>
        counties.Contains(county) ? counties : [.. counties.Append(county).Order(StringComparer.Ordinal)];

    private string[] Alone(string county) => _alone.TryGetValue(county, out var one) ? one : _alone[county] = [county];
}
