using System.Diagnostics;
using System.Numerics;
using Xunit.Abstractions;

namespace Beacon.Tests;

/// <summary>
/// 科学布站: the station planner against a brute force of its own (every combination of sites, distances by
/// <see cref="Geo.Metres"/>), at the edge of the distance, on towns far apart, and on what it does with few points.
/// </summary>
public sealed class StationPlannerTests(ITestOutputHelper output)
{
    private static readonly string?[] Townships = ["城关镇", "东关镇", "西河乡", null];

    /// <summary>
    /// A few dozen enterprises over a county (about 30 × 30 km): some scattered, most around a few centres, a few sharing
    /// a location; ids not in the order of the list.
    /// </summary>
    private static List<PlanPoint> RandomPoints(int seed, int count)
    {
        var random = new Random(seed);
        var centres = Enumerable.Range(0, 3).Select(_ => (Lat: 30.1 + random.NextDouble() * 0.3, Lon: 120.0 + random.NextDouble() * 0.3)).ToArray();
        var points = new List<PlanPoint>();
        for (var i = 0; i < count; i++)
        {
            GeoPoint at;
            if (i > 0 && random.Next(8) == 0) at = points[random.Next(points.Count)].At;
            else if (random.Next(3) == 0) at = new GeoPoint(30.1 + random.NextDouble() * 0.3, 120.0 + random.NextDouble() * 0.3);
            else
            {
                var c = centres[random.Next(centres.Length)];
                at = new GeoPoint(c.Lat + (random.NextDouble() - 0.5) * 0.06, c.Lon + (random.NextDouble() - 0.5) * 0.06);
            }
            points.Add(new PlanPoint($"E{random.Next(100_000):D5}-{i}", at, Townships[random.Next(Townships.Length)]));
        }
        return points;
    }

    /// <summary>The most any <paramref name="k"/> of the points (as sites) link: every combination, counted by Geo.Metres.</summary>
    private static int BruteForce(IReadOnlyList<PlanPoint> points, int k, double maxKm)
    {
        var n = points.Count;
        Assert.InRange(n, 0, 64);
        var reach = new ulong[n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                if (Geo.Metres(points[i].At, points[j].At) <= maxKm * 1000) reach[i] |= 1UL << j;

        var best = 0;
        void Choose(int from, int left, ulong covered)
        {
            best = Math.Max(best, BitOperations.PopCount(covered));
            if (left == 0) return;
            for (var i = from; i < n; i++) Choose(i + 1, left - 1, covered | reach[i]);
        }
        Choose(0, Math.Min(k, n), 0);
        return best;
    }

    public static TheoryData<int, int, double> Cases()
    {
        var data = new TheoryData<int, int, double>();
        foreach (var seed in new[] { 1, 2, 3, 5, 8, 13 })
            foreach (var km in new[] { 1.5, 4, 9 })
                for (var k = 1; k <= 4; k++)
                    data.Add(seed, k, km);
        return data;
    }

    private static int PointCount(int seed) => 24 + seed * 3 % 17;

    /// <summary>What any plan must be: its sites at its points, in the order of choice, and its figures its own.</summary>
    private static void AssertWellFormed(StationPlan plan, IReadOnlyList<PlanPoint> points, int k, double maxKm)
    {
        Assert.Equal(points.Count, plan.Points);
        Assert.InRange(plan.Sites.Length, points.Count == 0 ? 0 : 1, k);
        Assert.Equal(plan.Sites.Length, plan.Sites.Select(s => s.NearId).Distinct().Count());
        var byId = points.ToDictionary(p => p.Id);
        foreach (var site in plan.Sites)
        {
            var at = byId[site.NearId];
            Assert.Equal(at.At, site.At);
            Assert.Equal(at.Township, site.Township);
            Assert.True(site.Links > 0);
        }
        // Each site adds what the ones before it do not, so that (greedily ordered) the additions never grow.
        Assert.Equal(plan.Sites.OrderByDescending(s => s.Links).Select(s => s.Links), plan.Sites.Select(s => s.Links));
        Assert.Equal(plan.Sites.Sum(s => s.Links), plan.Linked);
        Assert.Equal(StationPlanner.LinkedBy([.. plan.Sites.Select(s => s.At)], points, maxKm), plan.Linked);
        Assert.Equal(points.Count == 0 ? 0 : (double)plan.Linked / points.Count, plan.Share);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_plan_links_as_many_as_the_best_choice_of_sites_found_by_brute_force(int seed, int k, double maxKm)
    {
        var points = RandomPoints(seed, PointCount(seed));
        var plan = StationPlanner.Plan(points, k, maxKm);
        AssertWellFormed(plan, points, k, maxKm);
        Assert.Equal(BruteForce(points, k, maxKm), plan.Linked);
        Assert.True(plan.Exact);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_heuristic_alone_greedy_and_swaps_links_at_least_nine_tenths_of_the_optimum(int seed, int k, double maxKm)
    {
        var points = RandomPoints(seed, PointCount(seed));
        var plan = StationPlanner.Plan(points, k, maxKm, exhaustiveLimit: 0);
        AssertWellFormed(plan, points, k, maxKm);
        var optimum = BruteForce(points, k, maxKm);
        // It claims exactness only when that is proven (everything linked, or as many as the largest reaches together).
        if (plan.Exact) Assert.Equal(optimum, plan.Linked);
        Assert.InRange(plan.Linked, (int)Math.Ceiling(0.9 * optimum), optimum);
    }

    [Fact]
    public void The_heuristic_alone_misses_the_optimum_on_one_of_these_seventy_two_cases_by_one_enterprise()
    {
        // Greedy with 1-swaps is not exact in general: on these cases it misses once, seed 13 with 3 stations at 9 km
        // (24 of the 25 the best three sites link). The planner's default path searches exhaustively there and is exact.
        var misses = new List<string>();
        foreach (var c in Cases())
        {
            var (seed, k, maxKm) = ((int)c[0], (int)c[1], (double)c[2]);
            var points = RandomPoints(seed, PointCount(seed));
            var heuristic = StationPlanner.Plan(points, k, maxKm, exhaustiveLimit: 0).Linked;
            var optimum = BruteForce(points, k, maxKm);
            if (heuristic != optimum) misses.Add($"seed {seed}, k {k}, {maxKm} km: {heuristic} of {optimum}");
            Assert.Equal(optimum, StationPlanner.Plan(points, k, maxKm).Linked);
        }
        output.WriteLine(string.Join(Environment.NewLine, misses));
        Assert.Equal(["seed 13, k 3, 9 km: 24 of 25"], misses);
    }

    [Fact]
    public void Greedy_is_put_right_by_a_swap_and_only_the_exhaustive_search_proves_the_optimum()
    {
        // Groups along a meridian, 1 km apart, 1.2 km of reach: -1 km (2), 0 (5), 1 km (1), 2 km (5), 3 km (2), and one
        // far away at 10 km. The middle enterprise reaches most (11), but the best pair is the groups at 0 and 2 km (15).
        var groups = new (double Km, int Count)[] { (-1.0, 2), (0.0, 5), (1.0, 1), (2.0, 5), (3.0, 2), (10.0, 1) };
        var points = new List<PlanPoint>();
        foreach (var (km, count) in groups)
            for (var i = 0; i < count; i++)
                points.Add(new PlanPoint($"g{km:+0;-0}-{i}", new GeoPoint(30 + km * 1000 / (6_371_008.8 * Math.PI / 180), 120), null));
        Assert.Equal(15, BruteForce(points, 2, 1.2));

        var heuristic = StationPlanner.Plan(points, 2, 1.2, exhaustiveLimit: 0);
        Assert.Equal(15, heuristic.Linked);
        Assert.False(heuristic.Exact); // the two largest reaches (11 + 8) would allow all 16: nothing proves 15 the most

        var plan = StationPlanner.Plan(points, 2, 1.2);
        Assert.Equal(15, plan.Linked);
        Assert.True(plan.Exact);
        Assert.Equal([("g+0-0", 8), ("g+2-0", 7)], plan.Sites.Select(s => (s.NearId, s.Links)));
        Assert.Equal(plan.Sites, heuristic.Sites);
    }

    /// <summary>The point due <paramref name="bearing"/> (north, east, south-west…) of <paramref name="from"/> at <paramref name="metres"/>, by bisection on Geo.Metres.</summary>
    private static GeoPoint At(GeoPoint from, double metres, (double Lat, double Lon) bearing)
    {
        double lo = 0, hi = 0.01;
        GeoPoint Step(double t) => new(from.Lat + bearing.Lat * t, from.Lon + bearing.Lon * t);
        while (Geo.Metres(from, Step(hi)) < metres) hi *= 2;
        for (var i = 0; i < 200; i++)
        {
            var mid = (lo + hi) / 2;
            if (Geo.Metres(from, Step(mid)) < metres) lo = mid; else hi = mid;
        }
        return Step(lo);
    }

    [Theory]
    [InlineData(1.0, 0.0)]
    [InlineData(0.0, 1.0)]
    [InlineData(-0.7, -0.7)]
    [InlineData(0.3, -1.0)]
    public void A_point_just_within_the_distance_is_linked_and_one_just_beyond_is_not(double north, double east)
    {
        var centre = new GeoPoint(31.2, 121.4);
        foreach (var (metres, linked) in new[] { (4_999.0, true), (5_001.0, false) })
        {
            var other = At(centre, metres, (north, east));
            Assert.InRange(Geo.Metres(centre, other), metres - 0.01, metres + 0.01);
            PlanPoint[] points = [new("A", centre, "城关镇"), new("B", other, "城关镇")];
            var plan = StationPlanner.Plan(points, 1, 5);
            Assert.Equal(linked ? 2 : 1, plan.Linked);
            Assert.Equal("A", plan.Sites[0].NearId); // a tie between A and B goes to the first id
            Assert.Equal(linked ? 2 : 1, StationPlanner.LinkedBy([centre], points, 5));
            Assert.Equal(linked ? 2 : 1, StationPlanner.LinkedBy([other], points, 5));
            Assert.True(plan.Exact);
        }
    }

    [Fact]
    public void Of_three_towns_far_apart_two_stations_go_to_the_two_biggest_and_link_more_than_todays()
    {
        var random = new Random(7);
        var towns = new[] { (Name: "甲镇", Lat: 30.00, Lon: 120.00, Count: 25), (Name: "乙镇", Lat: 30.55, Lon: 120.62, Count: 15), (Name: "丙镇", Lat: 29.60, Lon: 119.45, Count: 8) };
        var points = new List<PlanPoint>();
        foreach (var town in towns)
            for (var i = 0; i < town.Count; i++)
                points.Add(new PlanPoint($"{town.Name}{i:D2}", new GeoPoint(town.Lat + (random.NextDouble() - 0.5) * 0.016, town.Lon + (random.NextDouble() - 0.5) * 0.018), town.Name));
        // Shuffled: the plan does not depend on the order of the list.
        points = [.. points.OrderBy(_ => random.Next())];

        var plan = StationPlanner.Plan(points, 2, 3);
        Assert.Equal(new string?[] { "甲镇", "乙镇" }, plan.Sites.Select(s => s.Township));
        Assert.Equal([25, 15], plan.Sites.Select(s => s.Links));
        Assert.Equal(40, plan.Linked);
        Assert.Equal(48, plan.Points);
        Assert.Equal(40.0 / 48, plan.Share);
        Assert.True(plan.Exact);
        AssertWellFormed(plan, points, 2, 3);

        // Today's stations: one in the smallest town, one in the fields between the others.
        GeoPoint[] today = [new(29.60, 119.45), new(30.27, 120.31)];
        var todayLinked = StationPlanner.LinkedBy(today, points, 3);
        Assert.Equal(8, todayLinked);
        Assert.True(plan.Linked > todayLinked);
        Assert.Equal(plan.Linked, StationPlanner.LinkedBy([.. plan.Sites.Select(s => s.At)], points, 3));
    }

    [Fact]
    public void A_proposed_site_has_the_township_of_the_enterprise_it_sits_at()
    {
        PlanPoint[] points =
        [
            new("Z1", new GeoPoint(30.000, 120.000), "城关镇"),
            new("Z2", new GeoPoint(30.001, 120.001), "城关镇"),
            new("Y1", new GeoPoint(30.300, 120.300), null),
            new("X1", new GeoPoint(30.600, 120.000), "西河乡"),
            new("X2", new GeoPoint(30.601, 120.000), "东关镇"),
            new("X3", new GeoPoint(30.609, 120.000), "西河乡"),
        ];
        var plan = StationPlanner.Plan(points, 3, 1);
        // X2 reaches X1 and X3 (about 0.1 and 0.9 km), the others reach only part of the three.
        Assert.Equal(new (string, string?, int)[] { ("X2", "东关镇", 3), ("Z1", "城关镇", 2), ("Y1", null, 1) }, plan.Sites.Select(s => (s.NearId, s.Township, s.Links)));
        Assert.Equal(6, plan.Linked);
        Assert.Equal(1.0, plan.Share);
    }

    [Fact]
    public void Ties_go_to_the_first_id_whatever_the_order_of_the_list()
    {
        PlanPoint[] apart = [new("b", new GeoPoint(30, 120), "乙"), new("a", new GeoPoint(30.5, 120), "甲")];
        Assert.Equal("a", StationPlanner.Plan(apart, 1, 2).Sites.Single().NearId);
        Assert.Equal("a", StationPlanner.Plan([.. apart.Reverse()], 1, 2).Sites.Single().NearId);

        var points = RandomPoints(4, 40);
        var plan = StationPlanner.Plan(points, 3, 4);
        for (var seed = 0; seed < 5; seed++)
        {
            var random = new Random(seed);
            var shuffled = points.OrderBy(_ => random.Next()).ToList();
            var again = StationPlanner.Plan(shuffled, 3, 4);
            Assert.Equal(plan.Sites, again.Sites);
            Assert.Equal((plan.Linked, plan.Exact), (again.Linked, again.Exact));
            var heuristic = StationPlanner.Plan(points, 3, 4, exhaustiveLimit: 0);
            Assert.Equal(heuristic.Sites, StationPlanner.Plan(shuffled, 3, 4, exhaustiveLimit: 0).Sites);
        }
    }

    [Fact]
    public void Without_points_there_is_nothing_to_place_and_with_few_there_are_fewer_sites()
    {
        var none = StationPlanner.Plan([], 4, 5);
        Assert.Empty(none.Sites);
        Assert.Equal((0, 0, 0.0, true), (none.Linked, none.Points, none.Share, none.Exact));
        Assert.Equal(0, StationPlanner.LinkedBy([new GeoPoint(30, 120)], [], 5));
        Assert.Equal(0, StationPlanner.LinkedBy([], [new PlanPoint("a", new GeoPoint(30, 120), null)], 5));

        // Two enterprises far apart, five stations asked for: two sites.
        PlanPoint[] two = [new("a", new GeoPoint(30, 120), null), new("b", new GeoPoint(31, 121), null)];
        var plan = StationPlanner.Plan(two, 5, 10);
        Assert.Equal(["a", "b"], plan.Sites.Select(s => s.NearId));
        Assert.Equal((2, 1.0, true), (plan.Linked, plan.Share, plan.Exact));

        // Everyone at one address: one site links them all, a second would link nothing more.
        var together = Enumerable.Range(0, 7).Select(i => new PlanPoint($"p{i}", new GeoPoint(30, 120), "城关镇")).ToArray();
        var one = StationPlanner.Plan(together, 3, 1);
        Assert.Equal([("p0", 7)], one.Sites.Select(s => (s.NearId, s.Links)));
        Assert.True(one.Exact);
    }

    [Theory]
    [InlineData(0, 5.0)]
    [InlineData(11, 5.0)]
    [InlineData(2, 0.0)]
    [InlineData(2, -1.0)]
    [InlineData(2, 50.001)]
    [InlineData(2, double.NaN)]
    [InlineData(2, double.PositiveInfinity)]
    public void Stations_outside_1_to_10_or_a_distance_outside_0_to_50_km_are_refused(int stations, double maxKm)
    {
        PlanPoint[] points = [new("a", new GeoPoint(30, 120), null)];
        Assert.Throws<ArgumentOutOfRangeException>(() => StationPlanner.Plan(points, stations, maxKm));
        if (stations == 2) Assert.Throws<ArgumentOutOfRangeException>(() => StationPlanner.LinkedBy([new GeoPoint(30, 120)], points, maxKm));
    }

    [Fact]
    public void Ten_stations_and_fifty_km_are_allowed_and_a_location_off_the_globe_is_refused()
    {
        var points = RandomPoints(9, 30);
        var plan = StationPlanner.Plan(points, 10, 50);
        Assert.Equal(30, plan.Linked);
        Assert.Throws<ArgumentException>(() => StationPlanner.Plan([new PlanPoint("a", new GeoPoint(double.NaN, 120), null)], 1, 5));
        Assert.Throws<ArgumentException>(() => StationPlanner.Plan([new PlanPoint("a", new GeoPoint(30, 190), null)], 1, 5));
    }

    [Fact]
    public void Three_thousand_enterprises_four_stations_five_km_a_county_sized_plan()
    {
        // A county about 60 × 60 km: a town of a thousand, a few of hundreds, villages, scattered workshops.
        var random = new Random(2026);
        var centres = new[] { (30.30, 120.30, 1000, 0.05), (30.10, 120.05, 500, 0.04), (30.50, 120.50, 400, 0.04), (30.05, 120.55, 300, 0.03) };
        var points = new List<PlanPoint>();
        foreach (var (lat, lon, count, spread) in centres)
            for (var i = 0; i < count; i++)
                points.Add(new PlanPoint($"C{points.Count:D4}", new GeoPoint(lat + Normal(random) * spread, lon + Normal(random) * spread), null));
        while (points.Count < 3000)
            points.Add(new PlanPoint($"C{points.Count:D4}", new GeoPoint(30.0 + random.NextDouble() * 0.55, 120.0 + random.NextDouble() * 0.62), null));

        var clock = Stopwatch.StartNew();
        var plan = StationPlanner.Plan(points, 4, 5);
        var planned = clock.Elapsed;
        var heuristic = StationPlanner.Plan(points, 4, 5, exhaustiveLimit: 0);
        output.WriteLine($"3,000 enterprises, 4 stations, 5 km: {planned.TotalMilliseconds:F0} ms (heuristic alone {(clock.Elapsed - planned).TotalMilliseconds:F0} ms); " +
                         $"links {plan.Linked} ({plan.Share:P1}), exact {plan.Exact}; sites {string.Join(", ", plan.Sites.Select(s => $"{s.NearId}+{s.Links}"))}");

        AssertWellFormed(plan, points, 4, 5);
        Assert.Equal(4, plan.Sites.Length);
        Assert.True(heuristic.Linked <= plan.Linked);
        Assert.True(heuristic.Linked >= 0.9 * plan.Linked);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
