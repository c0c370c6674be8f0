using System.Globalization;
using System.Text;
using Beacon.Gateway.Security;
using Beacon.Gateway.Workbooks;

namespace Beacon.Gateway.Apis;

/// <summary>
/// A comparison, a province's or a prefecture's, as files a person opens in Excel: one row per county and a totals row,
/// Chinese column headers, figures as numbers and rates as fractions (0.22, as in the JSON contract), each rate beside
/// its numerator and denominator. Same access rule as the comparison itself.
/// </summary>
public static class ExportApi
{
    public const string CsvType = "text/csv; charset=utf-8";
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>China Standard Time (no daylight saving), so a file's date is the date the office that opens it sees.</summary>
    public static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    public static RouteGroupBuilder MapExportApi(this RouteGroupBuilder api)
    {
        api.MapGet("/provinces/{province}/comparison.csv", async (string province, IGrainFactory grains) =>
            CsvFile(await grains.GetGrain<IProvinceGrain>(province).GetComparisonAsync()))
            .AsCsv("Provinces").RequireAuthorization(Policies.Province);
        api.MapGet("/provinces/{province}/comparison.xlsx", async (string province, IGrainFactory grains) =>
            XlsxFile(await grains.GetGrain<IProvinceGrain>(province).GetComparisonAsync()))
            .AsXlsx("Provinces").RequireAuthorization(Policies.Province);

        api.MapGet("/prefectures/{prefecture}/comparison.csv", async (string prefecture, IGrainFactory grains) =>
            CsvFile(await grains.GetGrain<IProvinceGrain>(Places.ProvinceOf(prefecture)).GetPrefectureComparisonAsync(prefecture)))
            .AsCsv("Prefectures").RequireAuthorization(Policies.Prefecture);
        api.MapGet("/prefectures/{prefecture}/comparison.xlsx", async (string prefecture, IGrainFactory grains) =>
            XlsxFile(await grains.GetGrain<IProvinceGrain>(Places.ProvinceOf(prefecture)).GetPrefectureComparisonAsync(prefecture)))
            .AsXlsx("Prefectures").RequireAuthorization(Policies.Prefecture);
        return api;
    }

    private static IResult CsvFile(ICountyComparison comparison) => TypedResults.File(Csv(comparison), CsvType, FileName(comparison, "csv"));

    private static IResult XlsxFile(ICountyComparison comparison) =>
        TypedResults.File(Xlsx(comparison), XlsxType, FileName(comparison, "xlsx"));

    private static RouteHandlerBuilder AsCsv(this RouteHandlerBuilder route, string tag) => route.WithTags(tag, "Exports")
        .WithSummary("The comparison as CSV (UTF-8 with BOM): Chinese headers, one row per county and a totals row; rates as fractions.")
        .Produces(StatusCodes.Status200OK, contentType: "text/csv").ProducesReadErrors();

    private static RouteHandlerBuilder AsXlsx(this RouteHandlerBuilder route, string tag) => route.WithTags(tag, "Exports")
        .WithSummary("The comparison as an Excel workbook: Chinese headers, one row per county and a totals row; rates as percentages (the cell holds the fraction), header frozen.")
        .Produces(StatusCodes.Status200OK, contentType: XlsxType).ProducesReadErrors();

    public static string FileName(ICountyComparison comparison, string extension) =>
        $"comparison-{comparison.Code}-{comparison.AsOf.ToOffset(ChinaOffset):yyyy-MM-dd}.{extension}";

    /// <summary>
    /// The columns, in order: the county, then every figure of the catalogue, each rate after its numerator and
    /// denominator (each path once, under the first header that names it).
    /// </summary>
    public static readonly (string Header, string? Path)[] Columns = BuildColumns();

    private static (string Header, string? Path)[] BuildColumns()
    {
        var columns = new List<(string Header, string? Path)> { ("县区代码", null), ("县区", null), ("所属市州", null) };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(string? path, Said? label)
        {
            if (path is not null && label is not null && seen.Add(path)) columns.Add((label.Zh, path));
        }
        foreach (var figure in FigureCatalogue.All)
        {
            Add(figure.Numerator, figure.NumeratorLabel);
            Add(figure.Denominator, figure.DenominatorLabel);
            Add(figure.Value, figure.Label);
        }
        return [.. columns];
    }

    /// <summary>The rows as the files have them: each county, then the totals, every number as the grains computed it.</summary>
    public static IEnumerable<object?[]> Rows(ICountyComparison comparison)
    {
        foreach (var row in comparison.Rows) yield return Row(row, row.County, row.Name, row.PrefectureName);
        yield return Row(comparison.Totals, comparison.Code, "合计", comparison.Name);
    }

    private static object?[] Row(CountySummary summary, string code, string name, string prefecture)
    {
        var json = FigureCatalogue.ToJson(summary);
        return [code, name, prefecture, .. Columns.Skip(3).Select(c => (object?)FigureCatalogue.Number(json, c.Path))];
    }

    public static byte[] Csv(ICountyComparison comparison)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', Columns.Select(c => Field(c.Header))).Append("\r\n");
        foreach (var row in Rows(comparison))
            text.AppendJoin(',', row.Select(v => Field(v switch
            {
                null => "",
                double d => d.ToString("0.####", CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => v.ToString() ?? "",
            }))).Append("\r\n");
        // The BOM tells Excel the file is UTF-8; without it, Chinese headers open as mojibake on a Chinese Windows.
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    private static string Field(string value) =>
        value.IndexOfAny([',', '"', '\r', '\n']) < 0 ? value : '"' + value.Replace("\"", "\"\"") + '"';

    /// <summary>The comparison as a workbook: header frozen, counts as integers, rates as percentages (the cell holds 0.22).</summary>
    public static byte[] Xlsx(ICountyComparison comparison) => WorkbookWriter.Write(Sheet(comparison));

    /// <summary>The comparison's table as a sheet, for its own workbook and for the report upward that opens with it.</summary>
    public static Sheet Sheet(ICountyComparison comparison)
    {
        var rates = FigureCatalogue.All.Where(f => f.Format == FigureFormat.Rate).Select(f => f.Value).ToHashSet(StringComparer.Ordinal);
        var counts = FigureCatalogue.All.Where(f => f.Format == FigureFormat.Count).Select(f => f.Value)
            .Concat(FigureCatalogue.All.SelectMany(f => new[] { f.Numerator, f.Denominator }).OfType<string>()).ToHashSet(StringComparer.Ordinal);
        var columns = Columns.Select((c, i) => new SheetColumn(c.Header,
            i < 3 || c.Path is null ? CellType.Text : rates.Contains(c.Path) ? CellType.Percent : counts.Contains(c.Path) ? CellType.Integer : CellType.Number)
        { Width = i == 0 ? 10 : Math.Max(10, c.Header.Length * 2 + 2) }).ToList();
        var rows = Rows(comparison).Select(row => (IReadOnlyList<object?>)[.. row.Select(v => v is double d ? Math.Round(d, 4) : v)]);
        return new Sheet("县区对比", columns, rows) { ValidatedRows = 0 };
    }
}
