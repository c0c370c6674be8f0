namespace Beacon.Grains;

[GenerateSerializer]
public sealed class CreditCodeHolders
{
    [Id(0)] public SortedSet<string> Counties { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// The counties that hold one credit code. Each change is told to the provinces concerned, as the list of that
/// province's counties that hold it (two or more is a duplicate; fewer clears the flag).
/// </summary>
public sealed class CreditCodeGrain(
    [PersistentState("credit-code", BeaconStorage.Name)] IPersistentState<CreditCodeHolders> holders)
    : Grain, ICreditCodeGrain
{
    public Task ClaimAsync(string county) => ChangeAsync(county, holders.State.Counties.Add);

    public Task ReleaseAsync(string county) => ChangeAsync(county, holders.State.Counties.Remove);

    public Task<string[]> GetCountiesAsync() => Task.FromResult(holders.State.Counties.ToArray());

    private async Task ChangeAsync(string county, Func<string, bool> change)
    {
        if (!Places.IsCountyCode(county)) throw new ArgumentException($"'{county}' is not a county code.", nameof(county));
        var province = Places.ProvinceOf(county);
        string[] InProvince() => [.. holders.State.Counties.Where(c => Places.ProvinceOf(c) == province)];
        var before = InProvince().Length;
        if (!change(county)) return;
        if (holders.State.Counties.Count == 0) await holders.ClearStateAsync();
        else await holders.WriteStateAsync();
        // Only a province that has or had a duplicate hears of it.
        var after = InProvince();
        if (before >= 2 || after.Length >= 2)
            await GrainFactory.GetGrain<IProvinceGrain>(province).FlagDuplicateAsync(this.GetPrimaryKeyString(), after);
    }
}
