using System.Globalization;
using Beacon.Gateway.Security;
using Beacon.Gateway.Workbooks;

namespace Beacon.Gateway.Apis;

/// <summary>
/// Reports upward: a county's figures for a month as the workbook its committee sends to the prefecture (a summary of
/// every figure of the catalogue with its numerator and denominator, a sheet per station, and what falls short), and a
/// prefecture's or a province's (the comparison, and what falls short per county). Same access as the summary and the
/// comparisons. Until daily snapshots are kept only the current month (China Standard Time) has figures.
/// </summary>
public static class ReportApi
{
    public static RouteGroupBuilder MapReportApi(this RouteGroupBuilder api)
    {
        api.MapGroup("/counties/{county}").WithTags("Counties", "Reports").RequireAuthorization(Policies.County).RequireCounty()
            .MapGet("/report.xlsx", CountyReportAsync)
            .WithSummary("The county's report for a month (month=YYYY-MM, the current month if absent) as a workbook: every figure with its numerator, denominator and target, a sheet per station, and what falls short.")
            .Produces(StatusCodes.Status200OK, contentType: ExportApi.XlsxType).ProducesReadErrors();

        api.MapGet("/prefectures/{prefecture}/report.xlsx", PrefectureReportAsync).WithTags("Prefectures", "Reports")
            .WithSummary("The prefecture's report for a month (month=YYYY-MM, the current month if absent) as a workbook: a row per county with every figure and the totals, and what falls short per county.")
            .Produces(StatusCodes.Status200OK, contentType: ExportApi.XlsxType).ProducesReadErrors()
            .RequireAuthorization(Policies.Prefecture);

        api.MapGet("/provinces/{province}/report.xlsx", ProvinceReportAsync).WithTags("Provinces", "Reports")
            .WithSummary("The province's report for a month (month=YYYY-MM, the current month if absent) as a workbook: a row per county with every figure and the totals, and what falls short per county.")
            .Produces(StatusCodes.Status200OK, contentType: ExportApi.XlsxType).ProducesReadErrors()
            .RequireAuthorization(Policies.Province);
        return api;
    }

    public static async Task<IResult> CountyReportAsync(string county, string? month, IGrainFactory grains)
    {
        if (MonthRefusal(month, out var wanted) is { } refusal) return refusal;
        var summary = await grains.GetGrain<ICountyGrain>(county).GetSummaryAsync();
        return TypedResults.File(CountyWorkbook(summary, wanted), ExportApi.XlsxType, FileName(county, wanted));
    }

    public static async Task<IResult> PrefectureReportAsync(string prefecture, string? month, IGrainFactory grains)
    {
        if (MonthRefusal(month, out var wanted) is { } refusal) return refusal;
        var comparison = await grains.GetGrain<IProvinceGrain>(Places.ProvinceOf(prefecture)).GetPrefectureComparisonAsync(prefecture);
        return TypedResults.File(ComparisonWorkbook(comparison, wanted), ExportApi.XlsxType, FileName(prefecture, wanted));
    }

    public static async Task<IResult> ProvinceReportAsync(string province, string? month, IGrainFactory grains)
    {
        if (MonthRefusal(month, out var wanted) is { } refusal) return refusal;
        var comparison = await grains.GetGrain<IProvinceGrain>(province).GetComparisonAsync();
        return TypedResults.File(ComparisonWorkbook(comparison, wanted), ExportApi.XlsxType, FileName(province, wanted));
    }

    public static string FileName(string code, DateOnly month) => $"report-{code}-{YearMonth(month)}.xlsx";

    // ---- The month ----

    // Invariant: the server's culture could have another calendar's year.
    private static string YearMonth(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static string InChinese(DateOnly month) => month.ToString("yyyy年M月", CultureInfo.InvariantCulture);

    /// <summary>The current month as the offices see it: China Standard Time, whatever the server's zone.</summary>
    private static DateOnly CurrentMonth()
    {
        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().ToOffset(ExportApi.ChinaOffset).DateTime);
        return new DateOnly(today.Year, today.Month, 1);
    }

    /// <summary>
    /// Null when the report can be written, with the month it is of (the first of it); otherwise the answer: 400 for a
    /// month that is no YYYY-MM or is still to come, 404 for a past one, whose figures only daily snapshots could give.
    /// </summary>
    private static IResult? MonthRefusal(string? month, out DateOnly wanted)
    {
        var current = CurrentMonth();
        wanted = current;
        if (month is null) return null;
        if (ParseMonth(month) is not { } parsed)
            return Answers.Invalid("month", new("须为 YYYY-MM 格式的年月，如 2026-11", "must be a year and month as YYYY-MM, such as 2026-11"));
        wanted = parsed;
        if (parsed > current)
            return Answers.Invalid("month", new($"{InChinese(parsed)}尚未到来，只能报送本月（{YearMonth(current)}）或以前的月份",
                $"{YearMonth(parsed)} has not come yet; a report is of this month ({YearMonth(current)}) or an earlier one"));
        if (parsed < current)
            return Answers.Invalid(new Dictionary<string, Said[]>
            {
                ["month"] = [new($"以往月份（{YearMonth(parsed)}）的数据取自每日快照，每日快照尚未提供；目前只能报送本月（{YearMonth(current)}）",
                    $"the figures of past months ({YearMonth(parsed)}) are kept from the daily snapshots, which are not yet available; only this month ({YearMonth(current)}) can be reported")],
            }, StatusCodes.Status404NotFound, new("没有该月的数据", "No figures for that month"));
        return null;
    }

    /// <summary>YYYY-MM in ASCII digits only (a full-width or other script's digit is refused, not read as a number).</summary>
    private static DateOnly? ParseMonth(string text)
    {
        if (text.Length != 7 || text[4] != '-' || !text.Remove(4, 1).All(char.IsAsciiDigit)) return null;
        var year = int.Parse(text.AsSpan(0, 4), CultureInfo.InvariantCulture);
        var month = int.Parse(text.AsSpan(5, 2), CultureInfo.InvariantCulture);
        return year >= 1 && month is >= 1 and <= 12 ? new DateOnly(year, month, 1) : null;
    }

    // ---- What a figure is held to ----

    /// <summary>
    /// The standard a figure is held to, if any: its own target (the linkage's); for a count that has a denominator and
    /// a better direction, the catalogue's way of naming what falls short or meets a standard, none of them
    /// (groups below strength, overdue issues, terms due) or all of them (stations meeting the linkage target).
    /// </summary>
    public static double? Standard(FigureValue figure) =>
        figure.Target ?? (figure.Figure is { Format: FigureFormat.Count, Denominator: not null } && figure.Denominator is { } all
            ? figure.Figure.Better switch { Better.Lower => 0, Better.Higher => all, _ => null }
            : null);

    /// <summary>
    /// Whether the figure meets its standard; null when it has none (or no value, a median of nothing). A rate is held
    /// to it unrounded, as a station's linkage is (69.996% does not meet 70%), and a rate of nothing meets nothing.
    /// </summary>
    public static bool? MeetsStandard(FigureValue figure)
    {
        var value = figure is { Figure.Format: FigureFormat.Rate, Numerator: { } n, Denominator: { } d } ? d > 0 ? n / d : 0 : figure.Value;
        return Standard(figure) is { } standard && value is { } v
            ? figure.Figure.Better switch { Better.Higher => v >= standard, Better.Lower => v <= standard, _ => null }
            : null;
    }

    private static CellType TypeOf(FigureFormat format) => format switch
    {
        FigureFormat.Rate => CellType.Percent, FigureFormat.Count => CellType.Integer, _ => CellType.Number,
    };

    /// <summary>A figure's standard as its cell: a target as the figure reads (a rate's as a percentage), a count's as a count.</summary>
    private static TypedValue? StandardCell(FigureValue figure) => Standard(figure) is { } standard
        ? new TypedValue(standard, figure.Target is null ? CellType.Integer : TypeOf(figure.Figure.Format))
        : null;

    // ---- The county's workbook ----

    private static readonly IReadOnlyList<SheetColumn> FigureColumns =
    [
        new("指标") { Width = 44 },
        new("分子", CellType.Integer) { Width = 12 },
        new("分母", CellType.Integer) { Width = 12 },
        new("数值") { Width = 12 },
        new("目标") { Width = 12 },
        new("是否达标") { Width = 10 },
    ];

    private static readonly IReadOnlyList<SheetColumn> CountyShortfallColumns =
    [
        new("范围") { Width = 8 },
        new("名称") { Width = 24 },
        new("指标") { Width = 44 },
        new("数值") { Width = 12 },
        new("目标") { Width = 12 },
    ];

    private static string AsOf(DateTimeOffset asOf) => asOf.ToOffset(ExportApi.ChinaOffset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Title(string name, string what, DateOnly month, DateTimeOffset asOf) =>
        $"{name} {InChinese(month)} {what}（截至 {AsOf(asOf)}，北京时间）";

    public static byte[] CountyWorkbook(CountySummary summary, DateOnly month)
    {
        var figures = FigureCatalogue.Read(summary);
        var stations = summary.StationLinkage;
        var names = WorkbookWriter.SheetNames(["汇总", "未达标", .. stations.Select(s => s.Name)]);

        var summarySheet = new Sheet(names[0], FigureColumns, figures.Select(f => (IReadOnlyList<object?>)
        [
            f.Figure.Label.Zh, f.Numerator, f.Denominator, new TypedValue(f.Value, TypeOf(f.Figure.Format)), StandardCell(f), MeetsStandard(f),
        ])) { Title = Title(summary.Name, "非公企业党建工作报表", month, summary.AsOf), ValidatedRows = 0 };

        var stationSheets = stations.Select((s, i) => new Sheet(names[i + 2], FigureColumns, StationRows(s, summary.Linkage.Target))
        {
            Title = Title($"{summary.Name} {s.Name}（{s.StationId}）", "指导站报表", month, summary.AsOf), ValidatedRows = 0,
        });

        var shortfalls = new Sheet(names[1], CountyShortfallColumns, CountyShortfalls(summary, figures))
        { Title = Title(summary.Name, "未达标事项", month, summary.AsOf), ValidatedRows = 0 };

        return WorkbookWriter.Write([summarySheet, .. stationSheets, shortfalls]);
    }

    /// <summary>A station's own figures as the county summary carries them, in the summary sheet's columns.</summary>
    private static IEnumerable<IReadOnlyList<object?>> StationRows(StationFigures s, double target) =>
    [
        ["指导站联系率", s.Linked, s.AreaEnterprises, new TypedValue(s.Linkage, CellType.Percent), new TypedValue(target, CellType.Percent), s.MeetsTarget],
        ["辖区在册运营企业（基数）", null, null, new TypedValue(s.AreaEnterprises, CellType.Integer), null, null],
        ["指导站联系企业", null, null, new TypedValue(s.Linked, CellType.Integer), null, null],
        ["专职指导员", null, null, new TypedValue(s.FullTimeInstructors, CellType.Integer), null, null],
        ["兼职指导员", null, null, new TypedValue(s.PartTimeInstructors, CellType.Integer), null, null],
        ["指导组", null, null, new TypedValue(s.Groups, CellType.Integer), null, null],
        ["待解决问题", null, null, new TypedValue(s.IssuesOpen, CellType.Integer), null, null],
        ["已解决问题", null, null, new TypedValue(s.IssuesResolved, CellType.Integer), null, null],
        ["指导站党支部党员", null, null, new TypedValue(s.BranchMembers, CellType.Integer), null, null],
        [$"组织生活达标率（{s.OrgLife.Month}）", s.OrgLife.Compliant, s.OrgLife.Organisations, new TypedValue(s.OrgLife.Rate, CellType.Percent), null, null],
        // Duties met or not: 是 / 否 in the column that says whether a standard is met.
        [$"召开例会（{s.OrgLife.Month}）", null, null, null, null, s.HeldMeeting],
        [$"报送月报（{s.OrgLife.Month}）", null, null, null, null, s.SentReport],
        ["专职指导员6至10人", null, null, new TypedValue(s.FullTimeInstructors, CellType.Integer), "6–10", !s.StrengthOutsideRange],
    ];

    /// <summary>
    /// What the summary carries as falling short: each figure of the county below its standard, each station below the
    /// linkage target, and each group with fewer than two full-time instructors.
    /// </summary>
    private static IEnumerable<IReadOnlyList<object?>> CountyShortfalls(CountySummary summary, FigureValue[] figures)
    {
        foreach (var f in figures.Where(f => MeetsStandard(f) == false))
            yield return ["县", summary.Name, f.Figure.Label.Zh, new TypedValue(f.Value, TypeOf(f.Figure.Format)), StandardCell(f)];
        foreach (var s in summary.StationLinkage.Where(s => !s.MeetsTarget))
            yield return ["指导站", s.Name, "指导站联系率", new TypedValue(s.Linkage, CellType.Percent), new TypedValue(summary.Linkage.Target, CellType.Percent)];
        // The summary names these groups but not how many full-time instructors each has: the standard is what is shown.
        foreach (var group in summary.Instructors.GroupsBelowTwoFullTime)
            yield return ["指导组", group, "专职指导员不足2人", null, new TypedValue(2, CellType.Integer)];
    }

    // ---- A prefecture's or a province's workbook ----

    private static readonly IReadOnlyList<SheetColumn> ComparisonShortfallColumns =
    [
        new("县区代码") { Width = 10 },
        new("县区") { Width = 16 },
        new("指标") { Width = 44 },
        new("数值") { Width = 12 },
        new("目标") { Width = 12 },
    ];

    public static byte[] ComparisonWorkbook(ICountyComparison comparison, DateOnly month)
    {
        var table = ExportApi.Sheet(comparison) with
        {
            Name = "汇总", Title = Title(comparison.Name, "各县区非公企业党建工作汇总", month, comparison.AsOf),
        };
        var shortfalls = new Sheet("未达标", ComparisonShortfallColumns, comparison.Rows.SelectMany(county =>
            FigureCatalogue.Read(county).Where(f => MeetsStandard(f) == false).Select(f => (IReadOnlyList<object?>)
            [
                county.County, county.Name, f.Figure.Label.Zh, new TypedValue(f.Value, TypeOf(f.Figure.Format)), StandardCell(f),
            ])))
        { Title = Title(comparison.Name, "各县区未达标事项", month, comparison.AsOf), ValidatedRows = 0 };
        return WorkbookWriter.Write(table, shortfalls);
    }
}
