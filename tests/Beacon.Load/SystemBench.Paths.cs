using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Beacon.Gateway.Apis;
using Beacon.Hosting;
using Beacon.Rules;
using Microsoft.Extensions.Logging.Console;

namespace Beacon.Load;

/// <summary>
/// Two paths of the system half beside the others: a province's trend (section 6, next to the comparison), and one
/// of two silos killed while writers keep writing to every county (section 7).
/// </summary>
public sealed partial class SystemBench
{
    private const string Failover = "8 failover";

    /// <summary>The figure the trends are read for: a rate, so that each point carries its numerator and denominator.</summary>
    private const string TrendFigure = "orgCoverage";

    // ---------------------------------------------------------------- the province's trend (section 6)

    /// <summary>
    /// The province's trend of one figure, monthly over the last 12 months and daily over the last 30 days, timed
    /// request after request as the comparison is, with the comparison timed the same way beside it as the baseline:
    /// today's figures of the same counties from one grain, where the trend reads each county's month grains.
    /// </summary>
    private async Task TrendLatencyAsync()
    {
        Console.WriteLine($"[bench] {Scale}: the province's trend of {Counties.Length} counties");
        var (seeded, days) = await SeedHistoryAsync();
        var requests = Math.Max(MinTrendRequests, options.ComparisonRequests / 2);
        var comparison = await TimeRequestsAsync($"{_beaconUrl}/api/provinces/{Province.Code}/comparison", _overseerToken, requests);
        const string baseline = "the province comparison, timed just before";
        foreach (var (step, query, points, what) in new[]
        {
            ("month", "", 12, "monthly, the last 12 months"),
            ("day", "&step=day", 30, "daily, the last 30 days"),
        })
        {
            var path = $"/api/provinces/{Province.Code}/trend?figure={TrendFigure}{query}";
            var text = await GetStringAsync(path, _overseerToken);
            CheckTrend(text, step, points);
            var trend = await TimeRequestsAsync(_beaconUrl + path, _overseerToken, requests, TrendBudget, MinTrendRequests);
            report.Add(new Figure(Scale, $"province trend latency p50, {what}", trend.P50, "ms", comparison.P50, baseline,
                Note: $"{TrendFigure}, {Counties.Length} series of {points} points and the totals, {text.Length:N0} characters of JSON, " +
                    $"{trend.Count} requests one after another (at most {requests}, for {TrendBudget.TotalSeconds:F0} s at most); history: {days} " +
                    $"snapshots per county ({seeded:N0} in all) kept beforehand, each day of the last 30 and each earlier month's end"));
            report.Add(new Figure(Scale, $"province trend latency p99, {what}", trend.P99, "ms", comparison.P99, baseline));
        }
    }

    /// <summary>Fewer requests than this give no p99 worth the name.</summary>
    private const int MinTrendRequests = 10;

    /// <summary>A trend of a hundred counties takes a good part of a second on a busy machine: its requests stop after this long.</summary>
    private TimeSpan TrendBudget => options.Quick ? TimeSpan.FromSeconds(3) : TimeSpan.FromSeconds(8);

    /// <summary>Whether a trend has a series of the expected length for every county (a note when not).</summary>
    private void CheckTrend(string text, string step, int points)
    {
        using var trend = JsonDocument.Parse(text);
        var series = trend.RootElement.GetProperty("counties").EnumerateArray()
            .Select(s => (County: s.GetProperty("county").GetString(), Points: s.GetProperty("points").GetArrayLength())).ToArray();
        var missing = Counties.Except(series.Select(s => s.County ?? "")).Count();
        var incomplete = series.Count(s => s.Points != points);
        if (trend.RootElement.GetProperty("step").GetString() != step || series.Length != Counties.Length || missing > 0 || incomplete > 0)
            report.Note($"the province's trend by {step} is not one full series per county: {series.Length} series for {Counties.Length} counties, " +
                $"{missing} counties without one, {incomplete} series not of {points} points (lengths {string.Join(", ", series.Select(s => s.Points).Distinct())})");
    }

    /// <summary>
    /// A past for every county, as months of running would leave it: its summary of today kept as the snapshot of each
    /// of the last 30 days and of each of the 12 month-ends before, through the month grains a county writes itself
    /// (a fresh database has none, and a trend of today's point alone reads no history). Answers the snapshots kept.
    /// </summary>
    private async Task<(int Seeded, int PerCounty)> SeedHistoryAsync()
    {
        var clock = Stopwatch.StartNew();
        var today = Validation.Today(DateTimeOffset.UtcNow);
        var thisMonth = new DateOnly(today.Year, today.Month, 1);
        var days = Enumerable.Range(1, 30).Select(d => today.AddDays(-d))
            .Concat(Enumerable.Range(0, 12).Select(m => thisMonth.AddMonths(-m).AddDays(-1)))
            .Distinct().Order().ToArray();
        using var host = await StartClusterClientAsync();
        var cluster = host.Services.GetRequiredService<IClusterClient>();
        await Parallel.ForEachAsync(Counties, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (county, _) =>
        {
            var summary = await cluster.GetGrain<ICountyGrain>(county).GetSummaryAsync();
            // One month's days one after another: each keeps rewrites that month's state.
            await Task.WhenAll(days.GroupBy(d => Snapshots.MonthKey(county, d)).Select(async month =>
            {
                foreach (var day in month) await cluster.GetGrain<ICountyMonthGrain>(month.Key).KeepAsync(new DaySnapshot(day, summary));
            }));
        });
        await host.StopAsync();
        Console.WriteLine($"[bench]   {days.Length} past snapshots kept for each of {Counties.Length} counties in {clock.Elapsed.TotalSeconds:F1} s (not measured)");
        return (days.Length * Counties.Length, days.Length);
    }

    /// <summary>An Orleans client of the bench's cluster, with the gateway's cluster settings (the certificate, the membership table), through the same wiring.</summary>
    private async Task<IHost> StartClusterClientAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.ColorBehavior = LoggerColorBehavior.Disabled; });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(_secrets.ClusterConfiguration());
        builder.UseOrleansClient(client => client.UseBeaconCluster(builder.Configuration, _db.ConnectionString));
        var host = builder.Build();
        try
        {
            await host.StartAsync();
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    // ---------------------------------------------------------------- one of two silos killed (section 7)

    /// <summary>How long a writer waits for one attempt before it counts it timed out and tries again.</summary>
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long a writer keeps retrying one write before it gives it up (counted; none should be).</summary>
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(90);

    /// <summary>The longest the writers run after the kill, recovered or not.</summary>
    private static readonly TimeSpan AfterKillAtMost = TimeSpan.FromSeconds(60);

    /// <summary>Whole seconds at the rate, each with no failed attempt, that end the writing after the kill.</summary>
    private const int GoodSecondsToEnd = 5;

    /// <summary>A second is at the rate when its acknowledgements reach this share of it.</summary>
    private const double AtOfferedRate = 0.9;

    /// <summary>
    /// Starts a second silo into the cluster, writes at the steady rate to every county through the gateway for a
    /// few seconds, kills (SIGKILL) the silo that hosts more county grains while the writers go on (retrying what
    /// fails, as a client would), and measures how long until every county's writes are acknowledged again, how long
    /// until the acknowledgements are back at the rate, and how many attempts failed or timed out. Then checks that the survivor serves every county's summary with every acknowledged write. Last of
    /// the Beacon parts: what follows only stops the gateway and the surviving silo (<see cref="_silo"/> is then it).
    /// </summary>
    private async Task FailoverAsync()
    {
        Console.WriteLine($"[bench] {Failover}: a second silo, then one of the two killed while writing to {Counties.Length} counties");
        var secondPort = Loopback.FreePort();
        var env = CommonEnvironment();
        env["Beacon__Cluster__SiloPort"] = secondPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        env["Beacon__Cluster__GatewayPort"] = Loopback.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        env["Beacon__Demo"] = "false";
        var clock = Stopwatch.StartNew();
        // The silo StopBeaconAsync does not know of: the second until a kill, the killed one after.
        BeaconProcess? other = BeaconProcess.Start("silo 2", BeaconBinaries.SiloDll, [], env, LogFile("silo2"));
        try
        {
            await other.WaitForLineAsync(BeaconProcess.SiloReadyLine, StartTimeout);
            await WaitForSilosAsync(2, StartTimeout);
            var joined = clock.Elapsed;
            Console.WriteLine($"[bench]   the gateway's /health counts 2 silos {joined.TotalSeconds:F1} s after the second started");

            var ledger = new FailoverLedger(Counties.Length);
            using var stop = new CancellationTokenSource();
            var writing = DriveFailoverWritesAsync(ledger, stop.Token);
            int first, second;
            string named;
            BeaconProcess survivor;
            Task<double?> oneSilo;
            try
            {
                // Grains not yet active since the restart (most enterprises) activate on either silo meanwhile.
                await Task.Delay(options.Quick ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(8));
                (first, second) = await CountiesPerSiloAsync(secondPort);
                var killFirst = first > second;
                var victim = killFirst ? _silo! : other;
                survivor = killFirst ? other : _silo!;
                named = killFirst ? "the first silo" : "the second silo";
                ledger.Kill();
                victim.Kill();
                if (killFirst) (_silo, other) = (survivor, victim);
                Console.WriteLine($"[bench]   killed {named} (pid {victim.Id}, exited {victim.HasExited}); it hosted {Math.Max(first, second)} of " +
                    $"{Counties.Length} county grains");
                oneSilo = WaitForSilosAfterKillAsync(ledger);
                while (!ledger.Recovered(options.SteadyRate) && ledger.SinceKill < AfterKillAtMost.TotalSeconds) await Task.Delay(100);
            }
            finally
            {
                await stop.CancelAsync();
            }
            var outstanding = await writing;
            var healthSawOne = await oneSilo;
            survivor.ThrowIfExited("the writes after the kill");

            var back = ledger.AllCountiesBack;
            var atRate = ledger.BackAtRate(options.SteadyRate);
            var reference = ledger.Reference(options.SteadyRate);
            var (acks, failures) = ledger.PerSecond(0, ledger.Seconds);
            var killSecond = (int)ledger.KilledAt;
            Console.WriteLine($"[bench]   acknowledged (failed) per second, the kill in second {killSecond}: " +
                string.Join(" ", acks.Select((a, i) => (i == killSecond ? "| " : "") + (failures[i] > 0 ? $"{a}({failures[i]})" : $"{a}"))));
            var served = await CheckSurvivorAsync(ledger);
            var kinds = ledger.FailureKinds.IsEmpty ? "none" : string.Join(", ", ledger.FailureKinds.OrderByDescending(k => k.Value).Select(k => $"{k.Key} ×{k.Value}"));
            var rateSaid = reference < options.SteadyRate
                ? $"the rate acknowledged before the kill ({reference:N0}/s in its median second, short of the {options.SteadyRate:N0}/s offered)"
                : "the offered rate";
            report.Add(new Figure(Failover, "one of two silos killed (SIGKILL) → every county's writes acknowledged again", back, "s",
                healthSawOne, "until the gateway's /health counted one silo",
                Note: $"killed {named}, which hosted {Math.Max(first, second)} of {Counties.Length} county grains (the other {Math.Min(first, second)}), " +
                    $"after {joined.TotalSeconds:F0} s for the second silo to join and writes for {ledger.KilledAt:F0} s; " +
                    $"{options.SteadyRate:N0} writes/s offered round the {Counties.Length} counties through the gateway, at most {options.InFlightPerCounty} " +
                    $"in flight per county; a county is back at its first write acknowledged after its last failed, timed-out or held-up " +
                    $"(> {FailoverLedger.StuckAttempt:F0} s) attempt; {ledger.CountiesUntouched} counties had none (every enterprise written there was on the survivor), and every " +
                    $"county had some write acknowledged {(ledger.AllCountiesAnswered is { } answered ? $"{answered:F2} s" : "never")} after the kill; " +
                    $"writes back at {rateSaid} {(atRate is { } r ? $"{r:F0} s after the kill" : $"NOT within {ledger.Seconds - ledger.KilledAt:F0} s")} " +
                    $"(the last second below {AtOfferedRate:P0} of it or with a failed attempt ended then); " +
                    $"{ledger.FailedAttempts:N0} attempts failed ({kinds}) and {ledger.TimedOut:N0} timed out (> {AttemptTimeout.TotalSeconds:F0} s), " +
                    $"each retried: {ledger.Retried:N0} writes needed more than one attempt, {ledger.GaveUp} given up after {GiveUpAfter.TotalSeconds:F0} s, " +
                    $"{outstanding} still outstanding at the end; {ledger.Skipped:N0} writes not sent (their county had {options.InFlightPerCounty} outstanding); " +
                    $"{ledger.Acknowledged:N0} acknowledged in {ledger.Seconds:F0} s; the surviving silo {served}"));
        }
        finally
        {
            if (other is not null) await other.DisposeAsync();
        }
    }

    /// <summary>The county grains each silo hosts, by their activations' silo port: the first silo's, then the second's.</summary>
    private async Task<(int First, int Second)> CountiesPerSiloAsync(int secondPort)
    {
        using var host = await StartClusterClientAsync();
        var cluster = host.Services.GetRequiredService<IClusterClient>();
        var management = cluster.GetGrain<IManagementGrain>(0);
        var at = await Task.WhenAll(Counties.Select(c => management.GetActivationAddress(cluster.GetGrain<ICountyGrain>(c)).AsTask()));
        await host.StopAsync();
        var first = at.Count(a => a?.Endpoint.Port == _siloPort);
        var second = at.Count(a => a?.Endpoint.Port == secondPort);
        if (first + second != Counties.Length)
            report.Note($"before the kill, {Counties.Length - first - second} county grains were on neither silo (not active, or not found)");
        return (first, second);
    }

    /// <summary>Waits until the gateway's /health counts <paramref name="silos"/> active silos.</summary>
    private async Task WaitForSilosAsync(int silos, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var last = "no answer yet";
        while (clock.Elapsed < timeout)
        {
            (var count, last) = await HealthSilosAsync();
            if (count == silos) return;
            await Task.Delay(200);
        }
        throw new TimeoutException($"the gateway's /health did not count {silos} silos within {timeout.TotalSeconds} s (last: {last})");
    }

    private async Task<(int? Silos, string Said)> HealthSilosAsync()
    {
        try
        {
            using var answer = await _http.GetAsync($"{_beaconUrl}/health");
            var text = await answer.Content.ReadAsStringAsync();
            using var health = JsonDocument.Parse(text);
            return (health.RootElement.TryGetProperty("silos", out var silos) ? silos.GetInt32() : null, $"{(int)answer.StatusCode} {text}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return (null, e.Message);
        }
    }

    /// <summary>Seconds from the kill until the gateway's /health counts one silo, or null within the writing.</summary>
    private async Task<double?> WaitForSilosAfterKillAsync(FailoverLedger ledger)
    {
        while (ledger.SinceKill < AfterKillAtMost.TotalSeconds + 10)
        {
            if ((await HealthSilosAsync()).Silos == 1) return ledger.SinceKill;
            await Task.Delay(200);
        }
        return null;
    }

    /// <summary>
    /// Writes at the steady rate round the counties, as <see cref="RateDriver"/> does, each write retried until it is
    /// acknowledged; until cancelled, then waits for the writes still retrying. Answers how many were still outstanding.
    /// </summary>
    private async Task<long> DriveFailoverWritesAsync(FailoverLedger ledger, CancellationToken stop)
    {
        var inFlight = new int[Counties.Length];
        long outstanding = 0;
        var next = 0;
        long issued = 0;
        while (!stop.IsCancellationRequested)
        {
            var due = (long)(ledger.Now * options.SteadyRate);
            while (issued < due)
            {
                issued++;
                var chosen = -1;
                for (var k = 0; k < Counties.Length; k++)
                {
                    var c = (next + k) % Counties.Length;
                    if (Volatile.Read(ref inFlight[c]) < options.InFlightPerCounty) { chosen = c; break; }
                }
                if (chosen < 0)
                {
                    Interlocked.Increment(ref ledger.Skipped);
                    continue;
                }
                next = (chosen + 1) % Counties.Length;
                Interlocked.Increment(ref inFlight[chosen]);
                Interlocked.Increment(ref outstanding);
                var county = chosen;
                _ = Task.Run(async () =>
                {
                    try { await WriteUntilAcknowledgedAsync(county, ledger); }
                    finally
                    {
                        Interlocked.Decrement(ref inFlight[county]);
                        Interlocked.Decrement(ref outstanding);
                    }
                }, CancellationToken.None);
            }
            await Task.Delay(2, CancellationToken.None);
        }
        ledger.Stopped();
        var waited = Stopwatch.StartNew();
        while (Interlocked.Read(ref outstanding) > 0 && waited.Elapsed < GiveUpAfter + AttemptTimeout) await Task.Delay(20);
        return Interlocked.Read(ref outstanding);
    }

    /// <summary>
    /// One write (one more party member for an enterprise of the county, as <see cref="BeaconWriteAsync"/> writes),
    /// sent again with the same body after a failure or a timeout, with a growing pause, until acknowledged or given up.
    /// </summary>
    private async Task WriteUntilAcknowledgedAsync(int c, FailoverLedger ledger)
    {
        if (!_free[c].TryDequeue(out var j))
        {
            Interlocked.Increment(ref ledger.Skipped);
            return;
        }
        try
        {
            var members = _members[c][j] + 1;
            var profile = _province.Enterprise(Counties[c], j, members);
            var started = ledger.Now;
            for (var attempt = 1; ; attempt++)
            {
                var sentAt = ledger.Now;
                var failure = await PutOnceAsync(c, profile);
                if (failure is null)
                {
                    _members[c][j] = members;
                    ledger.Acknowledge(c, sentAt, attempt);
                    return;
                }
                ledger.Fail(c, failure);
                if (ledger.Now - started > GiveUpAfter.TotalSeconds)
                {
                    // Applied or not is unknown: the summaries can then only be checked for being served.
                    Interlocked.Increment(ref ledger.GaveUp);
                    return;
                }
                await Task.Delay(Math.Min(100 * attempt, 1000));
            }
        }
        finally
        {
            _free[c].Enqueue(j);
        }
    }

    /// <summary>One PUT of the enterprise: null when acknowledged, else what went wrong ("timeout", the status, the exception).</summary>
    private async Task<string?> PutOnceAsync(int c, EnterpriseProfile profile)
    {
        using var timeout = new CancellationTokenSource(AttemptTimeout);
        try
        {
            using var response = await PutEnterpriseAsync(c, profile, timeout.Token);
            return response.IsSuccessStatusCode ? null : $"{(int)response.StatusCode}";
        }
        catch (TaskCanceledException) when (timeout.IsCancellationRequested)
        {
            return FailoverLedger.Timeout;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return e.GetType().Name;
        }
    }

    /// <summary>
    /// Whether the surviving silo serves every county's summary, with the members of every acknowledged write when no
    /// write was given up (then the expected members are exact).
    /// </summary>
    private async Task<string> CheckSurvivorAsync(FailoverLedger ledger)
    {
        if (ledger.GaveUp == 0)
        {
            var clock = Stopwatch.StartNew();
            if (await WaitForFiguresAsync(TimeSpan.FromSeconds(60), withComparison: false))
                return $"serves every county's summary with every acknowledged write ({clock.Elapsed.TotalSeconds:F1} s to check)";
        }
        var failed = 0;
        await Parallel.ForEachAsync(Counties.Select((county, i) => (county, i)), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (x, _) =>
        {
            try { await GetStringAsync($"/api/counties/{x.county}/summary", _adminTokens[x.i]); }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { Interlocked.Increment(ref failed); }
        });
        var said = failed == 0
            ? $"serves every county's summary, but {(ledger.GaveUp > 0 ? "writes were given up, so the members were not checked" : "not every summary showed every acknowledged write within 60 s")}"
            : $"did NOT serve {failed} of {Counties.Length} county summaries";
        report.Note($"after the failover, the surviving silo {said}");
        return said;
    }

    /// <summary>
    /// What the failover's writers saw, in seconds since they started: each acknowledgement and each failed attempt,
    /// and for each county after the kill its acknowledgements and its last bad outcome (a failed or timed-out
    /// attempt, or one acknowledged only after <see cref="StuckAttempt"/>).
    /// </summary>
    private sealed class FailoverLedger(int counties)
    {
        public const string Timeout = "timeout";

        /// <summary>An attempt acknowledged after this long was held up by the kill rather than served.</summary>
        public const double StuckAttempt = 2;

        private readonly long _start = Stopwatch.GetTimestamp();
        private readonly ConcurrentQueue<double> _acks = new();
        private readonly ConcurrentQueue<double> _failures = new();
        private readonly List<double>[] _acksAfterKill = Enumerable.Range(0, counties).Select(_ => new List<double>()).ToArray();
        private readonly double[] _lastBad = Enumerable.Repeat(double.NaN, counties).ToArray();
        private readonly Lock _gate = new();
        private double _killedAt = double.NaN;
        private double _stoppedAt = double.NaN;

        public long Skipped;
        public long GaveUp;
        public long FailedAttempts;
        public long TimedOut;
        public long Retried;
        public long Acknowledged;
        public ConcurrentDictionary<string, int> FailureKinds { get; } = new();

        public double Now => Stopwatch.GetElapsedTime(_start).TotalSeconds;
        public double KilledAt => _killedAt;
        private bool Killed => !double.IsNaN(_killedAt);
        public double SinceKill => Killed ? Now - _killedAt : 0;
        public double Seconds => double.IsNaN(_stoppedAt) ? Now : _stoppedAt;

        public void Kill() => _killedAt = Now;

        public void Stopped() => _stoppedAt = Now;

        public void Acknowledge(int county, double sentAt, int attempts)
        {
            var now = Now;
            _acks.Enqueue(now);
            Interlocked.Increment(ref Acknowledged);
            if (attempts > 1) Interlocked.Increment(ref Retried);
            if (!Killed) return;
            lock (_gate)
            {
                if (now - sentAt > StuckAttempt) _lastBad[county] = now;
                else if (sentAt >= _killedAt) _acksAfterKill[county].Add(now);
            }
        }

        public void Fail(int county, string kind)
        {
            var now = Now;
            _failures.Enqueue(now);
            if (kind == Timeout) Interlocked.Increment(ref TimedOut);
            else
            {
                Interlocked.Increment(ref FailedAttempts);
                FailureKinds.AddOrUpdate(kind, 1, (_, n) => n + 1);
            }
            if (Killed) lock (_gate) _lastBad[county] = now;
        }

        /// <summary>
        /// Seconds from the kill until every county's writes succeeded again: for each county, its first acknowledged
        /// write (sent after the kill) after its last bad outcome; null while a county has none.
        /// </summary>
        public double? AllCountiesBack
        {
            get
            {
                lock (_gate)
                {
                    var back = Enumerable.Range(0, counties).Select(c =>
                    {
                        var after = double.IsNaN(_lastBad[c]) ? _killedAt : _lastBad[c];
                        return _acksAfterKill[c].Where(t => t > after).DefaultIfEmpty(double.NaN).Min();
                    }).ToArray();
                    return back.Any(double.IsNaN) ? null : back.Max() - _killedAt;
                }
            }
        }

        /// <summary>Seconds from the kill until every county had some write acknowledged (sent after the kill), bad outcomes or not.</summary>
        public double? AllCountiesAnswered
        {
            get
            {
                lock (_gate)
                    return _acksAfterKill.Any(a => a.Count == 0) ? null : _acksAfterKill.Max(a => a.Min()) - _killedAt;
            }
        }

        /// <summary>Counties with no bad outcome after the kill: every enterprise written there was on the survivor.</summary>
        public int CountiesUntouched
        {
            get { lock (_gate) return _lastBad.Count(double.IsNaN); }
        }

        /// <summary>Acknowledgements and failed attempts in each whole second from <paramref name="from"/> to <paramref name="to"/>.</summary>
        public (int[] Acks, int[] Failures) PerSecond(double from, double to)
        {
            var n = Math.Max(0, (int)Math.Floor(to - from));
            var acks = new int[n];
            var failures = new int[n];
            foreach (var t in _acks)
                if (t >= from && (int)(t - from) < n) acks[(int)(t - from)]++;
            foreach (var t in _failures)
                if (t >= from && (int)(t - from) < n) failures[(int)(t - from)]++;
            return (acks, failures);
        }

        /// <summary>
        /// The rate the writes are back at: the offered one, or what was acknowledged per second before the kill (the
        /// median second, the first left out as the writers start then) when the machine did not reach it even then.
        /// </summary>
        public double Reference(double offered)
        {
            var before = PerSecond(1, _killedAt).Acks.Order().ToArray();
            return before.Length == 0 ? offered : Math.Min(offered, before[before.Length / 2]);
        }

        /// <summary>Per whole second after the kill: whether it was at <see cref="Reference"/> with no failed attempt.</summary>
        private bool[] AtRate(double to, double offered)
        {
            var (acks, failures) = PerSecond(_killedAt, to);
            var reference = Reference(offered);
            return [.. acks.Select((a, i) => a >= AtOfferedRate * reference && failures[i] == 0)];
        }

        /// <summary>
        /// Seconds from the kill until the acknowledgements were back at the rate: the end of the last second after
        /// the kill below it or with a failed attempt, when seconds at the rate follow it; null when none do.
        /// </summary>
        public double? BackAtRate(double offered)
        {
            var seconds = AtRate(Seconds, offered);
            var lastBad = Array.LastIndexOf(seconds, false);
            return lastBad == seconds.Length - 1 ? null : lastBad + 1;
        }

        /// <summary>Every county back, and the last <see cref="GoodSecondsToEnd"/> whole seconds at the rate.</summary>
        public bool Recovered(double offered)
        {
            if (AllCountiesBack is null) return false;
            var seconds = AtRate(Now, offered);
            return seconds.Length >= GoodSecondsToEnd && seconds[^GoodSecondsToEnd..].All(s => s);
        }
    }
}
