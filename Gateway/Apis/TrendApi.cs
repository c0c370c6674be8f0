using System.Globalization;
using Beacon.Gateway.Security;
using Beacon.Rules;

namespace Beacon.Gateway.Apis;

/// <summary>One point of a trend: the day it stands for (a month's last, or today for the running one) and the figure then.</summary>
public sealed record TrendPoint(DateOnly Date, double? Value, double? Numerator, double? Denominator);

public sealed record TrendAnswer(string County, string Figure, string Step, TrendPoint[] Points);

/// <summary>
/// A county's figures through time, read from its daily snapshots (never recomputed from today's registers), with
/// the live summary as the point of today: a figure's trend by month or by day, and the summary as of a past day.
/// </summary>
public static class TrendApi
{
    public static RouteGroupBuilder MapTrendApi(this RouteGroupBuilder api)
    {
        var county = api.MapGroup("/counties/{county}").WithTags("Counties").RequireAuthorization(Policies.County).RequireCounty();
        county.MapGet("/trend", TrendAsync)
            .WithSummary("A figure of the catalogue through time: monthly (from, to as yyyy-MM; the last twelve months unless given) or daily with step=day (from, to as yyyy-MM-dd; the last 30 days), each point with its value, numerator and denominator as the day ended; today's point is the live figure.")
            .Produces<TrendAnswer>().ProducesReadErrors();
        return api;
    }

    private static async Task<IResult> TrendAsync(string county, string? figure, string? from, string? to, string? step, TimeProvider time, IGrainFactory grains)
    {
        if (string.IsNullOrEmpty(figure)) return Answers.Invalid("figure", Validation.Required);
        if (!FigureCatalogue.TryOf(figure, out var entry))
            return Answers.Invalid("figure", new($"目录中没有指标“{figure}”（见 GET /api/figures）", $"is not a figure of the catalogue (see GET /api/figures): '{figure}'"));
        var daily = step switch { null or "month" => false, "day" => true, _ => (bool?)null };
        if (daily is null) return Answers.Invalid("step", new("须为 month 或 day", "must be month or day"));
        var today = Validation.Today(time.GetUtcNow());
        var (format, zh, en) = daily.Value ? ("yyyy-MM-dd", "日期，如 2026-11-05", "a day as yyyy-MM-dd") : ("yyyy-MM", "月份，如 2026-11", "a month as yyyy-MM");
        var last = daily.Value ? today : new DateOnly(today.Year, today.Month, 1);
        DateOnly? Parse(string? text) =>
            text is null ? null : DateOnly.TryParseExact(daily.Value ? text : $"{text}-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : DateOnly.MinValue;
        var end = Parse(to) ?? last;
        if (end == DateOnly.MinValue) return Answers.Invalid("to", new($"须为{zh}", $"must be {en}"));
        if (end > last) return Answers.Invalid("to", new("不能晚于今天", "must not be in the future"));
        var start = Parse(from) ?? (daily.Value ? end.AddDays(-29) : end.AddMonths(-11));
        if (start == DateOnly.MinValue) return Answers.Invalid("from", new($"须为{zh}", $"must be {en}"));
        if (start > end) return Answers.Invalid("from", new("不能晚于 to", "must not be after to"));
        if (daily.Value ? end.DayNumber - start.DayNumber >= Snapshots.DailyKeptDays : (end.Year - start.Year) * 12 + end.Month - start.Month >= Snapshots.MaxMonths)
            return Answers.Invalid("from", daily.Value
                ? new($"按日最多 {Snapshots.DailyKeptDays} 天（每日快照保留的天数）", $"a daily trend covers at most {Snapshots.DailyKeptDays} days (as long as daily snapshots are kept)")
                : new($"按月最多 {Snapshots.MaxMonths} 个月", $"a monthly trend covers at most {Snapshots.MaxMonths} months"));

        var grain = grains.GetGrain<ICountyGrain>(county);
        if (await grain.GetProfileAsync() is null) return Answers.NotFound(CountyApi.Called(county));
        var snapshots = await ReadAsync(grains, county, daily.Value ? start : start, daily.Value ? end : end.AddMonths(1).AddDays(-1));
        var points = (daily.Value ? Snapshots.Daily(snapshots, start, end) : Snapshots.Monthly(snapshots, start, end))
            .Where(s => s.Day < today)
            .Select(s => Point(entry, s.Day, s.Summary))
            .ToList();
        if (end == last) points.Add(Point(entry, today, await grain.GetSummaryAsync()));
        return TypedResults.Ok(new TrendAnswer(county, entry.Key, daily.Value ? "day" : "month", [.. points]));
    }

    private static TrendPoint Point(Figure figure, DateOnly day, CountySummary summary)
    {
        var value = FigureCatalogue.Read(summary).Single(v => v.Figure == figure);
        return new TrendPoint(day, value.Value, value.Numerator, value.Denominator);
    }

    /// <summary>
    /// The snapshots of the months from <paramref name="from"/>'s to <paramref name="to"/>'s, and of the month before,
    /// whose last day carries into the first days asked for; sorted by day.
    /// </summary>
    public static async Task<DaySnapshot[]> ReadAsync(IGrainFactory grains, string county, DateOnly from, DateOnly to)
    {
        var months = new List<DateOnly>();
        for (var m = new DateOnly(from.Year, from.Month, 1).AddMonths(-1); m <= to; m = m.AddMonths(1)) months.Add(m);
        var read = await Task.WhenAll(months.Select(m => grains.GetGrain<ICountyMonthGrain>(Snapshots.MonthKey(county, m)).GetAsync()));
        return [.. read.SelectMany(x => x).OrderBy(s => s.Day)];
    }

    /// <summary>The summary as the day ended; null when no snapshot was kept on or before it.</summary>
    public static async Task<CountySummary?> AsOfAsync(IGrainFactory grains, string county, DateOnly day) =>
        Snapshots.Daily(await ReadAsync(grains, county, day, day), day, day).FirstOrDefault()?.Summary;
}
