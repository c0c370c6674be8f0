using System.Diagnostics;
using Beacon.Grains.Figures;

namespace Beacon.Load;

/// <summary>
/// Places, in process and on one core: a circle's members recomputed when an enterprise moves, for a county of 3,000
/// placed enterprises and six circles (what the county does for every publication while it has circles), and the
/// station planner for 4 stations over the same 3,000.
/// </summary>
public sealed class PlacesBench(Report report)
{
    private const int Enterprises = 3_000, Circles = 6, MoveRounds = 400, PlanRounds = 5;
    private static readonly GeoPoint Seat = new(35.0003, 104.6345);

    public void Run()
    {
        var random = new Random(20261203);
        // Enterprises around four park seats within some 6 km, as a county's development zone and towns are.
        GeoPoint[] parks = [Seat, new(35.02, 104.58), new(34.98, 104.70), new(35.05, 104.66)];
        var ledger = new CountyLedger();
        var points = new List<PlanPoint>();
        for (var i = 0; i < Enterprises; i++)
        {
            var park = parks[i % parks.Length];
            var metres = 3000 * Math.Sqrt(random.NextDouble());
            var at = Geo.Offset(park, metres, random.NextDouble() * 2 * Math.PI);
            var id = $"E{i:D5}";
            ledger.TryReplace(new EnterpriseContribution(id, 1, false, id, EnterpriseKind.Enterprise, true, FormationMode.None, null, 1, 20,
                null, null, null, $"镇{i % parks.Length}", false, false, Location: at), out _);
            points.Add(new PlanPoint(id, at, $"镇{i % parks.Length}"));
        }
        for (var k = 0; k < Circles; k++)
            ledger.TryReplace(new CircleContribution($"C{k}", 1, false, $"圈{k}", $"E{k * 7:D5}", null, null, 500, Geo.DefaultWalkMinutes), out _);

        CircleMembership.Figures(ledger, Enterprises); // warm
        var times = new List<double>();
        for (var round = 0; round < MoveRounds; round++)
        {
            var id = $"E{random.Next(Enterprises):D5}";
            var moved = (EnterpriseContribution)ledger.Find(EntityKind.Enterprise, id)!;
            ledger.TryReplace(moved with { Version = moved.Version + 1, Location = Geo.Offset(moved.Location!, 500, random.NextDouble() * 2 * Math.PI) }, out _);
            var clock = Stopwatch.StartNew();
            var figures = CircleMembership.Figures(ledger, Enterprises);
            times.Add(clock.Elapsed.TotalMilliseconds);
            if (figures.Circles != Circles) throw new InvalidOperationException("the circles went missing");
        }
        times.Sort();
        report.Add(new Figure("places", $"circles recomputed after an enterprise moves, {Enterprises:N0} enterprises, {Circles} circles (median of {MoveRounds})",
            times[times.Count / 2], "ms", Target: "< 10 ms", Met: times[times.Count / 2] < 10));
        report.Add(new Figure("places", $"… p99 of {MoveRounds}", times[(int)(times.Count * 0.99)], "ms", Target: "< 10 ms", Met: times[(int)(times.Count * 0.99)] < 10));

        foreach (var km in new[] { 1.0, 3.0 })
        {
            var plans = new List<double>();
            StationPlan? last = null;
            for (var round = 0; round < PlanRounds; round++)
            {
                var clock = Stopwatch.StartNew();
                last = StationPlanner.Plan(points, 4, km);
                plans.Add(clock.Elapsed.TotalMilliseconds);
            }
            report.Add(new Figure("places", $"station planner, 4 stations over {Enterprises:N0} enterprises within {km} km (worst of {PlanRounds}: {string.Join(", ", plans.Select(p => p.ToString("F0")))} ms; links {last!.Share:P0})",
                plans.Max(), "ms", Target: "< 2 s", Met: plans.Max() < 2000));
        }
    }
}
