using Beacon.Rules;

namespace Beacon.Grains.History;

[GenerateSerializer]
public sealed class MonthSnapshots
{
    [Id(0)] public List<DaySnapshot> Days { get; set; } = [];
}

/// <summary>
/// One month of a county's snapshots, written once a day at most. A month whose days are past keeping is cut to its
/// last day when it wakes, so that what stays of it for good is the month's end.
/// </summary>
public sealed class CountyMonthGrain(
    [PersistentState("snapshots", BeaconStorage.Name)] IPersistentState<MonthSnapshots> month, TimeProvider time)
    : Grain, ICountyMonthGrain
{
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var days = month.State.Days;
        if (days.Count > 1 && Snapshots.PastDailyKeeping(days[0].Day, Validation.Today(time.GetUtcNow())))
        {
            month.State.Days = [days[^1]];
            await month.WriteStateAsync(cancellationToken);
        }
    }

    public async Task KeepAsync(DaySnapshot snapshot)
    {
        var days = month.State.Days;
        var at = days.FindIndex(d => d.Day >= snapshot.Day);
        if (at >= 0 && days[at].Day == snapshot.Day) return;
        days.Insert(at < 0 ? days.Count : at, snapshot);
        await month.WriteStateAsync();
    }

    public Task<DaySnapshot[]> GetAsync()
    {
        var days = month.State.Days;
        return Task.FromResult<DaySnapshot[]>(days.Count > 1 && Snapshots.PastDailyKeeping(days[0].Day, Validation.Today(time.GetUtcNow()))
            ? [days[^1]]
            : [.. days]);
    }
}
