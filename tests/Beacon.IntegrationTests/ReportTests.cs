using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Beacon.Gateway.Workbooks;
using Beacon.IntegrationTests.Infrastructure;
using static Beacon.IntegrationTests.Infrastructure.InMemoryClusterFixture;

namespace Beacon.IntegrationTests;

/// <summary>
/// The reports upward through the real gateway, read back with the Open XML SDK (not Beacon's writer): a county's
/// workbook carries every figure of the catalogue as its summary does, a sheet per station and what falls short; a
/// prefecture's and a province's carry the comparison's rows and totals and what falls short per county; only the
/// current month (China Standard Time) has a report until daily snapshots are kept.
/// </summary>
[Collection(InMemoryClusterCollection.Name)]
public sealed class ReportTests(InMemoryClusterFixture fixture)
{
    private BeaconCluster Cluster => fixture.Cluster;

    private const string Dingxi = "621100";   // 定西市, the prefecture of 陇西县

    private const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static readonly string[] FigureHeaders = ["指标", "分子", "分母", "数值", "目标", "是否达标"];

    private static DateTimeOffset ChinaNow => DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8));
    private static string ThisMonth => ChinaNow.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private async Task<(HttpResponseMessage Response, byte[] Bytes)> GetAsync(string path, string token, string? language = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", token);
        if (language is not null) request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue(language));
        var response = await Cluster.Http.SendAsync(request);
        return (response, await response.Content.ReadAsByteArrayAsync());
    }

    private async Task<byte[]> WorkbookAsync(string path, string token, string expectedFileName)
    {
        var (response, bytes) = await GetAsync(path, token);
        using (response)
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(bytes)}");
            Assert.Equal(XlsxType, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(expectedFileName, response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        }
        Workbooks.AssertValid(bytes);
        return bytes;
    }

    private async Task<JsonObject[]> CatalogueAsync() =>
        [.. (await Cluster.GetAsync("/api/figures", TestTokens.CountyAdmin(Longxi))).Expect(HttpStatusCode.OK).Json.AsArray().Select(f => f!.AsObject())];

    private static double? At(JsonNode node, string? path)
    {
        if (path is null) return null;
        JsonNode? at = node;
        foreach (var part in path.Split('.')) at = at?[part];
        return at is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;
    }

    /// <summary>Each row below the header, as its cells' texts by column letter.</summary>
    private static List<(uint Row, Dictionary<string, string?> Cells)> Body(XlsxReader sheet, uint header, int columns) =>
        [.. sheet.RowNumbers.Where(r => r > header).Select(r => (r, Enumerable.Range(0, columns)
            .ToDictionary(i => PrefectureTests.WorkbookColumn(i), i => sheet.Text($"{PrefectureTests.WorkbookColumn(i)}{r}"))))];

    /// <summary>
    /// A station of its own in 陇西县, over a township no enterprise is in (so its linkage, 0 of 0, falls short) and with
    /// a group no instructor serves, named so that its sheet name has to be cut and cleaned; and the summary after it.
    /// </summary>
    private async Task<(string Station, string Group, JsonObject Summary)> StationBelowTargetAsync()
    {
        var tag = ApiTestKit.NewTag();
        var admin = TestTokens.CountyAdmin(Longxi);
        var station = $"RP{tag}";
        (await Cluster.PostAsync($"/api/counties/{Longxi}/stations", admin, new JsonObject
        {
            ["stationId"] = station, ["name"] = $"报表测试{tag}:联系率未达标的指导站[甲]/乙*丙?丁\\戊（超过三十一个字）",
            ["townships"] = new JsonArray($"报表测试镇{tag}"), ["chief"] = "李站长",
        })).Expect(HttpStatusCode.Created);
        var group = $"RG{tag}";
        (await Cluster.PostAsync($"/api/counties/{Longxi}/groups", admin,
            new JsonObject { ["groupId"] = group, ["name"] = $"报表测试指导组{tag}", ["stationId"] = station })).Expect(HttpStatusCode.Created);
        return (station, group, await Cluster.SummaryAsync(Longxi, admin));
    }

    [Fact]
    public async Task A_county_report_has_every_figure_as_the_summary_a_sheet_per_station_and_what_falls_short()
    {
        var (ownStation, ownGroup, summary) = await StationBelowTargetAsync();
        var bytes = await WorkbookAsync($"/api/counties/{Longxi}/report.xlsx?month={ThisMonth}", TestTokens.CountyAdmin(Longxi),
            $"report-{Longxi}-{ThisMonth}.xlsx");
        var stations = summary["stationLinkage"]!.AsArray().Select(s => s!.AsObject()).ToList();

        // The tabs: the summary first, a sheet per station, what falls short last; names Excel takes, each once.
        using var book = new XlsxReader(bytes);
        var names = book.SheetNames;
        Assert.Equal("汇总", names[0]);
        Assert.Equal("未达标", names[^1]);
        Assert.Equal(stations.Count, names.Count - 2);
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        foreach (var name in names)
        {
            Assert.InRange(name.Length, 1, 31);
            Assert.True(name.IndexOfAny(['[', ']', ':', '*', '?', '/', '\\']) < 0, $"sheet name '{name}' has a character Excel refuses");
        }

        // The summary: a title naming the county and the month, then every figure of the catalogue with the summary's numbers.
        var title = book.Text("A1")!;
        Assert.Contains("陇西县", title);
        Assert.Contains(ChinaNow.ToString("yyyy年M月", CultureInfo.InvariantCulture), title);
        Assert.Equal(FigureHeaders, book.Row(2));
        Assert.Equal("A3", book.FrozenAt);
        var rows = Body(book, 2, 6);
        var catalogue = await CatalogueAsync();
        Assert.Equal(catalogue.Length, rows.Count);
        foreach (var figure in catalogue)
        {
            var label = figure["label"]!["zh"]!.GetValue<string>();
            var (row, _) = Assert.Single(rows, r => r.Cells["A"] == label);
            Assert.Equal(At(summary, (string?)figure["numerator"]), book.Number($"B{row}"));
            Assert.Equal(At(summary, (string?)figure["denominator"]), book.Number($"C{row}"));
            Assert.Equal(At(summary, (string?)figure["value"]), book.Number($"D{row}"));
            Assert.Equal(At(summary, (string?)figure["target"]), figure["target"] is null ? null : book.Number($"E{row}"));
            if ((string)figure["format"]! == "rate")
                Assert.True(book.NumberFormat($"D{row}") == "0.0%", $"{label}: its value is formatted {book.NumberFormat($"D{row}")}, not as a percentage");
        }
        var linkage = Assert.Single(rows, r => r.Cells["A"] == FigureCatalogue.Of("linkage").Label.Zh);
        Assert.Equal("0.0%", book.NumberFormat($"E{linkage.Row}"));
        var linkageBelow = summary.Double("linkage.linked") < summary.Double("linkage.target") * summary.Double("linkage.area");
        Assert.Equal(linkageBelow ? "否" : "是", linkage.Cells["F"]);

        // Each station's sheet: its linkage over its area against the county's target, and its strength.
        for (var i = 0; i < stations.Count; i++)
        {
            var station = stations[i];
            using var sheet = new XlsxReader(bytes, names[i + 1]);
            Assert.Contains(station["stationId"]!.GetValue<string>(), sheet.Text("A1"));
            Assert.Equal(FigureHeaders, sheet.Row(2));
            Assert.Equal("指导站联系率", sheet.Text("A3"));
            Assert.Equal(station.Double("linked"), sheet.Number("B3"));
            Assert.Equal(station.Double("areaEnterprises"), sheet.Number("C3"));
            Assert.Equal(station.Double("linkage"), sheet.Number("D3"));
            Assert.Equal("0.0%", sheet.NumberFormat("D3"));
            Assert.Equal(summary.Double("linkage.target"), sheet.Number("E3"));
            Assert.Equal(station["meetsTarget"]!.GetValue<bool>() ? "是" : "否", sheet.Text("F3"));
            var strength = Body(sheet, 2, 6).ToDictionary(r => r.Cells["A"]!, r => sheet.Number($"D{r.Row}"));
            Assert.Equal(station.Double("fullTimeInstructors"), strength["专职指导员"]);
            Assert.Equal(station.Double("groups"), strength["指导组"]);
            Assert.Equal(station.Double("issuesOpen"), strength["待解决问题"]);
        }

        // What falls short: the station below the target and the group without full-time instructors are listed,
        // a station that meets the target is not, and the county's own linkage is listed exactly when it falls short.
        using var shortfalls = new XlsxReader(bytes, "未达标");
        Assert.Equal(["范围", "名称", "指标", "数值", "目标"], shortfalls.Row(2));
        var listed = Body(shortfalls, 2, 5);
        string NameOf(string id) => stations.Single(s => (string)s["stationId"]! == id)["name"]!.GetValue<string>();
        Assert.Contains(listed, r => r.Cells["A"] == "指导站" && r.Cells["B"] == NameOf(ownStation));
        Assert.Contains(listed, r => r.Cells["A"] == "指导组" && r.Cells["B"] == ownGroup);
        var meeting = stations.Where(s => s["meetsTarget"]!.GetValue<bool>()).Select(s => (string)s["name"]!).ToList();
        Assert.NotEmpty(meeting);   // LX-01 of the demo data links 224 of its 312
        foreach (var name in meeting) Assert.DoesNotContain(listed, r => r.Cells["A"] == "指导站" && r.Cells["B"] == name);
        Assert.Equal(stations.Count(s => !s["meetsTarget"]!.GetValue<bool>()), listed.Count(r => r.Cells["A"] == "指导站"));
        Assert.Equal(summary.GroupsBelowTwo().Order(), listed.Where(r => r.Cells["A"] == "指导组").Select(r => r.Cells["B"]!).Order());
        Assert.Equal(linkageBelow, listed.Any(r => r.Cells["A"] == "县" && r.Cells["C"] == FigureCatalogue.Of("linkage").Label.Zh));
        Assert.Contains(listed, r => r.Cells["A"] == "县" && r.Cells["C"] == FigureCatalogue.Of("groupsBelowStrength").Label.Zh);
        // 党组织 and its kinds are counts held to nothing: they are never short.
        Assert.DoesNotContain(listed, r => r.Cells["C"] == FigureCatalogue.Of("organisations").Label.Zh);
    }

    [Fact]
    public async Task The_report_without_a_month_is_this_months()
    {
        var bytes = await WorkbookAsync($"/api/counties/{Qingshui}/report.xlsx", TestTokens.CountyAdmin(Qingshui), $"report-{Qingshui}-{ThisMonth}.xlsx");
        using var book = new XlsxReader(bytes);
        Assert.Contains("清水县", book.Text("A1"));
        Assert.Contains(ChinaNow.ToString("yyyy年M月", CultureInfo.InvariantCulture), book.Text("A1"));
    }

    public static TheoryData<string> Regions => [$"/api/prefectures/{Dingxi}", $"/api/provinces/{Gansu}"];

    [Theory]
    [MemberData(nameof(Regions))]
    public async Task A_prefecture_or_province_report_has_a_row_per_county_the_comparisons_totals_and_what_falls_short(string region)
    {
        var token = TestTokens.Overseer(Gansu);
        var code = region[(region.LastIndexOf('/') + 1)..];
        // The comparison before and after the report at the same seq: the report was written from that comparison.
        JsonObject comparison;
        byte[] bytes;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            comparison = (await Cluster.GetAsync($"{region}/comparison", token)).Expect(HttpStatusCode.OK).Object;
            bytes = await WorkbookAsync($"{region}/report.xlsx?month={ThisMonth}", token, $"report-{code}-{ThisMonth}.xlsx");
            var after = (await Cluster.GetAsync($"{region}/comparison", token)).Expect(HttpStatusCode.OK).Object;
            if (after.Long("seq") == comparison.Long("seq")) break;
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "the comparison kept changing");
        }
        var counties = comparison["rows"]!.AsArray().Select(r => r!.AsObject()).ToList();
        Assert.NotEmpty(counties);

        using var book = new XlsxReader(bytes);
        Assert.Equal(["汇总", "未达标"], book.SheetNames);
        Assert.Contains(comparison["name"]!.GetValue<string>(), book.Text("A1"));
        Assert.Contains(ChinaNow.ToString("yyyy年M月", CultureInfo.InvariantCulture), book.Text("A1"));
        var header = book.Row(2);
        Assert.Equal("县区代码", header[0]);
        var rows = Body(book, 2, header.Count);
        Assert.Equal(counties.Select(c => (string?)c["county"]).Append(code), rows.Select(r => r.Cells["A"]));
        Assert.Equal("合计", rows[^1].Cells["B"]);

        // Every figure of the catalogue, its numerator and denominator beside it, in the totals as the comparison has them.
        var totals = rows[^1].Row;
        foreach (var figure in await CatalogueAsync())
            foreach (var (part, label) in new[] { ("value", figure["label"]), ("numerator", figure["numeratorLabel"]), ("denominator", figure["denominatorLabel"]) })
            {
                if (figure[part]?.GetValue<string>() is not { } path || label is null) continue;
                var column = PrefectureTests.WorkbookColumn(header.IndexOf(label["zh"]!.GetValue<string>()));
                var expected = At(comparison["totals"]!, path);
                var got = book.Number($"{column}{totals}");
                Assert.True(expected is null ? got is null : got is { } g && Math.Abs(g - expected.Value) < 1e-4,
                    $"{region}: the totals' {path} ({column}{totals}) is {got}, the comparison's {expected}");
                if (part == "value" && (string)figure["format"]! == "rate") Assert.Equal("0.0%", book.NumberFormat($"{column}{totals}"));
            }

        // What falls short, per county: a county's linkage is listed exactly when it is below the target.
        using var shortfalls = new XlsxReader(bytes, "未达标");
        Assert.Equal(["县区代码", "县区", "指标", "数值", "目标"], shortfalls.Row(2));
        var listed = Body(shortfalls, 2, 5);
        var linkage = FigureCatalogue.Of("linkage").Label.Zh;
        var below = 0;
        foreach (var county in counties)
        {
            var short_ = county.Double("linkage.linked") < county.Double("linkage.target") * county.Double("linkage.area")
                || county.Int("linkage.area") == 0;
            if (short_) below++;
            Assert.Equal(short_, listed.Any(r => r.Cells["A"] == (string)county["county"]! && r.Cells["C"] == linkage));
        }
        Assert.True(below > 0, "no county of the demo data is below the linkage target: the test would not see one listed");
        Assert.DoesNotContain(listed, r => r.Cells["A"] == code);   // the totals are no county
    }

    [Theory]
    [InlineData("2026-13")]
    [InlineData("2026-1")]
    [InlineData("202611")]
    [InlineData("十一月")]
    [InlineData("２０２６-１１")]
    public async Task A_malformed_month_is_refused_naming_month(string month)
    {
        foreach (var path in new[] { $"/api/counties/{Longxi}/report.xlsx", $"/api/provinces/{Gansu}/report.xlsx", $"/api/prefectures/{Dingxi}/report.xlsx" })
        {
            var token = path.Contains("counties") ? TestTokens.CountyAdmin(Longxi) : TestTokens.Overseer(Gansu);
            var answer = await Cluster.GetAsync($"{path}?month={Uri.EscapeDataString(month)}", token);
            answer.ExpectError(HttpStatusCode.BadRequest, "month");
            Assert.Contains("YYYY-MM", answer.Object["errors"]!["month"]![0]!.GetValue<string>());
            Assert.Contains("年月", answer.Object["errors"]!["month"]![0]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_month_to_come_is_refused_and_a_past_month_is_not_found_until_daily_snapshots_are_kept()
    {
        var now = ChinaNow;
        var next = now.AddMonths(1).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var last = now.AddMonths(-1).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var admin = TestTokens.CountyAdmin(Longxi);

        var future = await Cluster.GetAsync($"/api/counties/{Longxi}/report.xlsx?month={next}", admin);
        future.ExpectError(HttpStatusCode.BadRequest, "month");
        Assert.Contains("尚未到来", future.Object["errors"]!["month"]![0]!.GetValue<string>());

        var past = await Cluster.GetAsync($"/api/counties/{Longxi}/report.xlsx?month={last}", admin);
        past.ExpectError(HttpStatusCode.NotFound, "month");
        Assert.Contains("每日快照", past.Object["errors"]!["month"]![0]!.GetValue<string>());
        (await Cluster.GetAsync($"/api/provinces/{Gansu}/report.xlsx?month={last}", TestTokens.Overseer(Gansu))).ExpectError(HttpStatusCode.NotFound, "month");
        (await Cluster.GetAsync($"/api/prefectures/{Dingxi}/report.xlsx?month={last}", TestTokens.Overseer(Gansu))).ExpectError(HttpStatusCode.NotFound, "month");

        // In English when asked.
        var (response, body) = await GetAsync($"/api/counties/{Longxi}/report.xlsx?month={last}", admin, "en");
        using (response)
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var problem = JsonNode.Parse(body)!;
            Assert.Contains("daily snapshots", problem["errors"]!["month"]![0]!.GetValue<string>());
            Assert.Equal("No figures for that month", problem["title"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Another_countys_or_prefectures_token_gets_no_report()
    {
        var answer = await Cluster.GetAsync($"/api/counties/{Longxi}/report.xlsx", TestTokens.CountyAdmin(Qingshui));
        answer.Expect(HttpStatusCode.Forbidden);
        Assert.Equal("application/problem+json", answer.MediaType);
        // Refused before the month is looked at: a bad month tells nobody outside the county anything either.
        (await Cluster.GetAsync($"/api/counties/{Longxi}/report.xlsx?month=bad", TestTokens.CountyAdmin(Qingshui))).Expect(HttpStatusCode.Forbidden);
        (await Cluster.GetAsync($"/api/prefectures/{Dingxi}/report.xlsx", TestTokens.PrefectureOverseer("620500"))).Expect(HttpStatusCode.Forbidden);
        (await Cluster.GetAsync($"/api/provinces/{Gansu}/report.xlsx", TestTokens.PrefectureOverseer(Dingxi))).Expect(HttpStatusCode.Forbidden);
    }

    [Fact]
    public void Sheet_names_are_cut_to_31_characters_cleaned_of_what_excel_refuses_and_made_unique()
    {
        var long_ = new string('站', 40);
        var names = WorkbookWriter.SheetNames(["汇总", "汇总", long_, long_, "a/b:c", "History", "'引号'", "SUMMARY", "summary"]);
        Assert.Equal(["汇总", "汇总 (2)", new string('站', 31), new string('站', 27) + " (2)", "a_b_c", "Sheet", "引号", "SUMMARY", "summary (2)"], names);
    }
}
