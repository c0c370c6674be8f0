using System.Diagnostics;
using System.Globalization;
using Beacon.Grains;
using Beacon.Grains.Hosting;
using Microsoft.Extensions.Logging.Console;
using Orleans.Configuration;

namespace Beacon.Load;

// The two ceilings of "writes through grains", hosted beside Beacon's grains in the same in-process silo and called
// with the same keys ("county/credit-code", "county/issue-id"), payloads of the same types and the same concurrency.

/// <summary>Does nothing: the most Orleans can do here, a call and its answer.</summary>
public interface IBenchNoOpGrain : IGrainWithStringKey
{
    Task<ChangeResult> PutAsync(EnterpriseProfile profile, Actor actor);
    Task<ChangeResult> StepAsync(string text, Actor actor);
}

/// <summary>Writes its state once per call, through Beacon's storage provider, and does nothing else.</summary>
public interface IBenchBareWriteGrain : IGrainWithStringKey
{
    Task<ChangeResult> PutAsync(EnterpriseProfile profile, Actor actor);
    Task<ChangeResult> StepAsync(string text, Actor actor);
}

public sealed class BenchNoOpGrain : Grain, IBenchNoOpGrain
{
    private long _version;
    public Task<ChangeResult> PutAsync(EnterpriseProfile profile, Actor actor) => Task.FromResult(new ChangeResult(ChangeOutcome.Updated, ++_version));
    public Task<ChangeResult> StepAsync(string text, Actor actor) => Task.FromResult(new ChangeResult(ChangeOutcome.Updated, ++_version));
}

[GenerateSerializer]
public sealed class BenchBareState
{
    [Id(0)] public EnterpriseProfile? Profile { get; set; }
    [Id(1)] public string? Text { get; set; }
    [Id(2)] public long Version { get; set; }
}

public sealed class BenchBareWriteGrain([PersistentState("bench-bare", BeaconStorage.Name)] IPersistentState<BenchBareState> state)
    : Grain, IBenchBareWriteGrain
{
    public Task<ChangeResult> PutAsync(EnterpriseProfile profile, Actor actor)
    {
        state.State.Profile = profile;
        return SaveAsync();
    }

    public Task<ChangeResult> StepAsync(string text, Actor actor)
    {
        state.State.Text = text;
        return SaveAsync();
    }

    private async Task<ChangeResult> SaveAsync()
    {
        state.State.Version++;
        await state.WriteStateAsync();
        return new ChangeResult(state.State.Version == 1 ? ChangeOutcome.Created : ChangeOutcome.Updated, state.State.Version);
    }
}

/// <summary>
/// Section 3, writes through grains: an in-process silo with Beacon's grains (AddBeaconGrains, memory or PostgreSQL)
/// and the two ceiling grains. Every Beacon update changes figures: an enterprise flips between no organisation with 2
/// members and a standalone organisation with 5 (coverage, standalone and members move), and one call in four is an
/// issue step (escalate → resolve → reopen → escalate…, moving open, escalated and resolved). Each of the outstanding
/// callers owns its keys, so an entity's steps stay in order. Every side gets each profile as a new object, as from a
/// gateway (<see cref="Workload.Delivered"/>).
/// </summary>
public sealed class GrainBench(BenchOptions options, Report report)
{
    private const string Section = "3 writes through grains";
    /// <summary>Issue 22's targets: Beacon's updates against the bare write of the same storage.</summary>
    private const double PostgresShare = 0.8;
    private const double MemoryShare = 0.5;

    private sealed class Workload
    {
        public required string[] EnterpriseKeys;
        // Each key's two profiles as bytes, serialised once: no organisation with 2 members (what the set-up creates),
        // or standalone with 5.
        public required byte[][] PlainBytes;
        public required byte[][] StandaloneBytes;
        public required bool[] IsStandalone;
        public required Actor[] EnterpriseActor;
        public required string[] IssueKeys;
        public required IssueState[] IssueStates;
        public required Actor[] IssueActor;
        // References made once, as any client that calls the same grains over and over keeps them: Orleans' GetGrain
        // reflects over the interface on every call, which would otherwise be measured with every call of every side.
        public required IEnterpriseGrain[] Enterprises;
        public required IIssueGrain[] Issues;
        public required Orleans.Serialization.Serializer Serializer;

        /// <summary>
        /// Key <paramref name="k"/>'s profile as a gateway hands it on: a new object for every request, read from its
        /// bytes. Passed as one object over and over, an entity's history would hold the same object many times, which
        /// Orleans' serializer writes once and then refers back to: its record would stay small as no record written
        /// through the API does.
        /// </summary>
        public EnterpriseProfile Delivered(int k, bool standalone) =>
            Serializer.Deserialize<EnterpriseProfile>(standalone ? StandaloneBytes[k] : PlainBytes[k])!;
    }

    private static T[] References<T>(string[] keys, Func<string, T> get) => [.. keys.Select(get)];

    /// <summary>A ceiling grain's references under the workload's enterprise and issue keys.</summary>
    private static (T[] Enterprises, T[] Issues) CeilingReferences<T>(IGrainFactory grains, Workload work) where T : IGrainWithStringKey =>
        (References(work.EnterpriseKeys, k => grains.GetGrain<T>(k)), References(work.IssueKeys, k => grains.GetGrain<T>(k)));

    public async Task RunAsync(string storage, double? noOpCeiling, Action<double>? onNoOp = null, Action<double>? onBareWrite = null)
    {
        var postgres = storage == "postgres";
        var shown = postgres ? "PostgreSQL" : "in memory";
        Console.WriteLine($"[bench] {Section}: {storage} — starting an in-process silo");
        await using var database = postgres
            ? await BenchDatabase.CreateAsync(options.PostgresAdmin ?? throw new InvalidOperationException("--pg is required"), "grains")
            : null;

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Beacon:Storage"] = storage,
            ["ConnectionStrings:Beacon"] = database?.ConnectionString,
        });
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.ColorBehavior = LoggerColorBehavior.Disabled; });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Beacon", LogLevel.Error); // the in-memory warning is expected here
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(Loopback.FreePort(), Loopback.FreePort());
            silo.Configure<ClusterOptions>(o => { o.ClusterId = "beacon-bench"; o.ServiceId = "beacon-bench"; });
            silo.AddBeaconGrains(builder.Configuration);
        });
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var grains = host.Services.GetRequiredService<IGrainFactory>();
            var clock = Stopwatch.StartNew();
            var work = await SetUpAsync(grains, host.Services.GetRequiredService<Orleans.Serialization.Serializer>());
            Console.WriteLine($"[bench] {Section}: {storage}: {work.EnterpriseKeys.Length:N0} enterprises and {work.IssueKeys.Length:N0} issues " +
                $"in {options.Counties} counties set up in {clock.Elapsed.TotalSeconds:F1} s");

            // Each comparison's sides are measured in turn, round after round, so that the machine's drift (a shared
            // VM whose bare PostgreSQL write moved from 3,854 to 5,684/s between runs of one day) falls on every side.
            var (bareEnterprises, bareIssues) = CeilingReferences<IBenchBareWriteGrain>(grains, work);
            var sides = new List<(string What, Func<int, long, Task<bool>> Op)>();
            if (!postgres)
            {
                var (enterprises, issues) = CeilingReferences<IBenchNoOpGrain>(grains, work);
                await TouchAllAsync(work, enterprises, issues, (g, a) => g.StepAsync("touch", a));
                sides.Add(("no-op grain call", (w, i) => Ceiling(work, w, i,
                    (k, p, a) => enterprises[k].PutAsync(p, a), (k, t, a) => issues[k].StepAsync(t, a))));
            }
            await TouchAllAsync(work, bareEnterprises, bareIssues, (g, a) => g.StepAsync("touch", a));
            sides.Add(($"bare write, {storage}", (w, i) => Ceiling(work, w, i,
                (k, p, a) => bareEnterprises[k].PutAsync(p, a), (k, t, a) => bareIssues[k].StepAsync(t, a))));
            sides.Add(($"Beacon updates, {storage}", (w, i) => BeaconOp(work, w, i)));
            var measured = await AlternateAsync(sides);
            var (bare, beacon) = (measured[^2], measured[^1]);

            double? noOp = noOpCeiling;
            if (!postgres)
            {
                noOp = measured[0].PerSecond;
                onNoOp?.Invoke(measured[0].PerSecond);
                report.Add(new Figure("2 ceilings", "no-op grain call, same keys as Beacon's updates", measured[0].PerSecond, "calls/s",
                    Note: $"{options.Concurrency} outstanding, p99 {measured[0].P99Ms:F1} ms"));
            }
            onBareWrite?.Invoke(bare.PerSecond);
            report.Add(new Figure(Section, $"bare grain writing its state once per call, {shown}", bare.PerSecond, "writes/s",
                noOp, "no-op call", Note: $"p99 {bare.P99Ms:F1} ms"));

            // Issue 22's ceilings: the bare write of the same storage (Orleans' memory storage alone costs several
            // no-op calls per write, so the no-op call is shown, not aimed at).
            var ceiling = postgres ? bare : measured[0];
            var allocations = $", allocated {beacon.AllocatedPerCall:N0} B an update against {bare.AllocatedPerCall:N0} B a bare write (this process, the silo in it)";
            report.Add(new Figure(Section, $"Beacon entity updates that change figures, {shown}", beacon.PerSecond, "updates/s",
                ceiling.PerSecond, postgres ? "bare write, PostgreSQL" : "no-op call",
                postgres ? $"≥ {PostgresShare:0.0}× bare write" : null,
                postgres ? beacon.PerSecond >= PostgresShare * ceiling.PerSecond : null,
                $"3 enterprise : 1 issue step, {options.Counties} counties, p50 {beacon.P50Ms:F1} ms, p99 {beacon.P99Ms:F1} ms" +
                RoundRatios(beacon, ceiling) + (beacon.Errors > 0 ? $", {beacon.Errors} refused/failed" : "") + (postgres ? allocations : "")));
            if (!postgres)
                report.Add(new Figure(Section, "the same updates in memory, against the bare memory write", beacon.PerSecond, "updates/s",
                    bare.PerSecond, "bare write, in memory", $"≥ {MemoryShare:0.0}× bare memory write", beacon.PerSecond >= MemoryShare * bare.PerSecond,
                    RoundRatios(beacon, bare).TrimStart(',', ' ') + allocations));
        }
        finally
        {
            // Let the last publications and write-behinds go out first: a county that deactivates with a publication
            // pending reports to its province, which a stopping silo can no longer place.
            await Task.Delay(TimeSpan.FromSeconds(2));
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try { await host.StopAsync(stop.Token); }
            catch (OperationCanceledException) { Console.WriteLine("[bench] the in-process silo did not stop within 60 s"); }
        }
    }

    private async Task<Workload> SetUpAsync(IGrainFactory grains, Orleans.Serialization.Serializer serializer)
    {
        var province = new Province(options.Counties, options.StationsPerCounty, options.GrainEnterprisesPerCounty);
        var counties = province.Counties;
        await Each(Enumerable.Range(0, counties.Length), async i =>
        {
            await grains.GetGrain<ICountyGrain>(counties[i]).ConfigureAsync(Province.CountyProfileOf(counties[i], i));
            return true;
        });
        Actor ActorOf(string county) => new($"bench@{county}", Roles.CountyAdmin, new Scope(Scope.County, county));
        await Each(counties.SelectMany(c => Enumerable.Range(0, options.StationsPerCounty).Select(s => (c, s))), async x =>
            (await grains.GetGrain<IStationGrain>(Province.Key(x.c, Province.StationId(x.s))).PutAsync(province.Station(x.c, x.s), ActorOf(x.c))).Succeeded);

        var perCounty = options.GrainEnterprisesPerCounty;
        var n = counties.Length * perCounty;
        // Interleave counties so that consecutive keys (and each caller's keys) are spread over all of them.
        var items = Enumerable.Range(0, n).Select(k => (County: counties[k % counties.Length], Index: k / counties.Length)).ToArray();
        var plain = items.Select(x => province.Enterprise(x.County, x.Index) with
        {
            InBase = true, ExclusionReason = null, PartyMembers = 2, Organisation = new PartyOrganisation(FormationMode.None),
        }).ToArray();
        var enterpriseKeys = items.Select(x => Province.Key(x.County, Province.CreditCodeOf(x.County, x.Index))).ToArray();
        var issueKeys = Enumerable.Range(0, counties.Length * options.GrainIssuesPerCounty)
            .Select(k => Province.Key(counties[k % counties.Length], $"I{k / counties.Length + 1:D6}")).ToArray();
        var work = new Workload
        {
            EnterpriseKeys = enterpriseKeys,
            Enterprises = References(enterpriseKeys, k => grains.GetGrain<IEnterpriseGrain>(k)),
            PlainBytes = [.. plain.Select(serializer.SerializeToArray)],
            StandaloneBytes = [.. plain.Select(p => serializer.SerializeToArray(p with { PartyMembers = 5, Organisation = new PartyOrganisation(FormationMode.Standalone) }))],
            IsStandalone = new bool[n],
            EnterpriseActor = items.Select(x => ActorOf(x.County)).ToArray(),
            IssueKeys = issueKeys,
            Issues = References(issueKeys, k => grains.GetGrain<IIssueGrain>(k)),
            IssueStates = new IssueState[counties.Length * options.GrainIssuesPerCounty],
            IssueActor = Enumerable.Range(0, counties.Length * options.GrainIssuesPerCounty).Select(k => ActorOf(counties[k % counties.Length])).ToArray(),
            Serializer = serializer,
        };
        if (work.EnterpriseKeys.Length < options.Concurrency || work.IssueKeys.Length < options.Concurrency)
            throw new InvalidOperationException($"Need at least {options.Concurrency} enterprises and issues so that every caller owns keys.");

        await Each(Enumerable.Range(0, n), async k =>
            (await work.Enterprises[k].PutAsync(work.Delivered(k, standalone: false), work.EnterpriseActor[k])).Succeeded);
        await Each(Enumerable.Range(0, work.IssueKeys.Length), async k =>
        {
            var county = Places.SplitTenantKey(work.IssueKeys[k]).County;
            // Raised at an enterprise of its own county (the first few, which every county has).
            var creditCode = Province.CreditCodeOf(county, k / counties.Length % perCounty);
            // The county numbers its issues I000001… in the order they come: the same ids as the keys, in some order.
            var (_, result) = await grains.GetGrain<ICountyGrain>(county).RaiseIssueAsync(creditCode, IssueCategory.Financing, "融资难", work.IssueActor[k]);
            work.IssueStates[k] = IssueState.Open;
            return result.Succeeded;
        });
        return work;
    }

    /// <summary>
    /// Set-up writes, <see cref="BenchOptions.Concurrency"/> at a time. A write that throws is tried again (twice at
    /// most; every set-up write is a create-or-replace); one that is refused stops the run.
    /// </summary>
    private async Task Each<T>(IEnumerable<T> items, Func<T, Task<bool>> action)
    {
        var failed = 0;
        var retried = 0;
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency }, async (item, _) =>
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    if (!await action(item) && Interlocked.Increment(ref failed) == 1) Console.WriteLine($"[bench] set-up refused: {item}");
                    return;
                }
                catch (Exception e) when (attempt < 3 && e is not OutOfMemoryException)
                {
                    if (Interlocked.Increment(ref retried) == 1) Console.WriteLine($"[bench] set-up write failed, trying again: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
                }
            }
        });
        if (retried > 0) report.Note($"{Section}: {retried} set-up writes threw and were tried again (see the log above)");
        if (failed > 0) throw new InvalidOperationException($"{failed} set-up writes were refused");
    }

    /// <summary>One call per key before measuring, so that activations (and a first read of storage) are not measured.</summary>
    private Task TouchAllAsync<T>(Workload work, T[] enterprises, T[] issues, Func<T, Actor, Task<ChangeResult>> call) =>
        Each(enterprises.Select((g, i) => (g, work.EnterpriseActor[i])).Concat(issues.Select((g, i) => (g, work.IssueActor[i]))),
            async x => (await call(x.g, x.Item2)).Succeeded);

    /// <summary>Caller <paramref name="w"/>'s <paramref name="i"/>-th key: three enterprise calls, then an issue call.</summary>
    private (bool Issue, int Index) KeyOf(Workload work, int w, long i)
    {
        var callers = options.Concurrency;
        var issue = i % 4 == 3;
        var count = issue ? work.IssueKeys.Length : work.EnterpriseKeys.Length;
        var owned = (count - w + callers - 1) / callers;
        var nth = issue ? i / 4 : i - i / 4;
        return (issue, w + callers * (int)(nth % owned));
    }

    private async Task<bool> Ceiling(Workload work, int w, long i,
        Func<int, EnterpriseProfile, Actor, Task<ChangeResult>> put, Func<int, string, Actor, Task<ChangeResult>> step)
    {
        var (issue, k) = KeyOf(work, w, i);
        var result = issue
            ? await step(k, "协调解决", work.IssueActor[k])
            : await put(k, work.Delivered(k, !work.IsStandalone[k]), work.EnterpriseActor[k]);
        return result.Succeeded;
    }

    private async Task<bool> BeaconOp(Workload work, int w, long i)
    {
        var (issue, k) = KeyOf(work, w, i);
        if (!issue)
        {
            var next = !work.IsStandalone[k];
            var result = await work.Enterprises[k].PutAsync(work.Delivered(k, next), work.EnterpriseActor[k]);
            if (result.Succeeded) work.IsStandalone[k] = next;
            return result.Succeeded;
        }
        var grain = work.Issues[k];
        var actor = work.IssueActor[k];
        var (step, after) = work.IssueStates[k] switch
        {
            IssueState.Open => (grain.EscalateAsync("指导站无法协调", actor), IssueState.Escalated),
            IssueState.Escalated => (grain.ResolveAsync("已协调解决", actor), IssueState.Resolved),
            _ => (grain.ReopenAsync("问题复发", actor), IssueState.Open),
        };
        var r = await step;
        if (r.Succeeded) work.IssueStates[k] = after;
        return r.Succeeded;
    }

    /// <param name="Rounds">The rate of each round, in order; the windows are of one length, so their mean is the rate over all.</param>
    private sealed record Measured(double P50Ms, double P99Ms, long Errors, double[] Rounds, double AllocatedPerCall)
    {
        public double PerSecond => Rounds.Average();
    }

    /// <summary>The ratio of each round, where there are several: their spread is the noise of the ratio over all rounds.</summary>
    private static string RoundRatios(Measured side, Measured baseline) => side.Rounds.Length < 2 ? "" :
        $", ratio per round {string.Join(" · ", side.Rounds.Zip(baseline.Rounds, (a, b) => (a / b).ToString("F2", CultureInfo.InvariantCulture)))}";

    /// <summary>
    /// Measures the sides in turn, <see cref="BenchOptions.GrainRounds"/> times over, and answers each side's rate over
    /// all its windows, with the percentiles of all its calls.
    /// </summary>
    private async Task<Measured[]> AlternateAsync(IReadOnlyList<(string What, Func<int, long, Task<bool>> Op)> sides)
    {
        var windows = sides.Select(_ => new List<Window>()).ToArray();
        for (var round = 1; round <= options.GrainRounds; round++)
            for (var s = 0; s < sides.Count; s++)
                windows[s].Add(await MeasureAsync(options.GrainRounds > 1 ? $"{sides[s].What} (round {round})" : sides[s].What, sides[s].Op));
        return [.. windows.Select(w =>
        {
            var latencies = new Sample(w.SelectMany(x => x.Latencies));
            return new Measured(latencies.P50 ?? 0, latencies.P99 ?? 0, w.Sum(x => x.Errors), [.. w.Select(x => x.Counted / options.GrainWindow.TotalSeconds)],
                w.Sum(x => x.Allocated) / (double)Math.Max(1, w.Sum(x => x.Calls)));
        })];
    }

    /// <param name="Calls">every call that completed, warm-up included, over which <paramref name="Allocated"/> counts
    /// the bytes this process allocated: the callers', the silo's and its storage's, since the silo is in it.</param>
    private sealed record Window(long Counted, long Errors, IReadOnlyList<double> Latencies, long Calls, long Allocated);

    /// <summary>
    /// <see cref="BenchOptions.Concurrency"/> callers, each with one call outstanding, for warm-up plus window; counts the
    /// calls that complete inside the window.
    /// </summary>
    private async Task<Window> MeasureAsync(string what, Func<int, long, Task<bool>> op)
    {
        var warm = options.GrainWarmup;
        var end = options.GrainWarmup + options.GrainWindow;
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var clock = Stopwatch.StartNew();
        long counted = 0, errors = 0, calls = 0;
        var perCaller = await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(w => Task.Run(async () =>
        {
            var mine = new List<double>();
            for (long i = 0; ; i++)
            {
                var t0 = clock.Elapsed;
                if (t0 >= end) break;
                bool ok;
                try { ok = await op(w, i); }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    ok = false;
                    if (Interlocked.Read(ref errors) == 0) Console.WriteLine($"[bench] {what}: {e.GetType().Name}: {e.Message}");
                }
                var t1 = clock.Elapsed;
                Interlocked.Increment(ref calls);
                if (!ok && Interlocked.Increment(ref errors) > 10_000) throw new InvalidOperationException($"{what}: too many failures");
                if (t1 >= warm && t1 <= end)
                {
                    Interlocked.Increment(ref counted);
                    mine.Add((t1 - t0).TotalMilliseconds);
                }
            }
            return mine;
        })));
        var allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
        double[] all = [.. perCaller.SelectMany(l => l)];
        var latencies = new Sample(all);
        Console.WriteLine($"[bench]   {what}: {counted / options.GrainWindow.TotalSeconds:N0}/s (p50 {latencies.P50:F2} ms, p99 {latencies.P99:F2} ms, {errors} failed, {allocated / (double)Math.Max(1, calls):N0} bytes allocated a call)");
        return new Window(counted, errors, all, calls, allocated);
    }
}
