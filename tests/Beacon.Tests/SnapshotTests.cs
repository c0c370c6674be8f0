using Beacon.Rules;
using Beacon.Tests.Infrastructure;
using static Beacon.Tests.Infrastructure.Ent;

namespace Beacon.Tests;

/// <summary>
/// Daily snapshots: the summary a day ended with is kept when the next day's first publication comes (or the county
/// wakes on a later day), the first kept for a day stands, a day without changes reads as the one before, and months
/// past the 400 days keep their last day only.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SnapshotTests(ClusterFixture fixture)
{
    private static CountySummary Summary(int registered) =>
        DemoFiguresTests.Summarize(DemoFiguresTests.Register("620521")) with { Registered = registered };

    [Fact]
    public void A_day_without_a_snapshot_reads_as_the_last_day_before_it_and_none_before_the_first()
    {
        var d = new DateOnly(2026, 3, 10);
        DaySnapshot[] kept = [new(d, Summary(1)), new(d.AddDays(2), Summary(3))];
        var days = Snapshots.Daily(kept, d.AddDays(-1), d.AddDays(3)).ToArray();
        Assert.Equal([d, d.AddDays(1), d.AddDays(2), d.AddDays(3)], days.Select(x => x.Day));
        Assert.Equal([1, 1, 3, 3], days.Select(x => x.Summary.Registered));
        var months = Snapshots.Monthly(kept, new DateOnly(2026, 2, 1), new DateOnly(2026, 4, 1)).ToArray();
        Assert.Equal([new DateOnly(2026, 3, 31), new DateOnly(2026, 4, 30)], months.Select(x => x.Day));
        Assert.Equal([3, 3], months.Select(x => x.Summary.Registered));
        Assert.True(Snapshots.PastDailyKeeping(new DateOnly(2025, 9, 15), new DateOnly(2026, 12, 3)));
        Assert.False(Snapshots.PastDailyKeeping(new DateOnly(2025, 11, 15), new DateOnly(2026, 12, 3)));
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 0, 0, 0, TimeSpan.FromHours(8)), Snapshots.DayTurnsAfter(new DateTimeOffset(2026, 12, 3, 15, 59, 0, TimeSpan.Zero)));
    }

    [Fact]
    public async Task Each_ended_day_keeps_the_summary_it_ended_with_when_the_next_day_first_changes()
    {
        var t = await Tenant.CreateAsync(fixture.Client, "110422");
        var day0 = Validation.Today(ShiftedClock.Instance.GetUtcNow());
        try
        {
            await t.OkAsync(Of(t.CreditCode(1)));
            await Poll.UntilAsync(t.SummaryAsync, s => s.Registered == 1, "the first enterprise counted");

            ShiftedClock.Instance.Offset = TimeSpan.FromDays(1);
            await t.OkAsync(Of(t.CreditCode(2)));
            await Poll.UntilAsync(t.SummaryAsync, s => s.Registered == 2, "the second enterprise counted");
            var kept = await Poll.UntilAsync(() => KeptAsync(t, day0, day0.AddDays(1)), k => k.Length == 1, "day 0's snapshot");
            Assert.Equal((day0, 1), (kept[0].Day, kept[0].Summary.Registered));

            // Two days on, a change: day 1 is kept as it ended, day 2 had none and reads as day 1.
            ShiftedClock.Instance.Offset = TimeSpan.FromDays(3);
            await t.OkAsync(Of(t.CreditCode(3)));
            await Poll.UntilAsync(t.SummaryAsync, s => s.Registered == 3, "the third enterprise counted");
            kept = await Poll.UntilAsync(() => KeptAsync(t, day0, day0.AddDays(3)), k => k.Length == 2, "day 1's snapshot");
            Assert.Equal((day0.AddDays(1), 2), (kept[1].Day, kept[1].Summary.Registered));
            Assert.Equal([1, 2, 2], Snapshots.Daily(kept, day0, day0.AddDays(2)).Select(x => x.Summary.Registered));

            // The first kept for a day stands: nothing rewrites the past.
            await fixture.Client.GetGrain<ICountyMonthGrain>(Snapshots.MonthKey(t.Code, day0)).KeepAsync(new DaySnapshot(day0, kept[1].Summary));
            Assert.Equal(1, (await KeptAsync(t, day0, day0))[0].Summary.Registered);
        }
        finally
        {
            ShiftedClock.Instance.Offset = TimeSpan.Zero;
        }
    }

    private async Task<DaySnapshot[]> KeptAsync(Tenant t, DateOnly from, DateOnly to)
    {
        var months = new[] { from, to }.Select(d => new DateOnly(d.Year, d.Month, 1)).Distinct();
        var read = await Task.WhenAll(months.Select(m => fixture.Client.GetGrain<ICountyMonthGrain>(Snapshots.MonthKey(t.Code, m)).GetAsync()));
        return [.. read.SelectMany(x => x).Where(s => s.Day >= from && s.Day <= to).OrderBy(s => s.Day)];
    }
}
