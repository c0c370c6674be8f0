using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Analysis;
using Microsoft.Diagnostics.Tracing.Analysis.GC;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Beacon.Load;

/// <summary>
/// Watches another .NET process's garbage collections over EventPipe (the runtime's GC keyword at verbose level, as
/// <c>dotnet-trace --profile gc-verbose</c> does, which adds an allocation tick every 100 KB or so) and samples its CPU
/// from /proc every second, so that a window of the run can say: how long the process was paused, how long its gen2
/// collections ran and what CPU they took on top of the work, and how many bytes it allocated. A collection's pause is
/// the time from the runtime's request to suspend the threads to their restart, as TraceEvent's analysis counts it.
/// </summary>
public sealed class GcWatch : IAsyncDisposable
{
    private const long GcKeyword = 0x1;
    private static readonly TimeSpan CpuSampleInterval = TimeSpan.FromSeconds(1);
    private const int TopTypes = 6;

    /// <param name="SuspendMs">the part of the pause spent bringing the threads to a stop (long when the machine's cores are
    /// taken by other processes and a thread is not running to reach its safe point).</param>
    /// <param name="PauseMs">how long the process's threads were stopped for it (for a background gen2, its own short
    /// pauses; the gen0 and gen1 collections it lets run meanwhile are collections of their own).</param>
    public sealed record Collection(DateTime Start, double DurationMs, int Generation, bool Background, double PauseMs, double SuspendMs)
    {
        public long? HeapAfter { get; init; }
    }

    private readonly int _pid;
    private readonly EventPipeSession _session;
    private readonly EventPipeEventSource _source;
    private readonly Task _processing;
    private readonly Task _sampling;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<Collection> _collections = [];
    private readonly List<(DateTime At, double Cpu)> _cpu = [];
    private readonly List<(DateTime At, long Bytes, string? Type)> _allocations = [];

    private GcWatch(int pid)
    {
        _pid = pid;
        var client = new DiagnosticsClient(pid);
        _session = client.StartEventPipeSession(
            new EventPipeProvider("Microsoft-Windows-DotNETRuntime", System.Diagnostics.Tracing.EventLevel.Verbose, GcKeyword),
            requestRundown: false);
        _source = new EventPipeEventSource(_session.EventStream);
        // TraceEvent's own GC analysis (as PerfView's GCStats reads a trace): it pairs each collection with its
        // suspension and, for a background gen2, counts only the pauses it makes, not the time it runs beside the work.
        _source.NeedLoadedDotNetRuntimes();
        _source.AddCallbackOnProcessStart(process => process.AddCallbackOnDotNetRuntimeLoad(runtime => runtime.GCEnd += OnEnd));
        _source.Clr.GCAllocationTick += e =>
        {
            lock (_gate) _allocations.Add((e.TimeStamp.ToUniversalTime(), e.AllocationAmount64, e.TypeName));
        };
        _processing = Task.Run(_source.Process);
        _sampling = Task.Run(SampleCpuAsync);
    }

    /// <summary>Starts watching, or answers null (and says why) when the process cannot be reached over EventPipe.</summary>
    public static GcWatch? Start(int pid)
    {
        try
        {
            return new GcWatch(pid);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.WriteLine($"[bench] could not watch the garbage collections of process {pid}: {e.GetType().Name}: {e.Message}");
            return null;
        }
    }

    private void OnEnd(TraceProcess process, TraceGC gc)
    {
        var start = _source.SessionStartTime.ToUniversalTime().AddMilliseconds(gc.StartRelativeMSec);
        var collection = new Collection(start, gc.DurationMSec, gc.Generation, gc.Type == GCType.BackgroundGC, gc.PauseDurationMSec, gc.SuspendDurationMSec)
        {
            HeapAfter = (long)(gc.HeapSizeAfterMB * 1048576),
        };
        lock (_gate) _collections.Add(collection);
    }

    private async Task SampleCpuAsync()
    {
        using var timer = new PeriodicTimer(CpuSampleInterval);
        try
        {
            do
            {
                if (ProcStat.CpuSeconds(_pid) is { } cpu)
                    lock (_gate) _cpu.Add((DateTime.UtcNow, cpu));
            }
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>What happened between <paramref name="from"/> and <paramref name="to"/> (UTC).</summary>
    public Summary Between(DateTime from, DateTime to)
    {
        lock (_gate)
        {
            var collections = _collections.Where(c => c.Start >= from && c.Start < to).ToArray();
            var ticks = _allocations.Where(a => a.At >= from && a.At < to).ToArray();
            var allocated = ticks.Sum(a => a.Bytes);
            // Each tick names the type whose allocation crossed the next 100 KB: a sample of what is allocated most.
            var types = ticks.GroupBy(a => a.Type ?? "?").Select(g => (Type: g.Key, Bytes: g.Sum(a => a.Bytes)))
                .OrderByDescending(t => t.Bytes).Take(TopTypes).ToArray();
            var rates = new List<(DateTime At, double Rate)>();
            for (var i = 1; i < _cpu.Count; i++)
                if (_cpu[i].At > from && _cpu[i].At <= to)
                    rates.Add((_cpu[i].At, (_cpu[i].Cpu - _cpu[i - 1].Cpu) / (_cpu[i].At - _cpu[i - 1].At).TotalSeconds));
            var median = rates.Count == 0 ? 0 : rates.Select(r => r.Rate).Order().ElementAt(rates.Count / 2);
            // A gen2 collection's CPU: the samples that end while it runs or within a second after (the sample that
            // holds its end), against the window's median second.
            double? CpuDuring(Collection c)
            {
                var end = c.Start.AddMilliseconds(c.DurationMs) + CpuSampleInterval;
                var during = rates.Where(r => r.At > c.Start && r.At <= end).Select(r => r.Rate).ToArray();
                return during.Length == 0 ? null : during.Average();
            }
            var gen2 = collections.Where(c => c.Generation == 2).Select(c => (Collection: c, Cpu: CpuDuring(c))).ToArray();
            return new Summary(from, to - from, collections, allocated, types, median, gen2);
        }
    }

    public sealed record Summary(
        DateTime From, TimeSpan Window, Collection[] Collections, long AllocatedBytes, (string Type, long Bytes)[] TopAllocated, double MedianCpu,
        (Collection Collection, double? Cpu)[] Gen2)
    {
        public double LongestPauseMs => Collections.Length == 0 ? 0 : Collections.Max(c => c.PauseMs);
        public int PausesOver(double ms) => Collections.Count(c => c.PauseMs > ms);
        public double TotalPauseMs => Collections.Sum(c => c.PauseMs);
        public double Percentile(double q) => Collections.Length == 0 ? 0 :
            Collections.Select(c => c.PauseMs).Order().ElementAt((int)Math.Min(Collections.Length - 1, Math.Floor(q * Collections.Length)));
        public int Count(int generation) => Collections.Count(c => c.Generation == generation);
        public double LongestGen2Ms => Gen2.Length == 0 ? 0 : Gen2.Max(g => g.Collection.DurationMs);
        /// <summary>The highest CPU during a gen2 collection, as a multiple of the window's median second.</summary>
        public double? Gen2CpuFactor => MedianCpu <= 0 || Gen2.All(g => g.Cpu is null) ? null : Gen2.Max(g => g.Cpu ?? 0) / MedianCpu;

        public string Describe() =>
            $"{Window.TotalSeconds:F0} s: {Collections.Length:N0} pauses, longest {LongestPauseMs:F1} ms, {PausesOver(100)} over 100 ms" +
            (PausesOver(100) == 0 ? ", " : $" ({string.Join(", ", Collections.Where(c => c.PauseMs > 100).GroupBy(c => c.Generation).OrderBy(g => g.Key).Select(g => $"gen{g.Key} ×{g.Count()}"))}; of their time {Collections.Where(c => c.PauseMs > 100).Sum(c => c.SuspendMs) / Math.Max(1, Collections.Where(c => c.PauseMs > 100).Sum(c => c.PauseMs)):P0} suspending), ") +
            $"p99 {Percentile(0.99):F1} ms, " +
            $"{TotalPauseMs / Window.TotalMilliseconds:P2} of the time paused; collections gen0 {Count(0)}, gen1 {Count(1)}, gen2 {Count(2)}" +
            (Gen2.Length == 0 ? "" : $" ({string.Join(", ", Gen2.Select(g => $"at +{(g.Collection.Start - From).TotalSeconds:F0} s {(g.Collection.Background ? "background" : "blocking")} {g.Collection.DurationMs:F0} ms (paused {g.Collection.PauseMs:F0} ms)" +
                (g.Cpu is { } c ? $" at {c:F2} CPU-s/s" : "") + (g.Collection.HeapAfter is { } h ? $", heap {h / 1048576.0:N0} MiB after" : "")))})") +
            $"; silo's median CPU {MedianCpu:F2} CPU-s/s; allocated {AllocatedBytes / 1048576.0:N0} MiB" +
            (TopAllocated.Length == 0 || AllocatedBytes == 0 ? "" : $", most as {string.Join(", ", TopAllocated.Select(t => $"{ShortName(t.Type)} {(double)t.Bytes / AllocatedBytes:P0}"))}");

        private static string ShortName(string type) => type.Length <= 60 ? type : type[..57] + "…";
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _session.StopAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is ServerNotAvailableException or IOException or TimeoutException or InvalidOperationException)
        {
            // The process is gone (stopped or killed): its stream has ended anyway.
        }
        await Task.WhenAny(_processing, Task.Delay(TimeSpan.FromSeconds(10)));
        await _sampling;
        _source.Dispose();
        _session.Dispose();
        _stop.Dispose();
    }
}
