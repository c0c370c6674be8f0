namespace Beacon.Load;

/// <summary>
/// Section 7: the silo's garbage collections while it loads the province and while it serves the live sections with
/// every enterprise loaded, watched over EventPipe (<see cref="GcWatch"/>): its pauses, its gen2 collections and the
/// CPU they take, and what it allocates per write.
/// </summary>
public sealed partial class SystemBench
{
    private const string Pauses = "7 pauses";
    private const double PauseLimitMs = 100;

    private GcWatch? _gc;
    private (DateTime From, DateTime To)? _loading;
    private (DateTime From, DateTime To)? _live;
    private (DateTime From, DateTime To, double Writes)? _writesOnly;
    private (DateTime From, DateTime To)? _ordinary;

    private void WatchSilo() => _gc = GcWatch.Start(_silo!.Id);

    /// <summary>
    /// <c>--only pauses</c>: after the loading, writes at the ordinary rate for <see cref="BenchOptions.PausesWindow"/>
    /// and nothing else, so that one run per GC setting (<c>--silo-env</c>) compares them on the same loaded silo, through
    /// the time its idle entities are collected.
    /// </summary>
    private async Task OrdinaryWritesWatchedAsync()
    {
        Console.WriteLine($"[bench] {Pauses}: {Ordinary.Rate:N0} writes/s for {options.PausesWindow.TotalMinutes:F0} minutes, the silo's collections watched");
        var from = DateTime.UtcNow;
        var phase = await RateDriver.DriveAsync("Beacon, ordinary rate, collections watched", Ordinary.Rate, options.PausesWindow, Counties.Length,
            options.InFlightPerCounty, BeaconWriteAsync, null, TimeSpan.Zero);
        _live = (from, DateTime.UtcNow);
        // The heap the idle entities leave behind, once the window is over (an induced full collection, outside it).
        var heap = await InducedGc.HeapAfterFullGcAsync(_silo!.Id);
        report.Note($"{Pauses}: {phase.Writes:N0} writes at {phase.AchievedRate:N1}/s, {phase.Errors} failed; the silo's heap after a full " +
            $"collection at the end: {heap / 1048576.0:N0} MiB");
    }

    private async Task ReportPausesAsync()
    {
        if (_gc is not { } gc) return;
        _gc = null;
        await gc.DisposeAsync();
        var loaded = $"{(long)Counties.Length * PerCounty:N0} enterprises";
        if (_loading is { } l)
        {
            var s = gc.Between(l.From, l.To);
            report.Add(new Figure(Pauses, $"longest silo pause while loading {loaded}", s.LongestPauseMs, "ms",
                Target: $"≤ {PauseLimitMs:N0} ms", Met: s.LongestPauseMs <= PauseLimitMs, Note: s.Describe()));
        }
        if (_live is { } v)
        {
            var s = gc.Between(v.From, v.To);
            report.Add(new Figure(Pauses, $"longest silo pause with {loaded} loaded ({(options.PausesOnly ? $"{Ordinary.Rate:N0} writes/s" : "sections 4 and 5 with Beacon")})", s.LongestPauseMs, "ms",
                Target: $"≤ {PauseLimitMs:N0} ms", Met: s.LongestPauseMs <= PauseLimitMs, Note: s.Describe()));
            // A background gen2 that runs for a second or more while the silo's CPU doubles is the swing issue 22 is about.
            var doubling = s.Gen2.Where(g => g.Collection.DurationMs >= 1000 && g.Cpu is { } c && s.MedianCpu > 0 && c >= 2 * s.MedianCpu).ToArray();
            report.Add(new Figure(Pauses, "longest gen2 collection in those sections", s.LongestGen2Ms, "ms",
                Target: "none of ≥ 1 s that doubles the silo's CPU", Met: doubling.Length == 0,
                Note: $"{s.Count(2)} gen2 collections in {s.Window.TotalMinutes:F1} minutes; the highest CPU during one " +
                    (s.Gen2CpuFactor is { } f ? $"{f:F1}× the median second" : "not sampled") +
                    (doubling.Length == 0 ? "" : $"; {doubling.Length} of ≥ 1 s doubled it")));
        }
        if (_ordinary is { } o)
            report.Note($"silo's collections at the ordinary rate (section 5): {gc.Between(o.From, o.To).Describe()}");
        if (_writesOnly is { } w && w.Writes > 0)
        {
            var s = gc.Between(w.From, w.To);
            report.Add(new Figure(Pauses, $"silo's allocations per write at {options.SteadyRate:N0} writes/s (writes only, no screen)",
                s.AllocatedBytes / w.Writes, "bytes",
                Note: $"{s.AllocatedBytes / 1048576.0:N0} MiB over {w.Writes:N0} writes (EventPipe allocation ticks; timers and publications included)"));
        }
    }
}
