using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Beacon.IntegrationTests.Infrastructure;
using static Beacon.IntegrationTests.Infrastructure.InMemoryClusterFixture;

namespace Beacon.IntegrationTests;

/// <summary>
/// Every figure is named once, in the catalogue the gateway serves: each one is in a county's summary (with its
/// numerator, denominator and target where it has them), in the province's export, and in a reconcile report.
/// </summary>
[Collection(InMemoryClusterCollection.Name)]
public sealed class FigureCatalogueTests(InMemoryClusterFixture fixture)
{
    private BeaconCluster Cluster => fixture.Cluster;

    private async Task<JsonObject[]> CatalogueAsync()
    {
        var catalogue = (await Cluster.GetAsync("/api/figures", TestTokens.CountyAdmin(Longxi))).Expect(HttpStatusCode.OK).Json.AsArray()
            .Select(f => f!.AsObject()).ToArray();
        Assert.True(catalogue.Length >= 40, $"only {catalogue.Length} figures");
        Assert.Equal(catalogue.Length, catalogue.Select(f => f["key"]!.GetValue<string>()).Distinct().Count());
        return catalogue;
    }

    private static JsonNode? At(JsonNode node, string path, out bool present)
    {
        JsonNode? at = node;
        present = true;
        foreach (var part in path.Split('.'))
        {
            if (at is not JsonObject o || !o.ContainsKey(part)) { present = false; return null; }
            at = o[part];
        }
        return at;
    }

    [Fact]
    public async Task Each_figure_of_the_catalogue_is_in_the_summary_with_its_numerator_denominator_and_target()
    {
        var summary = await Cluster.SummaryAsync(Longxi, TestTokens.CountyAdmin(Longxi));
        foreach (var figure in await CatalogueAsync())
        {
            var key = figure["key"]!.GetValue<string>();
            Assert.False(string.IsNullOrWhiteSpace(figure["label"]?["zh"]?.GetValue<string>()), $"{key} has no Chinese label");
            Assert.False(string.IsNullOrWhiteSpace(figure["label"]?["en"]?.GetValue<string>()), $"{key} has no English label");
            foreach (var part in new[] { "value", "numerator", "denominator", "target" })
            {
                if (figure[part]?.GetValue<string>() is not { } path) continue;
                var value = At(summary, path, out var present);
                Assert.True(present, $"figure {key}: its {part} '{path}' is not in the summary");
                // Only the median of no resolved issue may be null.
                Assert.True(value is JsonValue v && v.TryGetValue<double>(out _) || path == "issues.medianDaysToResolve",
                    $"figure {key}: its {part} '{path}' is {value?.ToJsonString() ?? "null"}, not a number");
            }
            if (figure["format"]!.GetValue<string>() == "rate")
            {
                var rate = At(summary, figure["value"]!.GetValue<string>(), out _)!.GetValue<double>();
                var n = At(summary, figure["numerator"]!.GetValue<string>(), out _)!.GetValue<double>();
                var d = At(summary, figure["denominator"]!.GetValue<string>(), out _)!.GetValue<double>();
                Assert.Equal(d == 0 ? 0 : Math.Round(n / d, 4), rate, 4);
            }
        }
        // The county-wide linkage is in the summary itself, so that no page or export computes it.
        Assert.Equal(summary.Int("base"), summary.Int("linkage.area"));
        Assert.Equal(summary["instructors"]!["groupsBelowTwoFullTime"]!.AsArray().Count, summary.Int("instructors.groupsBelowStrength"));
    }

    [Fact]
    public async Task Each_figure_of_the_catalogue_is_a_column_of_the_province_export_and_in_the_reconcile_report()
    {
        var catalogue = await CatalogueAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/provinces/{Gansu}/comparison.csv");
        request.Headers.Authorization = new("Bearer", TestTokens.Overseer(Gansu));
        using var csv = await Cluster.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        var headers = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF').Split("\r\n")[0].Split(',');
        foreach (var figure in catalogue)
            Assert.Contains(figure["label"]!["zh"]!.GetValue<string>(), headers);

        var report = (await Cluster.PostAsync($"/api/counties/{Longxi}/reconcile", TestTokens.CountyAdmin(Longxi))).Expect(HttpStatusCode.OK).Object;
        var reported = report["figures"]!.AsArray().Select(f => f!["figure"]!.GetValue<string>()).ToHashSet();
        foreach (var figure in catalogue)
            Assert.Contains(figure["key"]!.GetValue<string>(), reported);
    }

    [Fact]
    public async Task The_province_comparison_workbook_is_valid_open_xml_with_rates_as_percentages_and_a_frozen_header()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/provinces/{Gansu}/comparison.xlsx");
        request.Headers.Authorization = new("Bearer", TestTokens.Overseer(Gansu));
        using var response = await Cluster.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Workbooks.AssertValid(bytes);
        using var workbook = new XlsxReader(bytes);
        Assert.Equal("A2", workbook.FrozenAt);
        var header = workbook.Row(1);
        var rates = FigureCatalogue.All.Where(f => f.Format == FigureFormat.Rate).ToList();
        Assert.NotEmpty(rates);
        foreach (var rate in rates)
        {
            var column = PrefectureTests.WorkbookColumn(header.IndexOf(rate.Label.Zh));
            Assert.Equal("0.0%", workbook.NumberFormat($"{column}2"));
            Assert.NotNull(workbook.Text($"{column}2"));   // the fraction, shown as a percentage
        }
        Assert.Equal("General", workbook.NumberFormat("B2"));
    }
}
