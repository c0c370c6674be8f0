using System.Net;
using Beacon.IntegrationTests.Infrastructure;
using static Beacon.IntegrationTests.Infrastructure.InMemoryClusterFixture;

namespace Beacon.IntegrationTests;

/// <summary>
/// A county's trend and its summary as of a day, through the real gateway and silo: today's point is the live
/// figure with its numerator and denominator, the days before the first snapshot have none, and every bad parameter
/// is a 400 naming it.
/// </summary>
[Collection(InMemoryClusterCollection.Name)]
public sealed class TrendApiTests(InMemoryClusterFixture fixture)
{
    private BeaconCluster Cluster => fixture.Cluster;
    private static readonly string Admin = TestTokens.CountyAdmin(Longxi);
    private static string Api => $"/api/counties/{Longxi}";
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));

    [Fact]
    public async Task Todays_point_is_the_live_figure_and_a_county_loaded_today_has_no_earlier_point()
    {
        var summary = await Cluster.SummaryAsync(Longxi, Admin);
        var monthly = (await Cluster.GetAsync($"{Api}/trend?figure=orgCoverage", Admin)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(("orgCoverage", "month"), (monthly["figure"]!.GetValue<string>(), monthly["step"]!.GetValue<string>()));
        var point = Assert.Single(monthly["points"]!.AsArray())!;
        Assert.Equal(Today.ToString("yyyy-MM-dd"), point["date"]!.GetValue<string>());
        Assert.Equal(summary["orgCoverage"]!.GetValue<double>(), point["value"]!.GetValue<double>());
        Assert.Equal(summary.Int("orgCovered"), point.Int("numerator"));
        Assert.Equal(summary.Int("base"), point.Int("denominator"));

        var daily = (await Cluster.GetAsync($"{Api}/trend?figure=linkage&step=day&from={Today.AddDays(-5):yyyy-MM-dd}", Admin)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(summary.Int("linkage.linked"), Assert.Single(daily["points"]!.AsArray())!.Int("numerator"));

        // As of today is the live summary; no day before the first snapshot has one; no day to come.
        var today = (await Cluster.GetAsync($"{Api}/summary?asOf={Today:yyyy-MM-dd}", Admin)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(summary.Int("registered"), today.Int("registered"));
        (await Cluster.GetAsync($"{Api}/summary?asOf={Today.AddDays(-30):yyyy-MM-dd}", Admin)).Expect(HttpStatusCode.NotFound);
        Assert.Equal(["asOf"], (await Cluster.GetAsync($"{Api}/summary?asOf={Today.AddDays(1):yyyy-MM-dd}", Admin)).Expect(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Equal(["asOf"], (await Cluster.GetAsync($"{Api}/summary?asOf=2026-02-30", Admin)).Expect(HttpStatusCode.BadRequest).ErrorFields);
    }

    public static TheoryData<string, string> BadQueries => new()
    {
        { "", "figure" },
        { "figure=noSuchFigure", "figure" },
        { "figure=orgCoverage&step=week", "step" },
        { "figure=orgCoverage&from=2026-13", "from" },
        { "figure=orgCoverage&to=2999-01", "to" },
        { "figure=orgCoverage&from=2026-06&to=2026-01", "from" },
        { "figure=orgCoverage&from=2000-01&to=2025-01", "from" },
        { "figure=orgCoverage&step=day&from=2020-01-01&to=2025-01-01", "from" },
        { "figure=orgCoverage&step=day&from=2026-01", "from" },
    };

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task A_bad_trend_query_is_a_400_naming_its_parameter(string query, string field)
    {
        var refused = (await Cluster.GetAsync($"{Api}/trend?{query}", Admin)).Expect(HttpStatusCode.BadRequest);
        Assert.Equal([field], refused.ErrorFields);
    }
}
