using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Beacon.Gateway.Security;
using Beacon.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Beacon.IntegrationTests.Browser;

/// <summary>
/// The workspace's import dialog as 陇西's committee uses it: a workbook written by another program than Beacon
/// (Python's openpyxl) is uploaded, previewed with its refused row marked, applied with its progress shown, and the
/// county's live figures count what it created. The enterprises it creates are removed again, so the other pages'
/// tests still see the demo figures.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ImportDialogTests(BrowserFixture fixture)
{
    private const string Longxi = BrowserFixture.Longxi;
    /// <summary>Debian's own python3, which test.sh gives openpyxl; not whichever python3 is first on PATH.</summary>
    private const string Python = "/usr/bin/python3";
    private static readonly string Admin = TestTokens.CountyAdmin(Longxi);
    /// <summary>For what waits on the server or the live feed (a busy machine answers slower than Playwright's 5 s).</summary>
    private static readonly LocatorAssertionsToHaveAttributeOptions Live = new() { Timeout = 20_000 };

    private BeaconCluster Cluster => fixture.Cluster;

    /// <summary>The sheet's name comes back from the server in the preview: markup in it must read as text (Excel forbids a slash).</summary>
    private const string Sheet = "企业<b>粗 & \"q\"";

    private static readonly string[] Headers = ["统一社会信用代码", "单位名称", "单位类型", "在岗职工人数", "党员人数", "在册运营", "组建方式", "规模以上"];

    /// <summary>Writes the rows under <see cref="Headers"/> into a new workbook with openpyxl, to a temporary file.</summary>
    private static async Task<string> WriteWorkbookAsync(string sheet, IReadOnlyList<object[]> rows)
    {
        var path = Path.Combine(Path.GetTempPath(), $"beacon-import-{Guid.NewGuid():N}.xlsx");
        const string script = """
            import json, sys
            from openpyxl import Workbook
            book = Workbook()
            sheet = book.active
            data = json.loads(sys.stdin.read())
            sheet.title = data["sheet"]
            sheet.append(data["headers"])
            for row in data["rows"]:
                sheet.append(row)
            book.save(sys.argv[1])
            """;
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false,
            // UTF-8 both ways whatever the machine's locale (CI runs without LANG), and no byte-order mark for json.loads.
            StandardInputEncoding = new System.Text.UTF8Encoding(false), Environment = { ["PYTHONIOENCODING"] = "utf-8" },
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(path);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Python} did not start");
        // The rows go in as JSON on stdin: no quoting of Chinese text or numbers on a command line.
        await process.StandardInput.WriteAsync(JsonSerializer.Serialize(new { sheet, headers = Headers, rows }));
        process.StandardInput.Close();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, $"{Python} (openpyxl) could not write the workbook: {errors}");
        return path;
    }

    private async Task<IPage> OpenReadyAsync(string token)
    {
        var page = await fixture.NewPageAsync(1440, 900);
        await page.GotoAsync(fixture.Url($"/county/{Longxi}?token={token}"));
        await Assertions.Expect(page.Locator("#workspace[data-ready=true]")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        return page;
    }

    private static ILocator Count(ILocator counts, string key) => counts.Locator($"[data-count='{key}']");

    [Fact]
    public async Task A_workbook_is_previewed_with_its_refused_row_marked_then_applied_and_the_live_figures_count_it()
    {
        var codes = Enumerable.Range(0, 3).Select(_ => TestEnterprises.NewCreditCode(Longxi)).ToArray();
        var bad = TestEnterprises.NewCreditCode(Longxi);
        var tag = ApiTestKit.NewTag();
        // Excel row 1 holds the headers: the bad one is Excel row 4, between good ones.
        var file = await WriteWorkbookAsync(Sheet,
        [
            [codes[0], $"陇西导入测试甲{tag}有限公司", "企业", 30, 2, "是", "未组建", "否"],
            [codes[1], $"陇西导入测试乙{tag}有限公司", "企业", 12, 0, "是", "未组建", "否"],
            [bad, $"陇西导入测试坏行{tag}有限公司", "企业", 5, 9, "是", "未组建", "否"],
            [codes[2], $"陇西导入测试丙{tag}有限公司", "企业", 48, 3, "是", "未组建", "否"],
        ]);
        var page = await OpenReadyAsync(Admin);
        try
        {
            var registered = Figure(page);
            await Assertions.Expect(registered).ToHaveAttributeAsync("data-value", new System.Text.RegularExpressions.Regex(@"^\d+$"));
            var before = int.Parse((await registered.GetAttributeAsync("data-value"))!);

            await page.Locator("#import-open").ClickAsync();
            var dialog = page.Locator("#import-dialog");
            await Assertions.Expect(dialog).ToBeVisibleAsync();
            // The committee may import every register that has a workbook.
            Assert.Equal(["enterprises", "stations", "groups", "instructors", "organisations", "applicants", "trainings", "honours", "contactPoints"],
                await page.Locator("#import-register option").EvaluateAllAsync<string[]>("os => os.map(o => o.value)"));
            await page.Locator("#import-register").SelectOptionAsync("enterprises");
            await Assertions.Expect(page.Locator("#import-template")).ToHaveAttributeAsync("href", $"/api/counties/{Longxi}/enterprises/template.xlsx");

            // A file that is no workbook: the server's reason under the file input, in the page's language, no preview.
            await page.Locator("#import-file").SetInputFilesAsync(new FilePayload
            {
                Name = "不是表格.xlsx", MimeType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Buffer = "not a workbook"u8.ToArray(),
            });
            await page.Locator("#import-upload").ClickAsync();
            var fileError = page.Locator("[data-error-for=file]");
            await Assertions.Expect(fileError).ToBeVisibleAsync(new() { Timeout = 15_000 });
            await Assertions.Expect(fileError).ToContainTextAsync("不是 Excel 工作簿");
            await Assertions.Expect(page.Locator("#import-file")).ToHaveAttributeAsync("aria-invalid", "true");
            await Assertions.Expect(page.Locator("#import-preview")).ToBeHiddenAsync();

            // The workbook: three to create, one refused, its row marked with the reason; nothing written yet.
            await page.Locator("#import-file").SetInputFilesAsync(file);
            await Assertions.Expect(fileError).ToBeHiddenAsync();
            await page.Locator("#import-upload").ClickAsync();
            var counts = page.Locator("#import-counts");
            await Assertions.Expect(Count(counts, "creates")).ToHaveAttributeAsync("data-value", "3", Live);
            await Assertions.Expect(Count(counts, "rows")).ToHaveAttributeAsync("data-value", "4");
            await Assertions.Expect(Count(counts, "updates")).ToHaveAttributeAsync("data-value", "0");
            await Assertions.Expect(Count(counts, "unchanged")).ToHaveAttributeAsync("data-value", "0");
            await Assertions.Expect(Count(counts, "refused")).ToHaveAttributeAsync("data-value", "1");
            await Assertions.Expect(Count(counts, "creates").Locator("dd")).ToHaveTextAsync("3");
            var refused = page.Locator("#import-refusals tbody tr");
            await Assertions.Expect(refused).ToHaveCountAsync(1);
            await Assertions.Expect(refused.First).ToHaveAttributeAsync("data-row", "4");
            await Assertions.Expect(refused.First).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\brefused\b"));
            await Assertions.Expect(refused.First.Locator(".mark")).ToBeVisibleAsync();
            await Assertions.Expect(refused.First.Locator("td").Nth(0)).ToContainTextAsync("4");
            await Assertions.Expect(refused.First.Locator("td").Nth(1)).ToHaveTextAsync("党员人数");
            await Assertions.Expect(refused.First.Locator("td").Nth(2)).ToContainTextAsync("不能超过职工人数");
            await Assertions.Expect(dialog).ToHaveAttributeAsync("data-state", "previewed");
            Assert.EndsWith($" · {Sheet}", await page.Locator("#import-preview .file-name").EvaluateAsync<string>("e => e.textContent"));
            await Assertions.Expect(dialog.Locator("b:text-is('粗')")).ToHaveCountAsync(0);
            (await Cluster.GetAsync($"/api/counties/{Longxi}/enterprises/{codes[0]}", Admin)).Expect(HttpStatusCode.NotFound);
            await BrowserFixture.ScreenshotAsync(page, "workspace-import-preview");

            // Apply: the bar runs to its end, the result counts the three, the figures on top grow by three by themselves.
            await Assertions.Expect(page.Locator("#import-apply")).ToBeEnabledAsync();
            await page.Locator("#import-apply").ClickAsync();
            await Assertions.Expect(page.Locator("#import-progress")).ToBeVisibleAsync();
            await Assertions.Expect(dialog).ToHaveAttributeAsync("data-state", "applied", Live);
            var bar = page.Locator("#import-progress-bar");
            var (value, max) = await bar.EvaluateAsync<double[]>("p => [p.value, p.max]") is [var v, var m] ? (v, m) : (0, -1);
            Assert.Equal(max, value);
            await Assertions.Expect(bar).ToHaveAttributeAsync("data-total", "3");
            await Assertions.Expect(bar).ToHaveAttributeAsync("data-done", "3");
            var result = page.Locator("#import-result-counts");
            await Assertions.Expect(Count(result, "created")).ToHaveAttributeAsync("data-value", "3");
            await Assertions.Expect(Count(result, "updated")).ToHaveAttributeAsync("data-value", "0");
            await Assertions.Expect(Count(result, "refused")).ToHaveAttributeAsync("data-value", "0");
            await Assertions.Expect(page.Locator("#import-apply")).ToBeDisabledAsync();
            await Assertions.Expect(registered).ToHaveAttributeAsync("data-value", (before + 3).ToString(), Live);
            foreach (var code in codes) (await Cluster.GetAsync($"/api/counties/{Longxi}/enterprises/{code}", Admin)).Expect(HttpStatusCode.OK);
            (await Cluster.GetAsync($"/api/counties/{Longxi}/enterprises/{bad}", Admin)).Expect(HttpStatusCode.NotFound);
            Assert.DoesNotContain("null", await dialog.InnerTextAsync());
            await BrowserFixture.ScreenshotAsync(page, "workspace-import-applied");
            Assert.Empty(await BrowserFixture.CspViolationsAsync(page));
        }
        finally
        {
            File.Delete(file);
            foreach (var code in codes.Append(bad)) await Cluster.DeleteAsync($"/api/counties/{Longxi}/enterprises/{code}", Admin);
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task In_english_the_dialog_and_the_servers_reason_for_a_bad_file_are_english()
    {
        // The browser asks for Chinese (the context's locale): the reason is English only if the page asks for it.
        var page = await OpenReadyAsync(Admin);
        await page.Locator("#lang-toggle").ClickAsync();
        await page.Locator("#import-open").ClickAsync();
        await Assertions.Expect(page.Locator("#import-title")).ToHaveTextAsync("Import from Excel");
        await page.Locator("#import-file").SetInputFilesAsync(new FilePayload { Name = "notes.xlsx", MimeType = "text/plain", Buffer = "not a workbook"u8.ToArray() });
        await page.Locator("#import-upload").ClickAsync();
        await Assertions.Expect(page.Locator("[data-error-for=file]")).ToContainTextAsync("is not an Excel workbook", new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("#import-apply")).ToBeDisabledAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Station_staff_may_import_their_stations_enterprises_and_applicants_only()
    {
        var staff = Tokens.Issue(TestTokens.Options, Roles.StationStaff, Scope.Parse($"county:{Longxi}")!, "integration-test staff", station: "LX-01");
        var page = await OpenReadyAsync(staff);
        await page.Locator("#import-open").ClickAsync();
        // Their station's enterprises and the applicants its branch develops (each row is checked against their station).
        Assert.Equal(["enterprises", "applicants"], await page.Locator("#import-register option").EvaluateAllAsync<string[]>("os => os.map(o => o.value)"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_overseer_sees_the_workbooks_to_download_but_no_import()
    {
        var page = await OpenReadyAsync(TestTokens.Overseer(BrowserFixture.Gansu));
        await Assertions.Expect(page.Locator("#report-download")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("section[data-register='enterprises'] [data-role=export]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#import-open")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#import-dialog")).ToHaveCountAsync(0);
        // The export fetches the register with the token (a link could not carry it) and hands the browser the file.
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("section[data-register='enterprises'] [data-role=export]").ClickAsync());
        Assert.StartsWith($"enterprises-{Longxi}-", download.SuggestedFilename);
        Assert.EndsWith(".xlsx", download.SuggestedFilename);
        await BrowserFixture.ScreenshotAsync(page, "workspace-overseer-no-import");
        await page.Context.CloseAsync();
    }

    private static ILocator Figure(IPage page) => page.Locator("#summary [data-figure='registered']");
}
