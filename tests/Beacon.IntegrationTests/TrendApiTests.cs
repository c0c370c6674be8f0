using System.Net;
using Beacon.IntegrationTests.Infrastructure;
using static Beacon.IntegrationTests.Infrastructure.InMemoryClusterFixture;

namespace Beacon.IntegrationTests;

/// <summary>
/// A county's trend and its summary as of a day, through the real gateway and silo, over the demo's kept past:
/// today's point is the live figure with its numerator and denominator, a past day reads as it ended, and every bad
/// parameter is a 400 naming it.
/// </summary>
[Collection(InMemoryClusterCollection.Name)]
public sealed class TrendApiTests(InMemoryClusterFixture fixture)
{
    private BeaconCluster Cluster => fixture.Cluster;
    private static readonly string Admin = TestTokens.CountyAdmin(Longxi);
    private static string Api => $"/api/counties/{Longxi}";
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));

    [Fact]
    public async Task Todays_point_is_the_live_figure_after_the_month_ends_the_demo_kept_and_a_past_day_reads_as_it_ended()
    {
        var summary = await Cluster.SummaryAsync(Longxi, Admin);
        var monthly = (await Cluster.GetAsync($"{Api}/trend?figure=orgCoverage", Admin)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(("orgCoverage", "month"), (monthly["figure"]!.GetValue<string>(), monthly["step"]!.GetValue<string>()));
        var points = monthly["points"]!.AsArray();
        // The last twelve months: eleven month-ends of the demo's past, then today's live figure.
        Assert.Equal(12, points.Count);
        var first = new DateOnly(Today.Year, Today.Month, 1).AddMonths(-11);
        Assert.Equal(first.AddMonths(1).AddDays(-1).ToString("yyyy-MM-dd"), points[0]!["date"]!.GetValue<string>());
        var point = points[^1]!;
        Assert.Equal(Today.ToString("yyyy-MM-dd"), point["date"]!.GetValue<string>());
        Assert.Equal(summary["orgCoverage"]!.GetValue<double>(), point["value"]!.GetValue<double>());
        Assert.Equal(summary.Int("orgCovered"), point.Int("numerator"));
        Assert.Equal(summary.Int("base"), point.Int("denominator"));
        Assert.True(points[0]!.Int("numerator") <= point.Int("numerator"), monthly.ToJsonString());

        // 陇西's members two years back, as its seed gives them.
        var members = (await Cluster.GetAsync($"{Api}/trend?figure=membersShare&from={first.AddMonths(-13):yyyy-MM}&to={first.AddMonths(-13):yyyy-MM}", Admin)).Expect(HttpStatusCode.OK).Json;
        var then = Assert.Single(members["points"]!.AsArray())!;
        Assert.Equal((155, 0.0146), (then.Int("numerator"), then["value"]!.GetValue<double>()));

        // By day: a day of last month reads as the month's end kept before it; today is live.
        var daily = (await Cluster.GetAsync($"{Api}/trend?figure=linkage&step=day&from={Today.AddDays(-3):yyyy-MM-dd}", Admin)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(4, daily["points"]!.AsArray().Count);
        Assert.Equal(summary.Int("linkage.linked"), daily["points"]!.AsArray()[^1]!.Int("numerator"));

        // As of a day: today is the live summary, a past day its snapshot, none before the demo's past, none to come.
        var today = (await Cluster.GetAsync($"{Api}/summary?asOf={Today:yyyy-MM-dd}", Admin)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(summary.Int("registered"), today.Int("registered"));
        var past = (await Cluster.GetAsync($"{Api}/summary?asOf={first.AddDays(-1):yyyy-MM-dd}", Admin)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(points[0]!.Int("numerator"), (await Cluster.GetAsync($"{Api}/summary?asOf={first.AddMonths(1).AddDays(-1):yyyy-MM-dd}", Admin)).Json.Int("orgCovered"));
        Assert.True(past.Int("orgCovered") <= points[0]!.Int("numerator"));
        (await Cluster.GetAsync($"{Api}/summary?asOf={Today.AddYears(-3):yyyy-MM-dd}", Admin)).Expect(HttpStatusCode.NotFound);
        Assert.Equal(["asOf"], (await Cluster.GetAsync($"{Api}/summary?asOf={Today.AddDays(1):yyyy-MM-dd}", Admin)).Expect(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Equal(["asOf"], (await Cluster.GetAsync($"{Api}/summary?asOf=2026-02-30", Admin)).Expect(HttpStatusCode.BadRequest).ErrorFields);
    }

    [Fact]
    public async Task A_province_and_a_prefecture_have_a_series_per_county_and_totals_from_the_summed_numerators()
    {
        var overseer = TestTokens.Overseer(Gansu);
        var province = (await Cluster.GetAsync($"/api/provinces/{Gansu}/trend?figure=orgCoverage", overseer)).Expect(HttpStatusCode.OK).Json;
        var counties = province["counties"]!.AsArray();
        Assert.Contains(counties, c => c!["county"]!.GetValue<string>() == Longxi);
        var totals = province["totals"]!.AsArray();
        Assert.Equal(12, totals.Count);
        var last = totals[^1]!;
        var numerator = counties.Sum(c => c!["points"]!.AsArray()[^1]!.Int("numerator"));
        var denominator = counties.Sum(c => c!["points"]!.AsArray()[^1]!.Int("denominator"));
        Assert.Equal((numerator, denominator), (last.Int("numerator"), last.Int("denominator")));
        Assert.Equal(Math.Round((double)numerator / denominator, 4), last["value"]!.GetValue<double>());

        // 定西市 holds 陇西 alone among the demo's counties.
        var prefecture = (await Cluster.GetAsync($"/api/prefectures/621100/trend?figure=registered&step=day&from={Today.AddDays(-2):yyyy-MM-dd}",
            TestTokens.PrefectureOverseer("621100"))).Expect(HttpStatusCode.OK).Json;
        var only = Assert.Single(prefecture["counties"]!.AsArray())!;
        Assert.Equal(Longxi, only["county"]!.GetValue<string>());
        Assert.Equal(only["points"]!.ToJsonString(), prefecture["totals"]!.ToJsonString());
        Assert.Equal(["figure"], (await Cluster.GetAsync($"/api/provinces/{Gansu}/trend?figure=nope", overseer)).Expect(HttpStatusCode.BadRequest).ErrorFields);
    }

    [Fact]
    public async Task The_comparison_as_of_a_day_and_its_changes_over_a_month_and_a_year_come_from_the_counties_snapshots()
    {
        var overseer = TestTokens.Overseer(Gansu);
        var day = new DateOnly(Today.Year, Today.Month, 1).AddDays(-1);
        var then = (await Cluster.GetAsync($"/api/provinces/{Gansu}/comparison?asOf={day:yyyy-MM-dd}", overseer)).Expect(HttpStatusCode.OK).Json;
        var longxi = then["rows"]!.AsArray().Single(r => r!["county"]!.GetValue<string>() == Longxi)!;
        var kept = (await Cluster.GetAsync($"{Api}/summary?asOf={day:yyyy-MM-dd}", Admin)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(kept.Int("orgCovered"), longxi.Int("orgCovered"));
        Assert.Equal(then["rows"]!.AsArray().Sum(r => r!.Int("base")), then.Int("totals.base"));
        Assert.Equal(["asOf"], (await Cluster.GetAsync($"/api/provinces/{Gansu}/comparison?asOf={Today.AddDays(1):yyyy-MM-dd}", overseer)).Expect(HttpStatusCode.BadRequest).ErrorFields);
        var prefecture = (await Cluster.GetAsync($"/api/prefectures/621100/comparison?asOf={day:yyyy-MM-dd}", TestTokens.PrefectureOverseer("621100"))).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(longxi.Int("orgCovered"), Assert.Single(prefecture["rows"]!.AsArray())!.Int("orgCovered"));

        var changes = (await Cluster.GetAsync($"/api/provinces/{Gansu}/comparison/changes?figure=orgCoverage", overseer)).Expect(HttpStatusCode.OK).Json;
        var row = changes["rows"]!.AsArray().Single(r => r!["county"]!.GetValue<string>() == Longxi)!;
        var now = (await Cluster.SummaryAsync(Longxi, Admin))["orgCoverage"]!.GetValue<double>();
        var monthAgo = (await Cluster.GetAsync($"{Api}/summary?asOf={Today.AddMonths(-1):yyyy-MM-dd}", Admin)).Json["orgCoverage"]!.GetValue<double>();
        var yearAgo = (await Cluster.GetAsync($"{Api}/summary?asOf={Today.AddYears(-1):yyyy-MM-dd}", Admin)).Json["orgCoverage"]!.GetValue<double>();
        Assert.Equal((now, monthAgo, yearAgo), (row["value"]!.GetValue<double>(), row["monthAgo"]!.GetValue<double>(), row["yearAgo"]!.GetValue<double>()));
        Assert.Equal(Math.Round(now - yearAgo, 4), row["yearChange"]!.GetValue<double>());
        Assert.True(row["yearChange"]!.GetValue<double>() > 0, "the demo's counties improved over the year");
        Assert.NotNull(changes["totals"]!["yearChange"]);
        Assert.Equal(["figure"], (await Cluster.GetAsync($"/api/provinces/{Gansu}/comparison/changes?figure=x", overseer)).Expect(HttpStatusCode.BadRequest).ErrorFields);
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
