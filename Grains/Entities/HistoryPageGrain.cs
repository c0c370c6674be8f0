namespace Beacon.Grains.Entities;

/// <summary>The changes of one sealed page, oldest first, as the entity handed them over.</summary>
[GenerateSerializer]
public sealed class HistoryPage<TProfile> where TProfile : class
{
    [Id(0)] public RegisterChange<TProfile>[] Changes { get; set; } = [];
}

/// <summary>
/// One sealed page of a register entity's history. One state name serves every kind: the key carries the county,
/// the entity and its kind, so pages of different entities never share a record.
/// </summary>
public sealed class HistoryPageGrain<TProfile>(
    [PersistentState("history-page", BeaconStorage.Name)] IPersistentState<HistoryPage<TProfile>> page)
    : Grain, IHistoryPageGrain<TProfile> where TProfile : class
{
    public async Task SealAsync(RegisterChange<TProfile>[] changes)
    {
        page.State.Changes = changes;
        await page.WriteStateAsync();
        // Only an audit reads a sealed page again, and rarely: it need not stay in memory until then.
        DeactivateOnIdle();
    }

    public Task<RegisterChange<TProfile>[]> GetChangesAsync() => Task.FromResult(page.State.Changes);
}
