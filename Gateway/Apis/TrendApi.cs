using System.Globalization;
using Beacon.Gateway.Security;
using Beacon.Rules;

namespace Beacon.Gateway.Apis;

/// <summary>One point of a trend: the day it stands for (a month's last, or today for the running one) and the figure then.</summary>
public sealed record TrendPoint(DateOnly Date, double? Value, double? Numerator, double? Denominator);

public sealed record TrendAnswer(string County, string Figure, string Step, TrendPoint[] Points);

/// <summary>A figure of one county (or the totals) today, a month ago and a year ago, and the changes since each (null where no figure was kept).</summary>
public sealed record FigureChange(string County, string Name, double? Value, double? MonthAgo, double? YearAgo, double? MonthChange, double? YearChange);

/// <summary>The counties of a comparison side by side on one figure: month over month and year over year.</summary>
public sealed record ComparisonChanges(string Code, string Figure, DateOnly AsOf, DateOnly MonthAgo, DateOnly YearAgo, FigureChange[] Rows, FigureChange Totals);

public sealed record CountyTrend(string County, string Name, TrendPoint[] Points);

/// <summary>A province's or prefecture's counties through time: a series per county and the totals from the same numerators.</summary>
public sealed record ComparisonTrend(string Code, string Figure, string Step, CountyTrend[] Counties, TrendPoint[] Totals);

/// <summary>
/// A county's figures through time, read from its daily snapshots (never recomputed from today's registers), with
/// the live summary as the point of today: a figure's trend by month or by day, and the summary as of a past day.
/// </summary>
public static class TrendApi
{
    public static RouteGroupBuilder MapTrendApi(this RouteGroupBuilder api)
    {
        // Screens show trends: whoever may watch a place reads its figures through time, its displays among them.
        var county = api.MapGroup("/counties/{county}").WithTags("Counties").RequireAuthorization(Policies.Watch).RequireCounty();
        county.MapGet("/trend", TrendAsync)
            .WithSummary("A figure of the catalogue through time: monthly (from, to as yyyy-MM; the last twelve months unless given) or daily with step=day (from, to as yyyy-MM-dd; the last 30 days), each point with its value, numerator and denominator as the day ended; today's point is the live figure.")
            .Produces<TrendAnswer>().ProducesReadErrors();

        api.MapGet("/provinces/{province}/trend", async (string province, string? figure, string? from, string? to, string? step, TimeProvider time, IGrainFactory grains) =>
                await ComparisonTrendAsync(province, (await grains.GetGrain<IProvinceGrain>(province).GetComparisonAsync()).Rows, figure, from, to, step, time, grains))
            .WithTags("Provinces").WithSummary("A figure through time for each county of the province, and the province's totals (numerators and denominators summed); parameters as the county's trend.")
            .Produces<ComparisonTrend>().ProducesReadErrors().RequireAuthorization(Policies.Watch);
        api.MapGet("/prefectures/{prefecture}/trend", async (string prefecture, string? figure, string? from, string? to, string? step, TimeProvider time, IGrainFactory grains) =>
                await ComparisonTrendAsync(prefecture, (await grains.GetGrain<IProvinceGrain>(Places.ProvinceOf(prefecture)).GetPrefectureComparisonAsync(prefecture)).Rows, figure, from, to, step, time, grains))
            .WithTags("Prefectures").WithSummary("A figure through time for each county of the prefecture, and the prefecture's totals; parameters as the county's trend.")
            .Produces<ComparisonTrend>().ProducesReadErrors().RequireAuthorization(Policies.Watch);
        api.MapGet("/provinces/{province}/comparison/changes", async (string province, string? figure, TimeProvider time, IGrainFactory grains) =>
            {
                var grain = grains.GetGrain<IProvinceGrain>(province);
                return await ChangesAsync(province, figure, time, async () => await grain.GetComparisonAsync(), async day => await grain.GetComparisonAsOfAsync(day));
            })
            .WithTags("Provinces").WithSummary("A figure for each county of the province and the totals: today, a month ago, a year ago, and the change since each (month over month, year over year).")
            .Produces<ComparisonChanges>().ProducesReadErrors().RequireAuthorization(Policies.Province);
        api.MapGet("/prefectures/{prefecture}/comparison/changes", async (string prefecture, string? figure, TimeProvider time, IGrainFactory grains) =>
            {
                var grain = grains.GetGrain<IProvinceGrain>(Places.ProvinceOf(prefecture));
                return await ChangesAsync(prefecture, figure, time, async () => await grain.GetPrefectureComparisonAsync(prefecture),
                    async day => await grain.GetPrefectureComparisonAsOfAsync(prefecture, day));
            })
            .WithTags("Prefectures").WithSummary("A figure for each county of the prefecture and the totals: today, a month ago, a year ago, and the changes since.")
            .Produces<ComparisonChanges>().ProducesReadErrors().RequireAuthorization(Policies.Prefecture);
        return api;
    }

    private static async Task<IResult> ChangesAsync(string code, string? figure, TimeProvider time,
        Func<Task<ICountyComparison>> now, Func<DateOnly, Task<ICountyComparison>> asOf)
    {
        if (FigureOf(figure) is not { } entry) return FigureRefused(figure);
        var today = Validation.Today(time.GetUtcNow());
        var (monthAgo, yearAgo) = (today.AddMonths(-1), today.AddYears(-1));
        var current = await now();
        var (lastMonth, lastYear) = (await asOf(monthAgo), await asOf(yearAgo));
        double? Of(CountySummary? s) => s is null ? null : FigureCatalogue.Read(s, entry).Value;
        double? Change(double? a, double? b) => a is { } x && b is { } y ? Math.Round(x - y, 4) : null;
        FigureChange Row(CountySummary s, CountySummary? month, CountySummary? year)
        {
            var (v, m, y) = (Of(s), Of(month), Of(year));
            return new FigureChange(s.County, s.Name, v, m, y, Change(v, m), Change(v, y));
        }
        var rows = current.Rows.Select(r => Row(r, lastMonth.Rows.FirstOrDefault(x => x.County == r.County), lastYear.Rows.FirstOrDefault(x => x.County == r.County))).ToArray();
        // The totals then are over the counties that had figures then, as the comparison as of that day has them.
        return TypedResults.Ok(new ComparisonChanges(code, entry.Key, today, monthAgo, yearAgo, rows,
            Row(current.Totals, lastMonth.Rows.Length > 0 ? lastMonth.Totals : null, lastYear.Rows.Length > 0 ? lastYear.Totals : null)));
    }

    /// <summary>An <c>asOf</c> parameter: null for today (none, or today's date), a past day, or a refusal naming it.</summary>
    public static (DateOnly? Day, IResult? Refusal) PastDay(string? asOf, TimeProvider time)
    {
        if (asOf is null) return (null, null);
        if (!DateOnly.TryParseExact(asOf, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day))
            return (null, Answers.Invalid("asOf", new("须为日期，如 2026-11-05", "must be a day as yyyy-MM-dd")));
        var today = Rules.Validation.Today(time.GetUtcNow());
        if (day > today) return (null, Answers.Invalid("asOf", new("不能晚于今天", "must not be in the future")));
        return (day < today ? day : null, null);
    }

    private static Figure? FigureOf(string? key) => key is not null && FigureCatalogue.TryOf(key, out var figure) ? figure : null;

    /// <summary>The refusal of a <c>figure</c> parameter that names no figure of the catalogue.</summary>
    private static IResult FigureRefused(string? key) => string.IsNullOrEmpty(key)
        ? Answers.Invalid("figure", Validation.Required)
        : Answers.Invalid("figure", new($"目录中没有指标“{key}”（见 GET /api/figures）", $"is not a figure of the catalogue (see GET /api/figures): '{key}'"));

    /// <summary>What a trend request asks for, once its parameters are read: the figure, by day or by month, from and to.</summary>
    private sealed record TrendRange(Figure Figure, bool Daily, DateOnly From, DateOnly To, DateOnly Today)
    {
        /// <summary>Whether the range reaches today (this month), whose point is the live figure.</summary>
        public bool ReachesToday => Daily ? To == Today : To == new DateOnly(Today.Year, Today.Month, 1);
        public string Step => Daily ? "day" : "month";
    }

    private static (TrendRange? Range, IResult? Refusal) Read(string? figure, string? from, string? to, string? step, DateOnly today)
    {
        if (FigureOf(figure) is not { } entry) return (null, FigureRefused(figure));
        var daily = step switch { null or "month" => false, "day" => true, _ => (bool?)null };
        if (daily is null) return (null, Answers.Invalid("step", new("须为 month 或 day", "must be month or day")));
        var (zh, en) = daily.Value ? ("日期，如 2026-11-05", "a day as yyyy-MM-dd") : ("月份，如 2026-11", "a month as yyyy-MM");
        var last = daily.Value ? today : new DateOnly(today.Year, today.Month, 1);
        DateOnly? Parse(string? text) =>
            text is null ? null : DateOnly.TryParseExact(daily.Value ? text : $"{text}-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : DateOnly.MinValue;
        var end = Parse(to) ?? last;
        if (end == DateOnly.MinValue) return (null, Answers.Invalid("to", new($"须为{zh}", $"must be {en}")));
        if (end > last) return (null, Answers.Invalid("to", new("不能晚于今天", "must not be in the future")));
        var start = Parse(from) ?? (daily.Value ? end.AddDays(-29) : end.AddMonths(-11));
        if (start == DateOnly.MinValue) return (null, Answers.Invalid("from", new($"须为{zh}", $"must be {en}")));
        if (start > end) return (null, Answers.Invalid("from", new("不能晚于 to", "must not be after to")));
        if (daily.Value ? end.DayNumber - start.DayNumber >= Snapshots.DailyKeptDays : (end.Year - start.Year) * 12 + end.Month - start.Month >= Snapshots.MaxMonths)
            return (null, Answers.Invalid("from", daily.Value
                ? new($"按日最多 {Snapshots.DailyKeptDays} 天（每日快照保留的天数）", $"a daily trend covers at most {Snapshots.DailyKeptDays} days (as long as daily snapshots are kept)")
                : new($"按月最多 {Snapshots.MaxMonths} 个月", $"a monthly trend covers at most {Snapshots.MaxMonths} months")));
        return (new TrendRange(entry, daily.Value, start, end, today), null);
    }

    private static async Task<IResult> TrendAsync(string county, string? figure, string? from, string? to, string? step, TimeProvider time, IGrainFactory grains)
    {
        var (range, refusal) = Read(figure, from, to, step, Validation.Today(time.GetUtcNow()));
        if (range is null) return refusal!;
        var grain = grains.GetGrain<ICountyGrain>(county);
        if (await grain.GetProfileAsync() is null) return Answers.NotFound(CountyApi.Called(county));
        return TypedResults.Ok(new TrendAnswer(county, range.Figure.Key, range.Step, await SeriesAsync(grains, county, range)));
    }

    /// <summary>A county's points over the range: its kept days or month-ends, then today's live figure where the range reaches it.</summary>
    private static async Task<TrendPoint[]> SeriesAsync(IGrainFactory grains, string county, TrendRange range)
    {
        var snapshots = await Snapshots.ReadAsync(grains, county, range.From, range.Daily ? range.To : range.To.AddMonths(1).AddDays(-1));
        var points = (range.Daily ? Snapshots.Daily(snapshots, range.From, range.To) : Snapshots.Monthly(snapshots, range.From, range.To))
            .Where(s => s.Day < range.Today)
            .Select(s => Point(range.Figure, s.Day, s.Summary))
            .ToList();
        if (range.ReachesToday) points.Add(Point(range.Figure, range.Today, await grains.GetGrain<ICountyGrain>(county).GetSummaryAsync()));
        return [.. points];
    }

    /// <summary>
    /// The counties' sum at each date: numerators over denominators for a rate (or any figure with both), values summed
    /// for a count; a figure that cannot be summed (a median) has no total.
    /// </summary>
    private static TrendPoint[] Totals(Figure figure, IEnumerable<TrendPoint[]> series) =>
        [.. series.SelectMany(s => s).GroupBy(p => p.Date).OrderBy(g => g.Key).Select(g =>
        {
            double? numerator = figure.Numerator is null ? null : g.Sum(p => p.Numerator ?? 0);
            double? denominator = figure.Denominator is null ? null : g.Sum(p => p.Denominator ?? 0);
            double? value = figure.Format == FigureFormat.Count ? g.Sum(p => p.Value ?? 0)
                : numerator is { } n && denominator is { } d ? (d == 0 ? 0 : Math.Round(n / d, figure.Format == FigureFormat.Rate ? 4 : 2))
                : null;
            return new TrendPoint(g.Key, value, numerator, denominator);
        })];

    private static async Task<IResult> ComparisonTrendAsync(string code, CountySummary[] rows, string? figure, string? from, string? to, string? step,
        TimeProvider time, IGrainFactory grains)
    {
        var (range, refusal) = Read(figure, from, to, step, Validation.Today(time.GetUtcNow()));
        if (range is null) return refusal!;
        var series = await Task.WhenAll(rows.Select(async r => new CountyTrend(r.County, r.Name, await SeriesAsync(grains, r.County, range))));
        return TypedResults.Ok(new ComparisonTrend(code, range.Figure.Key, range.Step, series, Totals(range.Figure, series.Select(s => s.Points))));
    }

    private static TrendPoint Point(Figure figure, DateOnly day, CountySummary summary)
    {
        var value = FigureCatalogue.Read(summary, figure);
        return new TrendPoint(day, value.Value, value.Numerator, value.Denominator);
    }
}
