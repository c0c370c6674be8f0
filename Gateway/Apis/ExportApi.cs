using System.Globalization;
using System.Text;
using Beacon.Gateway.Security;
using MiniExcelLibs;

namespace Beacon.Gateway.Apis;

/// <summary>
/// The province comparison as files a person opens in Excel: one row per county and a totals row, Chinese column
/// headers, figures as numbers and rates as fractions (0.22, as in the JSON contract), each rate beside its numerator
/// and denominator. Same access rule as the comparison itself.
/// </summary>
public static class ExportApi
{
    public const string CsvType = "text/csv; charset=utf-8";
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>China Standard Time (no daylight saving), so the file's date is the date the overseer sees.</summary>
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    public static RouteGroupBuilder MapExportApi(this RouteGroupBuilder api)
    {
        api.MapGet("/provinces/{province}/comparison.csv", async (string province, IGrainFactory grains) =>
        {
            var comparison = await grains.GetGrain<IProvinceGrain>(province).GetComparisonAsync();
            return Results.File(Csv(comparison), CsvType, FileName(comparison, "csv"));
        }).WithTags("Provinces", "Exports")
          .WithSummary("The comparison as CSV (UTF-8 with BOM): Chinese headers, one row per county and a totals row; rates as fractions.")
          .Produces(StatusCodes.Status200OK, contentType: "text/csv").ProducesReadErrors().RequireAuthorization(Policies.Province);

        api.MapGet("/provinces/{province}/comparison.xlsx", async (string province, IGrainFactory grains) =>
        {
            var comparison = await grains.GetGrain<IProvinceGrain>(province).GetComparisonAsync();
            return Results.File(await XlsxAsync(comparison), XlsxType, FileName(comparison, "xlsx"));
        }).WithTags("Provinces", "Exports")
          .WithSummary("The comparison as an Excel workbook: Chinese headers, one row per county and a totals row; rates as fractions.")
          .Produces(StatusCodes.Status200OK, contentType: XlsxType).ProducesReadErrors().RequireAuthorization(Policies.Province);

        return api;
    }

    public static string FileName(ProvinceComparison comparison, string extension) =>
        $"comparison-{comparison.Province}-{comparison.AsOf.ToOffset(ChinaOffset):yyyy-MM-dd}.{extension}";

    /// <summary>The columns, in order: a Chinese header and how to read it from a county's summary.</summary>
    public static readonly (string Header, Func<CountySummary, object?> Value)[] Columns =
    [
        ("县区代码", s => s.County),
        ("县区", s => s.Name),
        ("所属市州", s => s.PrefectureName),
        ("在册运营企业（基数）", s => s.Base),
        ("党组织覆盖企业", s => s.OrgCovered),
        ("党组织覆盖率", s => s.OrgCoverage),
        ("单独组建企业", s => s.Standalone),
        ("单独组建率", s => s.StandaloneRate),
        ("党的工作覆盖企业", s => s.WorkCovered),
        ("党的工作覆盖率", s => s.WorkCoverage),
        ("党员", s => s.PartyMembers),
        ("从业人员", s => s.Employees),
        ("党员占从业人员比例", s => s.MembersShare),
        ("指导站", s => s.Stations),
        ("联系率达标指导站", s => s.StationsMeetingTarget),
        ("指导站片区企业", s => s.StationLinkage.Sum(l => l.AreaEnterprises)),
        ("指导站联系企业", s => s.StationLinkage.Sum(l => l.Linked)),
        ("指导站联系率", s => Rate(s.StationLinkage.Sum(l => l.Linked), s.StationLinkage.Sum(l => l.AreaEnterprises))),
        ("指导组", s => s.Groups),
        ("专职不足2人的指导组", s => s.Instructors.GroupsBelowTwoFullTime.Length),
        ("专职指导员", s => s.Instructors.FullTime),
        ("兼职指导员", s => s.Instructors.PartTime),
        ("指导员联系企业", s => s.Instructors.EnterprisesGuided),
        ("人均联系企业", s => s.Instructors.EnterprisesPerInstructor),
        ("累计受理问题", s => s.Issues.Raised),
        ("待解决问题", s => s.Issues.Open),
        ("已上报问题", s => s.Issues.Escalated),
        ("已解决问题", s => s.Issues.Resolved),
        ("超期问题", s => s.Issues.Overdue),
        ("问题解决率", s => s.Issues.ResolutionRate),
        ("解决天数中位数", s => s.Issues.MedianDaysToResolve),
        ("基本档案", s => s.Archives.Basic),
        ("基本档案建档率", s => s.Archives.BasicRate),
        ("特色档案", s => s.Archives.Featured),
        ("特色档案建档率", s => s.Archives.FeaturedRate),
        ("指导站党支部党员", s => s.StationBranchMembers),
    ];

    /// <summary>
    /// The rows as the files have them: each county, then the totals. The province's totals carry no per-group or
    /// per-station detail, so the counts derived from those details are summed over the counties here.
    /// </summary>
    public static IEnumerable<object?[]> Rows(ProvinceComparison comparison)
    {
        foreach (var row in comparison.Rows) yield return Columns.Select(c => c.Value(row)).ToArray();
        var totals = Columns.Select(c => c.Value(comparison.Totals)).ToArray();
        totals[0] = comparison.Province;
        totals[1] = "合计";
        totals[2] = comparison.Name;
        var area = comparison.Rows.Sum(r => r.StationLinkage.Sum(l => l.AreaEnterprises));
        var linked = comparison.Rows.Sum(r => r.StationLinkage.Sum(l => l.Linked));
        totals[Index("指导站片区企业")] = area;
        totals[Index("指导站联系企业")] = linked;
        totals[Index("指导站联系率")] = Rate(linked, area);
        totals[Index("专职不足2人的指导组")] = comparison.Rows.Sum(r => r.Instructors.GroupsBelowTwoFullTime.Length);
        yield return totals;
    }

    private static int Index(string header) => Array.FindIndex(Columns, c => c.Header == header);

    private static double Rate(int numerator, int denominator) => denominator == 0 ? 0 : (double)numerator / denominator;

    public static byte[] Csv(ProvinceComparison comparison)
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

    public static async Task<byte[]> XlsxAsync(ProvinceComparison comparison)
    {
        var sheet = Rows(comparison).Select(row =>
        {
            IDictionary<string, object?> cells = new Dictionary<string, object?>();
            for (var i = 0; i < Columns.Length; i++)
                cells[Columns[i].Header] = row[i] is double d ? Math.Round(d, 4) : row[i];
            return cells;
        }).ToList();
        using var stream = new MemoryStream();
        await stream.SaveAsAsync(sheet, sheetName: "县区对比", excelType: ExcelType.XLSX);
        return stream.ToArray();
    }
}
