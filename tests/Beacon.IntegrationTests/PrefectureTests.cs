using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Beacon.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using HubException = Microsoft.AspNetCore.SignalR.HubException;

namespace Beacon.IntegrationTests;

/// <summary>
/// 六安市 (341500), a prefecture of 安徽省, compared through the real gateway: its counties' rows and totals, its
/// exports, its live comparison, and who may see them. The counties are made through the API on a system without demo
/// data, with one of 合肥市 (340100) beside them that no 六安 figure may include.
/// </summary>
[Collection(EmptySystemCollection.Name)]
public sealed class PrefectureTests(EmptySystemFixture fixture)
{
    private BeaconCluster Cluster => fixture.Cluster;

    private const string Anhui = "340000";
    private const string Lu_an = "341500";
    private const string Hefei = "340100";
    private const string Yuan = "341503";      // 裕安区
    private const string Huoqiu = "341522";    // 霍邱县
    private const string Yaohai = "340102";    // 瑶海区, 合肥市

    private static readonly string ProvinceAdmin = TestTokens.ProvinceAdmin(Anhui);
    private static readonly string Overseer = TestTokens.PrefectureOverseer(Lu_an);

    /// <summary>The three counties, each with enterprises of its own; made once (a county configured again changes nothing).</summary>
    private async Task SetUpAsync()
    {
        foreach (var (code, name, prefecture, enterprises) in new[]
                 {
                     (Yuan, "裕安区", "六安市", 3), (Huoqiu, "霍邱县", "六安市", 2), (Yaohai, "瑶海区", "合肥市", 4),
                 })
        {
            var put = await Cluster.PutAsync($"/api/counties/{code}", ProvinceAdmin, new JsonObject { ["name"] = name, ["prefectureName"] = prefecture });
            if (put.Status == HttpStatusCode.OK) continue;
            put.Expect(HttpStatusCode.Created);
            for (var i = 0; i < enterprises; i++)
                (await Cluster.PostAsync($"/api/counties/{code}/enterprises", TestTokens.CountyAdmin(code),
                    TestEnterprises.New(TestEnterprises.NewCreditCode(code), $"{name}对比企业{i}", employees: 10 + i, partyMembers: i)))
                    .Expect(HttpStatusCode.Created);
        }
    }

    /// <summary>The counties of 六安市 the province lists: whatever other tests of this system made there too.</summary>
    private async Task<string[]> CountiesOfLu_anAsync() =>
        [.. (await Cluster.GetAsync($"/api/provinces/{Anhui}/counties", ProvinceAdmin)).Expect(HttpStatusCode.OK).Json.AsArray()
            .Select(c => c!["code"]!.GetValue<string>()).Where(c => c.StartsWith("3415", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    /// <summary>The comparison once every county's rows carry its enterprises (a county's first publication may still be on its way).</summary>
    private async Task<JsonObject> SettledComparisonAsync(string path, string token, Func<JsonObject, bool> settled)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var comparison = (await Cluster.GetAsync(path, token)).Expect(HttpStatusCode.OK).Object;
            if (settled(comparison) || clock.Elapsed > TimeSpan.FromSeconds(10)) return comparison;
            await Task.Delay(100);
        }
    }

    private static int Registered(JsonObject comparison, string county) =>
        comparison["rows"]!.AsArray().SingleOrDefault(r => r!["county"]!.GetValue<string>() == county)?.Int("registered") ?? -1;

    [Fact]
    public async Task A_prefecture_comparison_has_the_rows_of_its_counties_and_their_totals()
    {
        await SetUpAsync();
        var counties = await CountiesOfLu_anAsync();
        Assert.Contains(Yuan, counties);
        Assert.Contains(Huoqiu, counties);

        var comparison = await SettledComparisonAsync($"/api/prefectures/{Lu_an}/comparison", Overseer,
            c => Registered(c, Yuan) == 3 && Registered(c, Huoqiu) == 2);
        Assert.Equal(["asOf", "duplicates", "name", "prefecture", "rows", "seq", "totals"], comparison.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(Lu_an, comparison["prefecture"]!.GetValue<string>());
        Assert.Equal("六安市", comparison["name"]!.GetValue<string>());
        var rows = comparison["rows"]!.AsArray().Select(r => r!.AsObject()).ToArray();
        Assert.Equal(counties, rows.Select(r => r["county"]!.GetValue<string>()));
        Assert.All(rows, r => Assert.Equal(Lu_an, r["prefecture"]!.GetValue<string>()));
        Assert.Equal(3, Registered(comparison, Yuan));
        Assert.Equal(2, Registered(comparison, Huoqiu));

        // The totals are the grains' sums of the rows, rates from the sums.
        var totals = comparison["totals"]!.AsObject();
        Assert.Equal(Lu_an, totals["county"]!.GetValue<string>());
        Assert.Equal("六安市", totals["name"]!.GetValue<string>());
        foreach (var figure in new[] { "registered", "base", "orgCovered", "partyMembers", "employees", "issues.raised", "organisations.total" })
            Assert.Equal(rows.Sum(r => r.Long(figure)), totals.Long(figure));
        var @base = totals.Long("base");
        Assert.Equal(@base == 0 ? 0 : Math.Round((double)totals.Long("orgCovered") / @base, 4), totals.Double("orgCoverage"));

        // The province's comparison has all three; 合肥's county is in no 六安 figure, and has a comparison of its own.
        var province = (await Cluster.GetAsync($"/api/provinces/{Anhui}/comparison", TestTokens.Overseer(Anhui))).Expect(HttpStatusCode.OK).Object;
        Assert.Contains(province["rows"]!.AsArray(), r => r!["county"]!.GetValue<string>() == Yaohai);
        var hefei = await SettledComparisonAsync($"/api/prefectures/{Hefei}/comparison", TestTokens.Overseer(Anhui), c => Registered(c, Yaohai) == 4);
        Assert.Equal([Yaohai], hefei["rows"]!.AsArray().Select(r => r!["county"]!.GetValue<string>()));
        Assert.Equal("合肥市", hefei["name"]!.GetValue<string>());
        Assert.Equal(4, hefei.Int("totals.registered"));
    }

    [Fact]
    public async Task The_prefecture_comparison_is_exported_as_csv_and_excel_with_the_catalogues_columns()
    {
        await SetUpAsync();
        var comparison = await SettledComparisonAsync($"/api/prefectures/{Lu_an}/comparison", Overseer,
            c => Registered(c, Yuan) == 3 && Registered(c, Huoqiu) == 2);
        var rows = comparison["rows"]!.AsArray().Count;

        using var csv = await SendAsync($"/api/prefectures/{Lu_an}/comparison.csv", Overseer);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"comparison-{Lu_an}-", csv.Content.Headers.ContentDisposition?.FileNameStar ?? csv.Content.Headers.ContentDisposition?.FileName);
        var text = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF');
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + rows + 1, lines.Length);                 // header, one per county, totals
        Assert.StartsWith("县区代码,县区,所属市州,", lines[0]);
        foreach (var figure in FigureCatalogue.All) Assert.Contains(figure.Label.Zh, lines[0]);
        Assert.Contains(lines, l => l.StartsWith($"{Yuan},裕安区,六安市,", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith(Yaohai, StringComparison.Ordinal));
        Assert.StartsWith($"{Lu_an},合计,六安市,", lines[^1]);

        using var xlsx = await SendAsync($"/api/prefectures/{Lu_an}/comparison.xlsx", Overseer);
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        var bytes = await xlsx.Content.ReadAsByteArrayAsync();
        Assert.True(bytes.Length > 100 && bytes[0] == (byte)'P' && bytes[1] == (byte)'K', "the workbook is not a zip (xlsx) file");
        Workbooks.AssertValid(bytes);
        using (var workbook = new XlsxReader(bytes))
        {
            Assert.Equal("A2", workbook.FrozenAt);
            var header = workbook.Row(1);
            foreach (var rate in FigureCatalogue.All.Where(f => f.Format == FigureFormat.Rate))
            {
                var column = WorkbookColumn(header.IndexOf(rate.Label.Zh));
                Assert.Equal("0.0%", workbook.NumberFormat($"{column}2"));
            }
        }

        // Another prefecture's overseer gets neither file.
        using var refused = await SendAsync($"/api/prefectures/{Lu_an}/comparison.csv", TestTokens.PrefectureOverseer(Hefei));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task A_prefecture_overseer_reads_its_counties_and_nothing_else()
    {
        await SetUpAsync();
        (await Cluster.GetAsync($"/api/prefectures/{Lu_an}/comparison", Overseer)).Expect(HttpStatusCode.OK);
        (await Cluster.GetAsync($"/api/counties/{Yuan}/summary", Overseer)).Expect(HttpStatusCode.OK);
        (await Cluster.GetAsync($"/api/counties/{Yuan}/enterprises", Overseer)).Expect(HttpStatusCode.OK);
        (await Cluster.GetAsync($"/api/counties/{Yuan}", Overseer)).Expect(HttpStatusCode.OK);

        (await Cluster.GetAsync($"/api/counties/{Yaohai}/summary", Overseer)).Expect(HttpStatusCode.Forbidden);
        (await Cluster.GetAsync($"/api/counties/{Yaohai}", Overseer)).Expect(HttpStatusCode.Forbidden);
        (await Cluster.GetAsync($"/api/prefectures/{Hefei}/comparison", Overseer)).Expect(HttpStatusCode.Forbidden);
        (await Cluster.GetAsync($"/api/provinces/{Anhui}/comparison", Overseer)).Expect(HttpStatusCode.Forbidden);
        (await Cluster.GetAsync($"/api/provinces/{Anhui}/comparison.csv", Overseer)).Expect(HttpStatusCode.Forbidden);
        (await Cluster.GetAsync($"/api/provinces/{Anhui}/counties", Overseer)).Expect(HttpStatusCode.Forbidden);
        (await Cluster.PostAsync($"/api/counties/{Yuan}/enterprises", Overseer,
            TestEnterprises.New(TestEnterprises.NewCreditCode(Yuan), "市级越权企业"))).Expect(HttpStatusCode.Forbidden);
        (await Cluster.PutAsync($"/api/counties/{Yuan}", Overseer, new JsonObject { ["name"] = "裕安区", ["prefectureName"] = "六安市" }))
            .Expect(HttpStatusCode.Forbidden);

        // The province's overseer reads every prefecture of it; a province's administrator none.
        (await Cluster.GetAsync($"/api/prefectures/{Lu_an}/comparison", TestTokens.Overseer(Anhui))).Expect(HttpStatusCode.OK);
        (await Cluster.GetAsync($"/api/prefectures/{Lu_an}/comparison", ProvinceAdmin)).Expect(HttpStatusCode.Forbidden);
        (await Cluster.GetAsync($"/api/prefectures/{Lu_an}/comparison", TestTokens.Overseer("620000"))).Expect(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_prefecture_screen_gets_a_snapshot_at_once_then_its_publications()
    {
        await SetUpAsync();
        await using var screen = await LiveTests.Screen.ConnectAsync(Cluster, Overseer);
        await screen.Connection.InvokeAsync("Subscribe", $"prefecture:{Lu_an}");
        var snapshot = await screen.NextAsync(IsLu_an, "the snapshot of prefecture 341500");
        Assert.Equal(["asOf", "duplicates", "name", "prefecture", "rows", "seq", "totals"],
            snapshot.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("六安市", snapshot.GetProperty("name").GetString());
        var counties = snapshot.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("county").GetString()).ToArray();
        Assert.Contains(Yuan, counties);
        Assert.DoesNotContain(Yaohai, counties);

        // A change in 合肥 publishes the province, not 六安.
        (await Cluster.PostAsync($"/api/counties/{Yaohai}/enterprises", TestTokens.CountyAdmin(Yaohai),
            TestEnterprises.New(TestEnterprises.NewCreditCode(Yaohai), "瑶海区新企业"))).Expect(HttpStatusCode.Created);
        // A change in 裕安区 reaches the screen with a higher seq (the gateway may skip one that a newer one overtook
        // while a send was under way; the grain's own seqs are consecutive, see Beacon.Tests). A publication sent while
        // the subscription read its snapshot can arrive after it with the snapshot's seq or an older one: the pages
        // drop it (live.js), and so does this screen.
        var before = Registered(snapshot, Yuan);
        (await Cluster.PostAsync($"/api/counties/{Yuan}/enterprises", TestTokens.CountyAdmin(Yuan),
            TestEnterprises.New(TestEnterprises.NewCreditCode(Yuan), "裕安区新企业"))).Expect(HttpStatusCode.Created);
        var seq = snapshot.GetProperty("seq").GetInt64();
        var update = await screen.NextAsync(s =>
        {
            if (!IsLu_an(s)) return false;
            var next = s.GetProperty("seq").GetInt64();
            if (next <= seq) return false;
            seq = next;
            return Registered(s, Yuan) == before + 1;
        }, $"a comparison of 341500 with {before + 1} enterprises in 341503");
        Assert.Equal(update.GetProperty("totals").GetProperty("registered").GetInt32(),
            update.GetProperty("rows").EnumerateArray().Sum(r => r.GetProperty("registered").GetInt32()));
        Assert.DoesNotContain(Yaohai, update.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("county").GetString()));

        // Its counties, yes; its province, another prefecture and another prefecture's county, no.
        await screen.Connection.InvokeAsync("Subscribe", $"county:{Yuan}");
        await screen.NextAsync(s => s.TryGetProperty("county", out var c) && c.GetString() == Yuan, "the snapshot of county 341503");
        foreach (var scope in new[] { $"province:{Anhui}", $"prefecture:{Hefei}", $"county:{Yaohai}" })
        {
            var refused = await Assert.ThrowsAsync<HubException>(() => screen.Connection.InvokeAsync("Subscribe", scope));
            Assert.Contains("forbidden", refused.Message, StringComparison.OrdinalIgnoreCase);
        }

        // The province's overseer and a prefecture's screen may watch it too.
        foreach (var token in new[] { TestTokens.Overseer(Anhui), TestTokens.Display($"prefecture:{Lu_an}"), TestTokens.Display($"province:{Anhui}") })
        {
            await using var other = await LiveTests.Screen.ConnectAsync(Cluster, token);
            await other.Connection.InvokeAsync("Subscribe", $"prefecture:{Lu_an}");
            await other.NextAsync(IsLu_an, "the snapshot of prefecture 341500");
        }
    }

    private static bool IsLu_an(JsonElement s) => s.TryGetProperty("prefecture", out var p) && p.GetString() == Lu_an && !s.TryGetProperty("county", out _);

    private static int Registered(JsonElement comparison, string county) =>
        comparison.GetProperty("rows").EnumerateArray().Where(r => r.GetProperty("county").GetString() == county)
            .Select(r => r.GetProperty("registered").GetInt32()).DefaultIfEmpty(-1).Single();

    private async Task<HttpResponseMessage> SendAsync(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await Cluster.Http.SendAsync(request);
    }

    /// <summary>The letters of a zero-based column.</summary>
    internal static string WorkbookColumn(int index)
    {
        Assert.True(index >= 0, "the header is not in the workbook");
        var name = "";
        for (var c = index + 1; c > 0; c = (c - 1) / 26) name = (char)('A' + (c - 1) % 26) + name;
        return name;
    }
}
