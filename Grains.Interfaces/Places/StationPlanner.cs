using System.Numerics;

namespace Beacon;

/// <summary>
/// A base enterprise the station planner works over: what a station links when it lies within reach, and a place a
/// proposed station may sit at.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PlanPoint([property: Id(0)] string Id, [property: Id(1)] GeoPoint At, [property: Id(2)] string? Township);

/// <summary>
/// A proposed station, at the enterprise <paramref name="NearId"/> (its location and township), and how many enterprises
/// it links that the sites chosen before it do not (<see cref="StationPlan.Sites"/> is in the order of choice).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PlannedSite(
    [property: Id(0)] string NearId,
    [property: Id(1)] GeoPoint At,
    [property: Id(2)] string? Township,
    [property: Id(3)] int Links);

/// <summary>
/// 科学布站: where to put the stations so that they link as many enterprises as they can. <see cref="Linked"/> of the
/// <see cref="Points"/> enterprises lie within reach of a site (<see cref="Share"/> = Linked / Points, 0 without points);
/// <see cref="Exact"/> says whether no other choice of as many sites links more (proven, not hoped).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StationPlan(
    [property: Id(0)] PlannedSite[] Sites,
    [property: Id(1)] int Linked,
    [property: Id(2)] int Points,
    [property: Id(3)] double Share,
    [property: Id(4)] bool Exact);

/// <summary>
/// The station planner: place up to k stations at enterprises so that as many enterprises as possible lie within a
/// distance of one (maximum coverage). Each enterprise's reach is a bitset over all enterprises, found through a grid of
/// cells at least the distance wide (no n² distances); enterprises whose reach is the same as another's, or lies inside
/// another's, are dropped as sites (a better or equal site is always at hand). When the choices left are few enough
/// (<see cref="ExhaustiveLimit"/> combinations) they are all tried, with a bound that skips what cannot win; otherwise the
/// answer is greedy (each step the site adding most) improved by swapping one site for another while that links more.
/// Deterministic: of equal choices, the enterprise first by <see cref="PlanPoint.Id"/> (ordinal) wins. A site that would
/// link nothing more is not proposed, so a plan may have fewer sites than asked for.
/// </summary>
public static class StationPlanner
{
    public const int MinStations = 1, MaxStations = 10;

    /// <summary>The largest distance a plan may ask for, in km.</summary>
    public const double MaxKm = 50;

    /// <summary>The combinations of sites an exhaustive search may try; above, the answer is the heuristic's.</summary>
    public const long ExhaustiveLimit = 200_000;

    // The reaches of all candidates are checked for one lying inside another only when that costs at most this many
    // word comparisons (a dense plan, everything within reach of everything, skips it: the heuristic is then easy).
    private const long DominanceBudget = 60_000_000;

    /// <summary>The plan of <paramref name="stations"/> stations over <paramref name="points"/> within <paramref name="maxKm"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">stations outside 1–10, or maxKm outside (0, 50].</exception>
    /// <exception cref="ArgumentException">A point without an id or with a location off the globe.</exception>
    public static StationPlan Plan(IReadOnlyList<PlanPoint> points, int stations, double maxKm) =>
        Plan(points, stations, maxKm, ExhaustiveLimit);

    /// <summary>As <see cref="Plan(IReadOnlyList{PlanPoint}, int, double)"/>, with another limit on the exhaustive search (0: the heuristic).</summary>
    internal static StationPlan Plan(IReadOnlyList<PlanPoint> points, int stations, double maxKm, long exhaustiveLimit)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (stations is < MinStations or > MaxStations)
            throw new ArgumentOutOfRangeException(nameof(stations), stations, $"stations must be {MinStations} to {MaxStations}");
        CheckKm(maxKm);
        CheckPoints(points);

        var n = points.Count;
        if (n == 0) return new StationPlan([], 0, 0, 0, true);

        // Candidates (and ties) in the order of their ids; the input's order does not matter.
        var sorted = Enumerable.Range(0, n).OrderBy(i => points[i].Id, StringComparer.Ordinal).ThenBy(i => i).Select(i => points[i]).ToArray();
        var reach = Reach.Build(sorted, maxKm * 1000);

        var candidates = reach.Candidates();
        var k = Math.Min(stations, candidates.Length);
        var plan = new Search(reach, candidates, k);

        var chosen = plan.Heuristic(out var linked);
        var exact = linked == n || k == candidates.Length || linked == plan.UpperBound();
        if (!exact && Combinations(candidates.Length, k) <= exhaustiveLimit)
        {
            chosen = plan.Exhaustive(chosen, linked, out linked);
            exact = true;
        }

        var sites = new List<PlannedSite>();
        foreach (var (c, links) in reach.InOrderOfChoice(chosen))
            sites.Add(new PlannedSite(sorted[c].Id, sorted[c].At, sorted[c].Township, links));
        var total = sites.Sum(s => s.Links);
        return new StationPlan([.. sites], total, n, (double)total / n, exact);
    }

    /// <summary>How many of <paramref name="points"/> lie within <paramref name="maxKm"/> of one of <paramref name="sites"/> (today's stations, say).</summary>
    public static int LinkedBy(IReadOnlyList<GeoPoint> sites, IReadOnlyList<PlanPoint> points, double maxKm)
    {
        ArgumentNullException.ThrowIfNull(sites);
        ArgumentNullException.ThrowIfNull(points);
        CheckKm(maxKm);
        CheckPoints(points);
        foreach (var s in sites)
            if (s is null || !OnGlobe(s)) throw new ArgumentException("a site has no location on the globe", nameof(sites));

        var metres = maxKm * 1000;
        // Latitude alone rules most pairs out: a great circle is at least as long as its difference of latitude.
        var latDegrees = metres / Reach.MetresPerDegreeLat * (1 + 1e-6);
        var linked = 0;
        foreach (var p in points)
        {
            foreach (var s in sites)
            {
                if (Math.Abs(s.Lat - p.At.Lat) > latDegrees || Geo.Metres(s, p.At) > metres) continue;
                linked++;
                break;
            }
        }
        return linked;
    }

    private static void CheckKm(double maxKm)
    {
        if (!(maxKm > 0 && maxKm <= MaxKm))
            throw new ArgumentOutOfRangeException(nameof(maxKm), maxKm, $"maxKm must be more than 0 and at most {MaxKm}");
    }

    private static void CheckPoints(IReadOnlyList<PlanPoint> points)
    {
        foreach (var p in points)
        {
            if (p is null || p.Id is null) throw new ArgumentException("a point has no id", nameof(points));
            if (p.At is null || !OnGlobe(p.At)) throw new ArgumentException($"point {p.Id} has no location on the globe", nameof(points));
        }
    }

    private static bool OnGlobe(GeoPoint p) => p.Lat is >= -90 and <= 90 && p.Lon is >= -180 and <= 180;

    /// <summary>C(m, k), as a double (exact while it matters: it is only compared with a limit).</summary>
    internal static double Combinations(int m, int k)
    {
        if (k < 0 || k > m) return 0;
        k = Math.Min(k, m - k);
        double c = 1;
        for (var i = 1; i <= k; i++) c = c * (m - k + i) / i;
        return Math.Round(c);
    }

    /// <summary>
    /// Each point's reach (the points within the distance of it, itself included) as a bitset. Bits are numbered in the
    /// order of the grid's cells, so that a reach, which spans few cells, spans few words: only those are stored
    /// (<see cref="Lo"/>, <see cref="Len"/>), and every operation runs over them alone.
    /// </summary>
    private sealed class Reach
    {
        // Geo's sphere: one degree of latitude, in metres.
        internal const double EarthRadiusMetres = 6_371_008.8;
        internal const double MetresPerDegreeLat = EarthRadiusMetres * Math.PI / 180;

        public readonly int N, Words;
        public readonly ulong[] Pool;
        public readonly int[] Offset, Lo, Len, Count;
        public readonly int[] BitToPoint;

        private Reach(int n, ulong[] pool, int[] offset, int[] lo, int[] len, int[] count, int[] bitToPoint)
        {
            N = n;
            Words = (n + 63) / 64;
            Pool = pool;
            Offset = offset;
            Lo = lo;
            Len = len;
            Count = count;
            BitToPoint = bitToPoint;
        }

        public static Reach Build(PlanPoint[] points, double metres)
        {
            var n = points.Length;
            double minLat = double.MaxValue, minLon = double.MaxValue, maxLon = double.MinValue, maxAbsLat = 0;
            foreach (var p in points)
            {
                minLat = Math.Min(minLat, p.At.Lat);
                minLon = Math.Min(minLon, p.At.Lon);
                maxLon = Math.Max(maxLon, p.At.Lon);
                maxAbsLat = Math.Max(maxAbsLat, Math.Abs(p.At.Lat));
            }

            // Cells at least the distance across: two points within reach lie in the same or adjacent cells. Latitude:
            // a great circle is at least R·|Δφ|. Longitude, from the haversine: sin(d/2R) ≥ cos φ₁ cos φ₂ |sin(Δλ/2)| ≥
            // cos Φ |sin(Δλ/2)| with Φ the largest |φ|, so |Δλ| ≤ 2·asin(sin(d/2R)/cos Φ). A margin for rounding; a cell
            // never narrower than 1e-7° (wider cells are only slower). Over the antimeridian or near a pole: one column.
            const double margin = 1 + 1e-6, minCell = 1e-7;
            var cellLat = Math.Max(metres / MetresPerDegreeLat * margin, minCell);
            var sinHalf = Math.Sin(metres / (2 * EarthRadiusMetres)) / Math.Cos(maxAbsLat * Math.PI / 180);
            var oneColumn = maxLon - minLon > 180 || !(sinHalf < 1);
            var cellLon = oneColumn ? 360 : Math.Max(2 * Math.Asin(sinHalf) * 180 / Math.PI * margin, minCell);

            var row = new long[n];
            var col = new long[n];
            var cells = new Dictionary<(long, long), List<int>>();
            for (var i = 0; i < n; i++)
            {
                row[i] = (long)Math.Floor((points[i].At.Lat - minLat) / cellLat);
                col[i] = oneColumn ? 0 : (long)Math.Floor((points[i].At.Lon - minLon) / cellLon);
                if (!cells.TryGetValue((row[i], col[i]), out var list)) cells[(row[i], col[i])] = list = [];
                list.Add(i);
            }

            var bitToPoint = Enumerable.Range(0, n).OrderBy(i => row[i]).ThenBy(i => col[i]).ThenBy(i => i).ToArray();
            var bitOf = new int[n];
            for (var b = 0; b < n; b++) bitOf[bitToPoint[b]] = b;

            var offset = new int[n];
            var lo = new int[n];
            var len = new int[n];
            var count = new int[n];
            var pool = new ulong[Math.Max(64, n)];
            var used = 0;
            var bits = new List<int>();
            for (var i = 0; i < n; i++)
            {
                bits.Clear();
                for (var dr = -1; dr <= 1; dr++)
                    for (var dc = -1; dc <= 1; dc++)
                    {
                        if (oneColumn && dc != 0) continue;
                        if (!cells.TryGetValue((row[i] + dr, col[i] + dc), out var list)) continue;
                        foreach (var j in list)
                            if (Math.Abs(points[j].At.Lat - points[i].At.Lat) <= cellLat && Geo.Metres(points[i].At, points[j].At) <= metres)
                                bits.Add(bitOf[j]);
                    }

                int first = int.MaxValue, last = int.MinValue;
                foreach (var b in bits)
                {
                    first = Math.Min(first, b >> 6);
                    last = Math.Max(last, b >> 6);
                }
                if (bits.Count == 0) first = last = bitOf[i] >> 6; // cannot happen (a point reaches itself), but stay whole
                var words = last - first + 1;
                if (used + words > pool.Length) Array.Resize(ref pool, Math.Max(pool.Length * 2, used + words));
                foreach (var b in bits) pool[used + (b >> 6) - first] |= 1UL << (b & 63);
                offset[i] = used;
                lo[i] = first;
                len[i] = words;
                count[i] = bits.Count;
                used += words;
            }
            return new Reach(n, pool, offset, lo, len, count, bitToPoint);
        }

        /// <summary>The points of <paramref name="c"/>'s reach not in <paramref name="covered"/> (a full-width bitset).</summary>
        public int Gain(int c, ulong[] covered)
        {
            var g = 0;
            int o = Offset[c], l = Lo[c];
            for (var t = 0; t < Len[c]; t++) g += BitOperations.PopCount(Pool[o + t] & ~covered[l + t]);
            return g;
        }

        public void Add(int c, ulong[] covered)
        {
            int o = Offset[c], l = Lo[c];
            for (var t = 0; t < Len[c]; t++) covered[l + t] |= Pool[o + t];
        }

        private ulong Word(int c, int w) => w >= Lo[c] && w < Lo[c] + Len[c] ? Pool[Offset[c] + w - Lo[c]] : 0;

        private bool SameReach(int a, int b)
        {
            if (Count[a] != Count[b]) return false;
            var from = Math.Min(Lo[a], Lo[b]);
            var to = Math.Max(Lo[a] + Len[a], Lo[b] + Len[b]);
            for (var w = from; w < to; w++)
                if (Word(a, w) != Word(b, w)) return false;
            return true;
        }

        private bool Inside(int a, int b)
        {
            for (var t = 0; t < Len[a]; t++)
                if ((Pool[Offset[a] + t] & ~Word(b, Lo[a] + t)) != 0) return false;
            return true;
        }

        private int ReachHash(int c)
        {
            var h = new HashCode();
            h.Add(Count[c]);
            for (var t = 0; t < Len[c]; t++)
                if (Pool[Offset[c] + t] != 0)
                {
                    h.Add(Lo[c] + t);
                    h.Add(Pool[Offset[c] + t]);
                }
            return h.ToHashCode();
        }

        /// <summary>
        /// The points worth trying as sites, in id order: of those with the same reach, the first; none whose reach lies
        /// strictly inside another's (a point inside a's reach is within reach of a, so only a's neighbours are checked).
        /// Dropping them loses nothing: a plan with one of them links at least as much with the other in its place.
        /// </summary>
        public int[] Candidates()
        {
            var kept = new bool[N];
            var distinct = new HashSet<int>(new ReachComparer(this));
            for (var c = 0; c < N; c++) kept[c] = distinct.Add(c);

            long cost = 0;
            for (var c = 0; c < N; c++)
                if (kept[c]) cost += (long)Count[c] * Len[c];
            if (cost <= DominanceBudget)
            {
                var dominated = new bool[N];
                for (var a = 0; a < N; a++)
                {
                    if (!kept[a]) continue;
                    for (var t = 0; t < Len[a] && !dominated[a]; t++)
                    {
                        var word = Pool[Offset[a] + t];
                        while (word != 0)
                        {
                            var b = BitToPoint[((Lo[a] + t) << 6) + BitOperations.TrailingZeroCount(word)];
                            word &= word - 1;
                            if (b == a || !kept[b] || Count[b] <= Count[a] || !Inside(a, b)) continue;
                            dominated[a] = true;
                            break;
                        }
                    }
                }
                for (var c = 0; c < N; c++) kept[c] &= !dominated[c];
            }
            return [.. Enumerable.Range(0, N).Where(c => kept[c])];
        }

        /// <summary>The sites in the order a greedy choice among them takes them, each with what it adds; none adding nothing.</summary>
        public IEnumerable<(int Site, int Links)> InOrderOfChoice(IReadOnlyCollection<int> sites)
        {
            var covered = new ulong[Words];
            var left = sites.Order().ToList();
            while (left.Count > 0)
            {
                int best = -1, bestGain = 0;
                foreach (var c in left)
                {
                    var g = Gain(c, covered);
                    if (g > bestGain) (best, bestGain) = (c, g);
                }
                if (best < 0) yield break;
                Add(best, covered);
                left.Remove(best);
                yield return (best, bestGain);
            }
        }

        private sealed class ReachComparer(Reach reach) : IEqualityComparer<int>
        {
            public bool Equals(int a, int b) => reach.SameReach(a, b);
            public int GetHashCode(int c) => reach.ReachHash(c);
        }
    }

    /// <summary>Choosing k sites among the candidates: the heuristic, a bound, and the exhaustive search.</summary>
    private sealed class Search(Reach reach, int[] candidates, int k)
    {
        /// <summary>Greedy, then 1-swaps (the best of all of them each round) while they link more.</summary>
        public List<int> Heuristic(out int linked)
        {
            var chosen = new List<int>();
            var taken = new HashSet<int>();
            var covered = new ulong[reach.Words];
            linked = 0;
            while (chosen.Count < k)
            {
                int best = -1, bestGain = 0;
                foreach (var c in candidates)
                {
                    if (taken.Contains(c)) continue;
                    var g = reach.Gain(c, covered);
                    if (g > bestGain) (best, bestGain) = (c, g);
                }
                if (best < 0) break; // everything is linked already
                chosen.Add(best);
                taken.Add(best);
                reach.Add(best, covered);
                linked += bestGain;
            }
            if (linked == reach.N) return chosen;

            var others = new ulong[reach.Words];
            while (true)
            {
                int bestValue = linked, bestAt = -1, bestSite = -1;
                for (var at = 0; at < chosen.Count; at++)
                {
                    Array.Clear(others);
                    var othersLinked = 0;
                    for (var i = 0; i < chosen.Count; i++)
                    {
                        if (i == at) continue;
                        othersLinked += reach.Gain(chosen[i], others);
                        reach.Add(chosen[i], others);
                    }
                    foreach (var c in candidates)
                    {
                        if (taken.Contains(c)) continue;
                        var value = othersLinked + reach.Gain(c, others);
                        if (value > bestValue) (bestValue, bestAt, bestSite) = (value, at, c);
                    }
                }
                if (bestAt < 0) return chosen;
                taken.Remove(chosen[bestAt]);
                taken.Add(bestSite);
                chosen[bestAt] = bestSite;
                linked = bestValue;
            }
        }

        /// <summary>No k sites link more than the k largest reaches together, nor more than all the points.</summary>
        public int UpperBound() =>
            (int)Math.Min(reach.N, candidates.Select(c => (long)reach.Count[c]).OrderDescending().Take(k).Sum());

        /// <summary>
        /// Every k-combination of the candidates, largest reaches first, skipping a branch when even its largest reaches
        /// cannot beat the best so far. Starts from <paramref name="start"/> (the heuristic's) and replaces it only by a
        /// choice that links more.
        /// </summary>
        public List<int> Exhaustive(List<int> start, int startLinked, out int linked)
        {
            var order = candidates.OrderByDescending(c => reach.Count[c]).ThenBy(c => c).ToArray();
            var m = order.Length;
            var prefix = new long[m + 1];
            for (var i = 0; i < m; i++) prefix[i + 1] = prefix[i] + reach.Count[order[i]];

            var unions = new ulong[k + 1][];
            for (var d = 0; d <= k; d++) unions[d] = new ulong[reach.Words];
            var stack = new int[k];
            var best = startLinked;
            var bestSet = start;

            void Go(int depth, int from, int count)
            {
                var r = k - depth;
                for (var i = from; i <= m - r && best < reach.N; i++)
                {
                    if (count + prefix[i + r] - prefix[i] <= best) return; // later i have smaller bounds still
                    var c = order[i];
                    var value = count + reach.Gain(c, unions[depth]);
                    if (r == 1)
                    {
                        if (value > best)
                        {
                            best = value;
                            stack[depth] = c;
                            bestSet = [.. stack];
                        }
                        continue;
                    }
                    Array.Copy(unions[depth], unions[depth + 1], reach.Words);
                    reach.Add(c, unions[depth + 1]);
                    stack[depth] = c;
                    Go(depth + 1, i + 1, value);
                }
            }

            if (k > 0) Go(0, 0, 0);
            linked = best;
            return bestSet;
        }
    }
}
