using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Beacon.IntegrationTests.Infrastructure;
using MiniExcelLibs;
using static Beacon.IntegrationTests.Infrastructure.InMemoryClusterFixture;

namespace Beacon.IntegrationTests;

/// <summary>
/// Every register as workbooks through the real gateway, read back with the Open XML SDK and MiniExcel (not with
/// Beacon's writer): the template's columns are the descriptor's, and the export is the list, one row per entry.
/// </summary>
[Collection(InMemoryClusterCollection.Name)]
public sealed class RegisterWorkbookTests(InMemoryClusterFixture fixture)
{
    private BeaconCluster Cluster => fixture.Cluster;

    private async Task<HttpResponseMessage> GetAsync(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", token);
        return await Cluster.Http.SendAsync(request);
    }

    public static TheoryData<string> RegisterRoutes => [.. Registers.All.Where(r => r.GetType().IsGenericType).Select(r => r.Route)]; // registers of profiles (issues have their own API);

    [Theory]
    [MemberData(nameof(RegisterRoutes))]
    public async Task The_template_has_the_descriptors_headers_notes_drop_down_lists_and_a_frozen_header(string route)
    {
        var register = Registers.All.Single(r => r.Route == route);
        using var response = await GetAsync($"/api/counties/{Qingshui}/{route}/template.xlsx", TestTokens.CountyAdmin(Qingshui));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Workbooks.AssertValid(bytes);

        using var workbook = new XlsxReader(bytes);
        Assert.Equal(register.Columns.Select(c => c.Header), workbook.Row(1));
        Assert.Empty(workbook.Row(2));
        Assert.Equal("A2", workbook.FrozenAt);
        var notes = workbook.Notes;
        var lists = workbook.Lists;
        for (var i = 0; i < register.Columns.Count; i++)
        {
            var column = register.Columns[i];
            var letters = PrefectureTests.WorkbookColumn(i);
            if (!string.IsNullOrWhiteSpace(column.Note)) Assert.Equal(column.Note, notes[$"{letters}1"]);
            var list = lists.Where(l => XlsxReader.ColumnOf(l.Cells) == letters).ToList();
            switch (column.Kind)
            {
                case CellKind.Choice:
                    Assert.Equal(column.Choices.Select(c => c.Label), Assert.Single(list).Values);
                    break;
                case CellKind.YesNo:
                    Assert.Equal(["是", "否"], Assert.Single(list).Values);
                    break;
                default:
                    Assert.Empty(list);
                    break;
            }
            foreach (var l in list) Assert.StartsWith($"{letters}2:", l.Cells);
        }
    }

    [Fact]
    public async Task The_enterprises_workbook_has_one_row_per_enterprise_with_the_lists_values()
    {
        var token = TestTokens.CountyAdmin(Qingshui);
        var items = new List<JsonObject>();
        for (var offset = 0; ; offset += 200)
        {
            var page = await Cluster.GetJsonAsync($"/api/counties/{Qingshui}/enterprises?sort=id&limit=200&offset={offset}", token);
            items.AddRange(page["items"]!.AsArray().Select(i => i!.AsObject()));
            if (items.Count >= page["total"]!.GetValue<int>()) break;
        }

        using var response = await GetAsync($"/api/counties/{Qingshui}/enterprises.xlsx", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches($@"^enterprises-{Qingshui}-\d{{4}}-\d{{2}}-\d{{2}}\.xlsx$", response.Content.Headers.ContentDisposition?.FileName?.Trim('"') ?? "");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Workbooks.AssertValid(bytes);
        using var stream = new MemoryStream(bytes);
        var rows = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(items.Count, rows.Count);

        var columns = Registers.Enterprises.Columns;
        var byId = rows.ToDictionary(r => Convert.ToString(r["统一社会信用代码"], CultureInfo.InvariantCulture)!);
        Assert.Equal(items.Select(i => i["creditCode"]!.GetValue<string>()).Order(), byId.Keys.Order());
        foreach (var item in new[] { items[0], items[items.Count / 2], items[^1] })
        {
            var row = byId[item["creditCode"]!.GetValue<string>()];
            foreach (var column in columns)
            {
                JsonNode? node = item;
                foreach (var part in column.Path.Split('.')) node = node is JsonObject o && o.TryGetPropertyValue(part, out var n) ? n : null;
                var cell = row[column.Header];
                if (node is null || (node is JsonArray { Count: 0 }))
                {
                    Assert.True(cell is null || cell as string == "", $"{column.Header}: {cell}");
                    continue;
                }
                switch (column.Kind)
                {
                    case CellKind.Integer or CellKind.Number:
                        Assert.Equal(node.GetValue<double>(), Convert.ToDouble(cell, CultureInfo.InvariantCulture), 6);
                        break;
                    case CellKind.YesNo:
                        Assert.Equal(node.GetValue<bool>() ? "是" : "否", cell);
                        break;
                    case CellKind.Date:
                        Assert.Equal(DateOnly.Parse(node.GetValue<string>(), CultureInfo.InvariantCulture), DateOnly.FromDateTime(Assert.IsType<DateTime>(cell)));
                        break;
                    case CellKind.Choice:
                        Assert.Equal(column.Choices.Single(c => c.Value == node.GetValue<string>()).Label, cell);
                        break;
                    case CellKind.List:
                        Assert.Equal(string.Join('、', node.AsArray().Select(n => n!.GetValue<string>())), cell);
                        break;
                    default:
                        Assert.Equal(node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString(),
                            Convert.ToString(cell, CultureInfo.InvariantCulture));
                        break;
                }
            }
        }
    }

    [Theory]
    [InlineData("enterprises.xlsx")]
    [InlineData("enterprises/template.xlsx")]
    public async Task Another_countys_token_is_refused(string path)
    {
        using var response = await GetAsync($"/api/counties/{Qingshui}/{path}", TestTokens.CountyAdmin(Longxi));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
