using Beacon.Rules;

namespace Beacon;

/// <summary>A county's summary as it stood at the end of a day (China's calendar).</summary>
[GenerateSerializer, Immutable]
public sealed record DaySnapshot([property: Id(0)] DateOnly Day, [property: Id(1)] CountySummary Summary);

/// <summary>
/// One month of a county's daily snapshots. Key: <c>county/yyyy-MM</c>. The first snapshot kept for a day stands:
/// nothing recomputes the past from today's registers.
/// </summary>
public interface ICountyMonthGrain : IGrainWithStringKey
{
    Task KeepAsync(DaySnapshot snapshot);

    /// <summary>The month's snapshots by day; of a month past <see cref="Snapshots.DailyKeptDays"/>, only its last.</summary>
    Task<DaySnapshot[]> GetAsync();
}

/// <summary>How long snapshots are kept, and how a series of days or months is read out of them.</summary>
public static class Snapshots
{
    /// <summary>Daily snapshots are kept this many days; a month's last is kept for good.</summary>
    public const int DailyKeptDays = 400;

    /// <summary>The longest trend a request may ask for: ten years of months, or the days that are kept.</summary>
    public const int MaxMonths = 120;

    /// <summary>The next midnight in China after <paramref name="now"/>.</summary>
    public static DateTimeOffset DayTurnsAfter(DateTimeOffset now)
    {
        var china = now.ToOffset(Validation.ChinaOffset);
        return new DateTimeOffset(china.Date.AddDays(1), Validation.ChinaOffset);
    }

    public static string MonthKey(string county, DateOnly day) => Places.TenantKey(county, $"{day:yyyy-MM}");

    /// <summary>Whether a month's daily snapshots are past keeping (its last day more than <see cref="DailyKeptDays"/> ago).</summary>
    public static bool PastDailyKeeping(DateOnly anyDayOfMonth, DateOnly today) =>
        new DateOnly(anyDayOfMonth.Year, anyDayOfMonth.Month, 1).AddMonths(1).AddDays(-1) < today.AddDays(-DailyKeptDays);

    /// <summary>
    /// The summary that stood at the end of each day from <paramref name="from"/> to <paramref name="to"/>: the day's
    /// snapshot, or the last one before it (a day without changes keeps the figures it had), and none before the first.
    /// </summary>
    public static IEnumerable<DaySnapshot> Daily(IReadOnlyList<DaySnapshot> sorted, DateOnly from, DateOnly to)
    {
        var at = 0;
        DaySnapshot? last = null;
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            while (at < sorted.Count && sorted[at].Day <= day) last = sorted[at++];
            if (last is not null) yield return last with { Day = day };
        }
    }

    /// <summary>The summary that stood at the end of each month from <paramref name="from"/> to <paramref name="to"/> (first days of months).</summary>
    public static IEnumerable<DaySnapshot> Monthly(IReadOnlyList<DaySnapshot> sorted, DateOnly from, DateOnly to)
    {
        var at = 0;
        DaySnapshot? last = null;
        for (var month = from; month <= to; month = month.AddMonths(1))
        {
            var end = month.AddMonths(1).AddDays(-1);
            while (at < sorted.Count && sorted[at].Day <= end) last = sorted[at++];
            if (last is not null) yield return last with { Day = end };
        }
    }

    /// <summary>
    /// A county's snapshots of the months from <paramref name="from"/>'s to <paramref name="to"/>'s, and of the month
    /// before, whose last day carries into the first days asked for; sorted by day.
    /// </summary>
    public static async Task<DaySnapshot[]> ReadAsync(IGrainFactory grains, string county, DateOnly from, DateOnly to)
    {
        var months = new List<DateOnly>();
        for (var m = new DateOnly(from.Year, from.Month, 1).AddMonths(-1); m <= to; m = m.AddMonths(1)) months.Add(m);
        var read = await Task.WhenAll(months.Select(m => grains.GetGrain<ICountyMonthGrain>(MonthKey(county, m)).GetAsync()));
        return [.. read.SelectMany(x => x).OrderBy(s => s.Day)];
    }

    /// <summary>A county's summary as the day ended; null when no snapshot was kept on or before it (within the month before).</summary>
    public static async Task<CountySummary?> AsOfAsync(IGrainFactory grains, string county, DateOnly day) =>
        Daily(await ReadAsync(grains, county, day, day), day, day).FirstOrDefault()?.Summary;
}
