using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Beacon.IntegrationTests.Infrastructure;
using static Beacon.IntegrationTests.Infrastructure.InMemoryClusterFixture;

namespace Beacon.IntegrationTests;

/// <summary>
/// Rosters in from Excel through the real gateway and silo, in workbooks written by openpyxl as county offices'
/// own are written by other programs: the preview changes nothing and says what each row would do and why a cell is
/// refused; apply writes through the grains, and twice changes nothing.
/// </summary>
[Collection(InMemoryClusterCollection.Name)]
public sealed class ImportTests(InMemoryClusterFixture fixture)
{
    private BeaconCluster Cluster => fixture.Cluster;
    private static readonly string Admin = TestTokens.CountyAdmin(Longxi);
    private static string Imports => $"/api/counties/{Longxi}/imports";

    private Task<Answer> UploadAsync(string register, byte[] file, string token, string county = Longxi, string fileName = "名册.xlsx")
    {
        var form = new MultipartFormDataContent();
        form.Add(new StringContent(register), "register");
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        form.Add(content, "file", fileName);
        return Cluster.SendAsync(HttpMethod.Post, $"/api/counties/{county}/imports", token, form);
    }

    /// <summary>Applies and waits for the end, checking that progress only grows and ends at the total.</summary>
    private async Task<JsonNode> ApplyAsync(string id, string token = "")
    {
        token = token.Length == 0 ? Admin : token;
        var started = (await Cluster.PostAsync($"{Imports}/{id}/apply", token)).Expect(HttpStatusCode.Accepted).Json;
        Assert.Contains(started["state"]!.GetValue<string>(), new[] { "applying", "applied" });
        var clock = Stopwatch.StartNew();
        var done = 0;
        while (true)
        {
            var status = (await Cluster.GetAsync($"{Imports}/{id}", token)).Expect(HttpStatusCode.OK).Json;
            Assert.True(status.Int("done") >= done, $"progress went back: {status.ToJsonString()}");
            done = status.Int("done");
            if (status["state"]!.GetValue<string>() is "applied" or "failed")
            {
                Assert.Equal("applied", status["state"]!.GetValue<string>());
                Assert.Equal(status.Int("total"), status.Int("done"));
                return status;
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"not applied within 60 s: {status.ToJsonString()}");
            await Task.Delay(100);
        }
    }

    private static string[] Codes(int n) => [.. Enumerable.Range(0, n).Select(_ => TestEnterprises.NewCreditCode(Longxi))];

    /// <summary>Full-width digits, as an input method types them.</summary>
    private static string FullWidth(string text) => new([.. text.Select(c => c is >= '0' and <= '9' or >= 'A' and <= 'Z' ? (char)(c - '0' + '０') : c)]);

    [Fact]
    public async Task A_messy_roster_is_previewed_row_by_row_then_applied_through_the_grains_and_twice_changes_nothing()
    {
        var c = Codes(4);
        var tag = Guid.NewGuid().ToString("N")[..6];
        // A notes sheet first; on the roster's sheet a merged title, an empty row, a header over two rows (merged
        // cells), the national system's names in its own order, numbers as text with spaces, full-width digits,
        // √ and 否, an empty row between entries, a bad row (more members than employees) and a bad yes/no.
        var file = OpenPyxl.Write($$"""
            notes = wb.active
            notes.title = "填表说明"
            notes["A1"] = "请在“名册”页填写，每行一个单位"
            ws = wb.create_sheet("名册")
            ws.merge_cells("A1:H1"); ws["A1"] = "陇西县非公企业名册（2026年）"
            for col, header in zip("ABEFGH", ["单位名称", "统一社会信用代码", "规模以上", "在册运营", "组建方式", "单位类型"]):
                ws.merge_cells(f"{col}3:{col}4"); ws[f"{col}3"] = header
            ws.merge_cells("C3:D3"); ws["C3"] = "人员情况"
            ws["C4"] = "在岗职工人数 "; ws["D4"] = "党员人数"
            rows = [
                [" 导入甲{{tag}} ", {{OpenPyxl.Str(c[0])}}, " 30 ", "２", "√", "是", "未组建", "企业"],
                ["导入乙{{tag}}", {{OpenPyxl.Str(FullWidth(c[1]))}}, 12, 0, "否", "是", "未组建", "社会组织"],
                None,
                ["导入丙{{tag}}", {{OpenPyxl.Str(c[2])}}, 5, 9, "否", "是", "未组建", "企业"],
                ["导入丁{{tag}}", {{OpenPyxl.Str(c[3])}}, 8, 1, "可能", "是", "未组建", "企业"],
            ]
            for i, row in enumerate(rows):
                for j, v in enumerate(row or []):
                    ws.cell(row=5 + i, column=j + 1, value=v)
            """);
        var before = await Cluster.SummaryAsync(Longxi, Admin);

        var preview = (await UploadAsync("enterprises", file, Admin)).Expect(HttpStatusCode.Created).Json;
        Assert.Equal("previewed", preview["state"]!.GetValue<string>());
        Assert.Equal("名册", preview["sheet"]!.GetValue<string>());
        Assert.Equal(4, preview.Int("rows"));
        Assert.Equal(2, preview.Int("creates"));
        Assert.Equal(0, preview.Int("updates"));
        Assert.Equal(2, preview.Int("refused"));
        var errors = preview["errors"]!.AsArray();
        var members = Assert.Single(errors, e => e!["row"]!.GetValue<int>() == 8);
        Assert.Equal("党员人数", members!["column"]!.GetValue<string>());
        Assert.Equal("partyMembers", members["field"]!.GetValue<string>());
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", members["message"]!.GetValue<string>());
        var yesNo = Assert.Single(errors, e => e!["row"]!.GetValue<int>() == 9);
        Assert.Equal("规模以上", yesNo!["column"]!.GetValue<string>());
        Assert.Contains("是", yesNo["message"]!.GetValue<string>());
        // Nothing changed yet.
        JsonFigures.AssertSameFigures(before, await Cluster.SummaryAsync(Longxi, Admin), "the summary after the preview");
        (await Cluster.GetAsync($"/api/counties/{Longxi}/enterprises/{c[0]}", Admin)).Expect(HttpStatusCode.NotFound);

        var applied = await ApplyAsync(preview["id"]!.GetValue<string>());
        Assert.Equal(2, applied.Int("result.created"));
        Assert.Empty(applied["result"]!["errors"]!.AsArray());
        var after = await Cluster.SummaryAsync(Longxi, Admin);
        Assert.Equal(before.Int("registered") + 2, after.Int("registered"));

        // Read as typed, without the spaces, in half-width digits, √ as yes, the choice by its label.
        var first = (await Cluster.GetAsync($"/api/counties/{Longxi}/enterprises/{c[0]}", Admin)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal($"导入甲{tag}", first["name"]!.GetValue<string>());
        Assert.Equal(30, first.Int("employees"));
        Assert.Equal(2, first.Int("partyMembers"));
        Assert.True(first["aboveDesignatedSize"]!.GetValue<bool>());
        var second = (await Cluster.GetAsync($"/api/counties/{Longxi}/enterprises/{c[1]}", Admin)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("socialOrganisation", second["kind"]!.GetValue<string>());
        var history = (await Cluster.GetAsync($"/api/counties/{Longxi}/enterprises/{c[0]}/history", Admin)).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Equal("create", Assert.Single(history)!["action"]!.GetValue<string>());
        // The change names who applied it, and the import and file it came through.
        var by = history[0]!["by"]!.GetValue<string>();
        Assert.Contains("county-admin", by);
        Assert.Contains($"导入 {preview["id"]!.GetValue<string>()}「名册.xlsx」", by);

        // Applying it again, or the same file once more, changes nothing.
        var again = (await Cluster.PostAsync($"{Imports}/{preview["id"]}/apply", Admin)).Expect(HttpStatusCode.Accepted).Json;
        Assert.Equal("applied", again["state"]!.GetValue<string>());
        var second_ = (await UploadAsync("enterprises", file, Admin)).Expect(HttpStatusCode.Created).Json;
        Assert.Equal(0, second_.Int("creates"));
        Assert.Equal(0, second_.Int("updates"));
        Assert.Equal(2, second_.Int("unchanged"));
        var reapplied = await ApplyAsync(second_["id"]!.GetValue<string>());
        Assert.Equal(2, reapplied.Int("result.unchanged"));
        Assert.Equal(first.Int("version"), (await Cluster.GetAsync($"/api/counties/{Longxi}/enterprises/{c[0]}", Admin)).Json.Int("version"));
        JsonFigures.AssertSameFigures(after, await Cluster.SummaryAsync(Longxi, Admin), "the summary after the same file again");
    }

    [Fact]
    public async Task A_column_the_file_lacks_keeps_its_value_and_a_changed_cell_is_an_update()
    {
        var code = TestEnterprises.NewCreditCode(Longxi);
        (await Cluster.PostAsync($"/api/counties/{Longxi}/enterprises", Admin, TestEnterprises.New(code, "部分列企业", employees: 40, partyMembers: 3)))
            .Expect(HttpStatusCode.Created);
        var file = OpenPyxl.Write($"""
            ws = wb.active
            ws.append(["信用代码", "从业人员数"])
            ws.append([{OpenPyxl.Str(code)}, "41"])
            """);
        var preview = (await UploadAsync("enterprises", file, Admin)).Expect(HttpStatusCode.Created).Json;
        Assert.Equal(1, preview.Int("updates"));
        await ApplyAsync(preview["id"]!.GetValue<string>());
        var entry = (await Cluster.GetAsync($"/api/counties/{Longxi}/enterprises/{code}", Admin)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(41, entry.Int("employees"));
        Assert.Equal(3, entry.Int("partyMembers"));
        Assert.Equal("部分列企业", entry["name"]!.GetValue<string>());
        Assert.Equal(34.75, entry.Double("location.lat"));
    }

    [Fact]
    public async Task Dates_as_dates_serial_numbers_and_text_are_read_and_a_parent_above_its_child_is_found()
    {
        var tag = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var file = OpenPyxl.Write($$"""
            ws = wb.active
            ws.append(["组织编号", "组织名称", "组织类别", "组建形式", "成立日期", "上级组织编号"])
            ws.append(["IMP-{{tag}}-1", "导入党委{{tag}}", "党委", "区域", datetime.date(2019, 7, 1), None])
            ws.append(["IMP-{{tag}}-2", "导入支部二{{tag}}", "党支部", "联合组建", 43800, "IMP-{{tag}}-1"])
            ws.append(["IMP-{{tag}}-3", "导入支部三{{tag}}", "党支部", "联合组建", "2021/3/5", "IMP-{{tag}}-1"])
            ws.append(["IMP-{{tag}}-4", "导入支部四{{tag}}", "党支部", "联合组建", "2022年11月5日", "IMP-{{tag}}-1"])
            ws.append(["IMP-{{tag}}-5", "导入支部五{{tag}}", "党支部", "联合组建", "2023-02-30", "IMP-{{tag}}-1"])
            """);
        var preview = (await UploadAsync("organisations", file, Admin)).Expect(HttpStatusCode.Created).Json;
        Assert.True(preview.Int("creates") == 4, preview.ToJsonString());
        var bad = Assert.Single(preview["errors"]!.AsArray());
        Assert.Equal(6, bad!["row"]!.GetValue<int>());
        Assert.Equal("成立日期", bad["column"]!.GetValue<string>());
        await ApplyAsync(preview["id"]!.GetValue<string>());
        string Established(int n) => Cluster.GetAsync($"/api/counties/{Longxi}/organisations/IMP-{tag}-{n}", Admin).Result
            .Expect(HttpStatusCode.OK).Json["establishedOn"]!.GetValue<string>();
        Assert.Equal("2019-07-01", Established(1));
        // Excel counts 43800 days from its day 0 (with 1900 taken as a leap year, as Lotus did).
        Assert.Equal("2019-12-01", Established(2));
        Assert.Equal("2021-03-05", Established(3));
        Assert.Equal("2022-11-05", Established(4));
    }

    [Fact]
    public async Task Stations_with_their_locations_and_activity_circles_come_in_from_workbooks_and_a_place_outside_China_is_refused()
    {
        var tag = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var stations = OpenPyxl.Write($$"""
            ws = wb.active
            ws.append(["指导站编号", "指导站名称", "联系乡镇（街道）", "纬度", "经度"])
            ws.append(["ZD-{{tag}}-1", "测试指导站{{tag}}甲", "测试镇{{tag}}甲", 35.0021, 104.6402])
            ws.append(["ZD-{{tag}}-2", "测试指导站{{tag}}乙", "测试镇{{tag}}乙", 104.6402, 35.0021])
            """);
        var preview = (await UploadAsync("stations", stations, Admin)).Expect(HttpStatusCode.Created).Json;
        Assert.True(preview.Int("creates") == 1 && preview.Int("refused") == 1, preview.ToJsonString());
        var errors = preview["errors"]!.AsArray();
        Assert.Equal(["location.lat", "location.lon"], errors.Select(e => e!["field"]!.GetValue<string>()).Order());
        var swapped = errors.Single(e => e!["field"]!.GetValue<string>() == "location.lat");
        Assert.Equal((3, "location.lat", "纬度"), (swapped!["row"]!.GetValue<int>(), swapped["field"]!.GetValue<string>(), swapped["column"]!.GetValue<string>()));
        Assert.Contains("中国", swapped["message"]!.GetValue<string>());
        await ApplyAsync(preview["id"]!.GetValue<string>());
        var station = (await Cluster.GetAsync($"/api/counties/{Longxi}/stations/ZD-{tag}-1", Admin)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(35.0021, station["location"]!["lat"]!.GetValue<double>());

        // A centre of its own, placed: the county's first enterprise by id may be one another test imported without a place.
        var centre = TestEnterprises.NewCreditCode(Longxi);
        (await Cluster.PostAsync($"/api/counties/{Longxi}/enterprises", Admin, TestEnterprises.New(centre, $"活动圈中心企业{tag}")))
            .Expect(HttpStatusCode.Created);
        var circles = OpenPyxl.Write($$"""
            ws = wb.active
            ws.append(["活动圈编号", "活动圈名称", "中心企业统一社会信用代码", "党群活动中心名称", "活动中心面积（平方米）", "步行分钟数"])
            ws.append(["HQ-{{tag}}-1", "测试活动圈{{tag}}", {{OpenPyxl.Str(centre)}}, "测试活动中心{{tag}}", 350, None])
            ws.append(["HQ-{{tag}}-2", "走一小时以上的活动圈{{tag}}", {{OpenPyxl.Str(centre)}}, "测试活动中心{{tag}}", 200, 90])
            """);
        preview = (await UploadAsync("circles", circles, Admin)).Expect(HttpStatusCode.Created).Json;
        Assert.True(preview.Int("creates") == 1 && preview.Int("refused") == 1, preview.ToJsonString());
        Assert.Equal("walkMinutes", Assert.Single(preview["errors"]!.AsArray())!["field"]!.GetValue<string>());
        await ApplyAsync(preview["id"]!.GetValue<string>());
        var members = (await Cluster.GetAsync($"/api/counties/{Longxi}/circles/HQ-{tag}-1/members", Admin)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(15, members.Int("walkMinutes"));
        // Other tests' enterprises stand on the same spot, so the centre is among the nearest, not always the first.
        Assert.Contains(centre, members["members"]!.AsArray().Select(m => m!["creditCode"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Trainings_honours_and_contact_points_come_in_from_workbooks_with_their_refusals_and_move_the_figures()
    {
        var tag = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var today = Beacon.Rules.Validation.Today(DateTimeOffset.UtcNow);
        var enterprise = (await Cluster.GetAsync($"/api/counties/{Longxi}/enterprises?limit=1", Admin)).Expect(HttpStatusCode.OK)
            .Json["items"]![0]!["creditCode"]!.GetValue<string>();
        var before = await Cluster.SummaryAsync(Longxi, Admin);

        // Other offices' headers (培训名称, 培训日期, 参训人数), a date as a date and one as text, a number as text, and a class
        // dated in a coming year.
        var trainings = OpenPyxl.Write($$"""
            ws = wb.active
            ws.append(["编号", "培训名称", "培训对象", "培训日期", "天数", "学时", "参训人数", "主办单位"])
            ws.append(["PX-{{tag}}-1", "非公企业党支部书记培训班{{tag}}", "党组织书记", datetime.date({{today.Year}}, {{today.Month}}, {{today.Day}}), 2, 16, 40, "县委组织部"])
            ws.append(["PX-{{tag}}-2", "党务工作者培训班{{tag}}", "党务工作者", "{{today:yyyy/M/d}}", 1, 8, " 35 ", None])
            ws.append(["PX-{{tag}}-3", "未来的培训班{{tag}}", "党员", "{{today.Year + 1}}-01-05", 1, 8, 10, None])
            """);
        var preview = (await UploadAsync("trainings", trainings, Admin)).Expect(HttpStatusCode.Created).Json;
        Assert.True(preview.Int("creates") == 2 && preview.Int("refused") == 1, preview.ToJsonString());
        var future = Assert.Single(preview["errors"]!.AsArray());
        Assert.Equal((4, "startsOn"), (future!["row"]!.GetValue<int>(), future["field"]!.GetValue<string>()));
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", future["message"]!.GetValue<string>());
        await ApplyAsync(preview["id"]!.GetValue<string>());

        var honours = OpenPyxl.Write($$"""
            ws = wb.active
            ws.append(["荣誉编号", "表彰对象", "荣誉类别", "授予年度", "授予单位", "统一社会信用代码", "党组织编号"])
            ws.append(["RY-{{tag}}-1", "创先争优示范点{{tag}}", "示范点", {{today.Year}}, "县委", {{OpenPyxl.Str(enterprise)}}, None])
            ws.append(["RY-{{tag}}-2", "和谐企业{{tag}}", "和谐企业", {{today.Year}}, "县政府", None, None])
            ws.append(["RY-{{tag}}-3", "张三{{tag}}", "典型", "{{today.Year}}", "县委", None, None])
            """);
        preview = (await UploadAsync("honours", honours, Admin)).Expect(HttpStatusCode.Created).Json;
        Assert.True(preview.Int("creates") == 2 && preview.Int("refused") == 1, preview.ToJsonString());
        var nowhere = Assert.Single(preview["errors"]!.AsArray());
        Assert.Equal((3, "creditCode"), (nowhere!["row"]!.GetValue<int>(), nowhere["field"]!.GetValue<string>()));
        await ApplyAsync(preview["id"]!.GetValue<string>());

        var points = OpenPyxl.Write($$"""
            ws = wb.active
            ws.append(["联系点编号", "联系领导", "职务", "统一社会信用代码", "党组织编号", "建立联系日期"])
            ws.append(["LX-{{tag}}-1", "王建国", "县委书记", {{OpenPyxl.Str(enterprise)}}, None, "{{today.AddDays(-30):yyyy年M月d日}}"])
            ws.append(["LX-{{tag}}-2", "李志强", "副县长", None, None, "{{today.AddDays(-10):yyyy-MM-dd}}"])
            """);
        preview = (await UploadAsync("contactPoints", points, Admin)).Expect(HttpStatusCode.Created).Json;
        Assert.True(preview.Int("creates") == 1 && preview.Int("refused") == 1, preview.ToJsonString());
        await ApplyAsync(preview["id"]!.GetValue<string>());

        var after = await Cluster.SummaryAsync(Longxi, Admin);
        Assert.Equal(before.Int("training.sessions") + 2, after.Int("training.sessions"));
        Assert.Equal(before.Int("training.attendances") + 75, after.Int("training.attendances"));
        Assert.Equal(before.Int("honours.total") + 2, after.Int("honours.total"));
        Assert.Equal(before.Int("honours.byKind.demonstrationSite") + 1, after.Int("honours.byKind.demonstrationSite"));
        Assert.Equal(before.Int("contactPoints") + 1, after.Int("contactPoints"));

        // Each export imported again changes nothing.
        foreach (var register in new[] { "trainings", "honours", "contactPoints" })
        {
            var export = await Cluster.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/counties/{Longxi}/{register}.xlsx")
                { Headers = { Authorization = new("Bearer", Admin) } });
            var again = (await UploadAsync(register, await export.Content.ReadAsByteArrayAsync(), Admin)).Expect(HttpStatusCode.Created).Json;
            Assert.True(again.Int("rows") > 0 && again.Int("unchanged") == again.Int("rows"), $"{register}: {again.ToJsonString()}");
        }

        // The county as it was: removed through the API again.
        foreach (var path in new[] { $"trainings/PX-{tag}-1", $"trainings/PX-{tag}-2", $"honours/RY-{tag}-1", $"honours/RY-{tag}-3", $"contactPoints/LX-{tag}-1" })
            (await Cluster.SendAsync(HttpMethod.Delete, $"/api/counties/{Longxi}/{path}", Admin)).Expect(HttpStatusCode.NoContent);
        JsonFigures.AssertSameFigures(before, await Cluster.SummaryAsync(Longxi, Admin), "the summary after the imported entries were removed");
    }

    public static TheoryData<string> Registers => new() { "enterprises", "stations", "groups", "instructors", "organisations", "applicants" };

    [Theory]
    [MemberData(nameof(Registers))]
    public async Task An_export_imported_again_changes_nothing(string register)
    {
        var token = Admin;
        var export = await Cluster.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/counties/{Longxi}/{register}.xlsx")
        { Headers = { Authorization = new("Bearer", token) } });
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        var before = await Cluster.SummaryAsync(Longxi, token);
        var preview = (await UploadAsync(register, await export.Content.ReadAsByteArrayAsync(), token, Longxi)).Expect(HttpStatusCode.Created).Json;
        Assert.True(preview.Int("rows") > 0, $"the demo county has no {register}");
        Assert.True(preview.Int("unchanged") == preview.Int("rows") && preview.Int("refused") == 0, preview.ToJsonString());
        var applied = await ApplyAsync(preview["id"]!.GetValue<string>(), token);
        Assert.Equal(preview.Int("rows"), applied.Int("result.unchanged"));
        JsonFigures.AssertSameFigures(before, await Cluster.SummaryAsync(Longxi, token), $"{register} imported again");
    }

    public static TheoryData<string, int, string> BadFiles => new()
    {
        { "not a workbook", 400, "Excel" },
        { "password-protected", 400, "密码" },
        { "corrupt", 400, "损坏" },
        { "empty", 400, "表头" },
        { "headers it cannot map", 400, "统一社会信用代码" },
        { "over 50,000 rows", 413, "50000" },
        { "over 10 MB", 413, "10 MB" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_file_is_a_problem_naming_the_file_and_changes_nothing(string how, int status, string says)
    {
        byte[] file = how switch
        {
            "not a workbook" => "单位名称,统一社会信用代码\n甲,123\n"u8.ToArray(),
            // An encrypted workbook is an OLE compound file, as an old .xls is.
            "password-protected" => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[4096]],
            "corrupt" => [.. OpenPyxl.Write("wb.active.append(['单位名称', '统一社会信用代码'])").Take(900)],
            "empty" => OpenPyxl.Write("pass"),
            "headers it cannot map" => OpenPyxl.Write("wb.active.append(['姓名', '电话', '备注'])\nwb.active.append(['张三', '123', ''])"),
            "over 50,000 rows" => OpenPyxl.Write("""
                wb = openpyxl.Workbook(write_only=True)
                ws = wb.create_sheet()
                ws.append(["统一社会信用代码", "单位名称"])
                for i in range(50001): ws.append([str(i), "x"])
                """),
            _ => [.. OpenPyxl.Write("wb.active.append(['统一社会信用代码', '单位名称'])"), .. new byte[ImportLimits.MaxFileBytes + 1024]],
        };
        var before = await Cluster.SummaryAsync(Longxi, Admin);
        var answer = await UploadAsync("enterprises", file, Admin);
        Assert.True((int)answer.Status == status, $"{how}: {(int)answer.Status} {answer.Body}");
        Assert.Equal("application/problem+json", answer.MediaType);
        Assert.Contains("file", answer.ErrorFields);
        Assert.Contains(says, answer.Body);
        JsonFigures.AssertSameFigures(before, await Cluster.SummaryAsync(Longxi, Admin), $"the summary after {how}");
    }

    [Fact]
    public async Task An_unknown_register_or_no_file_is_400_naming_it()
    {
        var file = OpenPyxl.Write("wb.active.append(['统一社会信用代码', '单位名称'])");
        Assert.Contains("register", (await UploadAsync("issues", file, Admin)).Expect(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Contains("register", (await UploadAsync("bank-accounts", file, Admin)).Expect(HttpStatusCode.BadRequest).ErrorFields);
        var form = new MultipartFormDataContent { { new StringContent("enterprises"), "register" } };
        Assert.Contains("file", (await Cluster.SendAsync(HttpMethod.Post, Imports, Admin, form)).Expect(HttpStatusCode.BadRequest).ErrorFields);
    }

    [Fact]
    public async Task Another_county_or_an_overseer_cannot_read_or_apply_an_import_and_station_staff_import_only_their_station()
    {
        var c = Codes(2);
        var file = OpenPyxl.Write($"""
            ws = wb.active
            ws.append(["统一社会信用代码", "单位名称", "单位类型", "在岗职工人数", "党员人数", "在册运营", "组建方式", "指导站编号"])
            ws.append([{OpenPyxl.Str(c[0])}, "站内企业", "企业", 10, 1, "是", "未组建", "LX-01"])
            ws.append([{OpenPyxl.Str(c[1])}, "站外企业", "企业", 10, 1, "是", "未组建", "LX-02"])
            """);
        var staff = Caller.Of(Roles.StationStaff, $"county:{Longxi}", "import-staff", station: "LX-01").Token;
        var preview = (await UploadAsync("enterprises", file, staff)).Expect(HttpStatusCode.Created).Json;
        Assert.Equal(1, preview.Int("creates"));
        var refused = Assert.Single(preview["errors"]!.AsArray());
        Assert.Equal(3, refused!["row"]!.GetValue<int>());
        Assert.Equal("指导站编号", refused["column"]!.GetValue<string>());
        var id = preview["id"]!.GetValue<string>();

        foreach (var other in new[] { TestTokens.CountyAdmin(Qingshui), TestTokens.Overseer(Gansu) })
        {
            (await Cluster.GetAsync($"{Imports}/{id}", other)).Expect(HttpStatusCode.Forbidden);
            (await Cluster.PostAsync($"{Imports}/{id}/apply", other)).Expect(HttpStatusCode.Forbidden);
        }
        // The same id under another county is another county's import: there is none.
        (await Cluster.GetAsync($"/api/counties/{Qingshui}/imports/{id}", TestTokens.CountyAdmin(Qingshui))).Expect(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Forbidden, (await UploadAsync("enterprises", file, TestTokens.Overseer(Gansu))).Status);
        (await Cluster.GetAsync($"/api/counties/{Longxi}/enterprises/{c[0]}", Admin)).Expect(HttpStatusCode.NotFound);

        var applied = await ApplyAsync(id, staff);
        Assert.Equal(1, applied.Int("result.created"));
        (await Cluster.GetAsync($"/api/counties/{Longxi}/enterprises/{c[0]}", Admin)).Expect(HttpStatusCode.OK);
        (await Cluster.GetAsync($"/api/counties/{Longxi}/enterprises/{c[1]}", Admin)).Expect(HttpStatusCode.NotFound);

        // Station staff keep no organisations: every row refused, none written.
        var organisations = OpenPyxl.Write("""
            ws = wb.active
            ws.append(["组织编号", "组织名称", "组织类别", "组建形式"])
            ws.append(["STAFF-ORG-1", "站员导入支部", "党支部", "联合组建"])
            """);
        var staffOrganisations = (await UploadAsync("organisations", organisations, staff)).Expect(HttpStatusCode.Created).Json;
        Assert.Equal(0, staffOrganisations.Int("creates"));
        Assert.Equal(1, staffOrganisations.Int("refused"));
    }

    [Fact]
    public async Task A_row_whose_reference_went_away_before_apply_is_refused_then_with_its_reason_and_the_others_are_written()
    {
        var tag = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var station = $"IMP-ST-{tag}";
        (await Cluster.PostAsync($"/api/counties/{Longxi}/stations", Admin, new JsonObject
        {
            ["stationId"] = station, ["name"] = $"导入测试指导站{tag}", ["townships"] = new JsonArray($"导入镇{tag}"),
        })).Expect(HttpStatusCode.Created);
        var c = Codes(2);
        var file = OpenPyxl.Write($"""
            ws = wb.active
            ws.append(["统一社会信用代码", "单位名称", "单位类型", "在岗职工人数", "党员人数", "在册运营", "组建方式", "指导站编号"])
            ws.append([{OpenPyxl.Str(c[0])}, "随站企业", "企业", 10, 1, "是", "未组建", {OpenPyxl.Str(station)}])
            ws.append([{OpenPyxl.Str(c[1])}, "无站企业", "企业", 10, 1, "是", "未组建", None])
            """);
        var preview = (await UploadAsync("enterprises", file, Admin)).Expect(HttpStatusCode.Created).Json;
        Assert.Equal(2, preview.Int("creates"));
        (await Cluster.SendAsync(HttpMethod.Delete, $"/api/counties/{Longxi}/stations/{station}", Admin)).Expect(HttpStatusCode.NoContent);

        var applied = await ApplyAsync(preview["id"]!.GetValue<string>());
        Assert.Equal(1, applied.Int("result.created"));
        var refused = Assert.Single(applied["result"]!["errors"]!.AsArray());
        Assert.Equal(2, refused!["row"]!.GetValue<int>());
        Assert.Equal("指导站编号", refused["column"]!.GetValue<string>());
        Assert.Contains(station, refused["message"]!.GetValue<string>());
        (await Cluster.GetAsync($"/api/counties/{Longxi}/enterprises/{c[1]}", Admin)).Expect(HttpStatusCode.OK);
        (await Cluster.GetAsync($"/api/counties/{Longxi}/enterprises/{c[0]}", Admin)).Expect(HttpStatusCode.NotFound);
    }
}
