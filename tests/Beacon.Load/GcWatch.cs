using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Beacon.Load;

/// <summary>
/// Watches another .NET process's garbage collections over EventPipe (the runtime's GC keyword at verbose level, as
/// <c>dotnet-trace --profile gc-verbose</c> does, which adds an allocation tick every 100 KB or so) and samples its CPU
/// from /proc every second, so that a window of the run can say: how long the process was paused, how long its gen2
/// collections ran and what CPU they took on top of the work, and how many bytes it allocated.
/// </summary>
public sealed class GcWatch : IAsyncDisposable
{
    private const long GcKeyword = 0x1;
    private static readonly TimeSpan CpuSampleInterval = TimeSpan.FromSeconds(1);

    public sealed record Collection(DateTime Start, double DurationMs, int Generation, bool Background)
    {
        /// <summary>The managed heap right after it (the runtime's GCHeapStats event, which follows its end).</summary>
        public long? HeapAfter { get; set; }
    }
    public sealed record Pause(DateTime Start, double Ms, int? Generation);

    private readonly int _pid;
    private readonly EventPipeSession _session;
    private readonly EventPipeEventSource _source;
    private readonly Task _processing;
    private readonly Task _sampling;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<Collection> _collections = [];
    private readonly List<Pause> _pauses = [];
    private readonly List<(DateTime At, double Cpu)> _cpu = [];
    private readonly List<(DateTime At, long Bytes)> _allocations = [];
    private readonly Dictionary<int, (DateTime Start, int Generation, bool Background)> _running = [];
    private DateTime? _suspended;
    private int? _pausedFor;

    private GcWatch(int pid)
    {
        _pid = pid;
        var client = new DiagnosticsClient(pid);
        _session = client.StartEventPipeSession(
            new EventPipeProvider("Microsoft-Windows-DotNETRuntime", System.Diagnostics.Tracing.EventLevel.Verbose, GcKeyword),
            requestRundown: false);
        _source = new EventPipeEventSource(_session.EventStream);
        _source.Clr.GCStart += OnStart;
        _source.Clr.GCStop += OnStop;
        _source.Clr.GCSuspendEEStart += e => _suspended = e.TimeStamp.ToUniversalTime();
        _source.Clr.GCRestartEEStop += OnRestarted;
        _source.Clr.GCHeapStats += e =>
        {
            lock (_gate)
                if (_collections.Count > 0 && _collections[^1].HeapAfter is null) _collections[^1].HeapAfter = e.TotalHeapSize;
        };
        _source.Clr.GCAllocationTick += e =>
        {
            lock (_gate) _allocations.Add((e.TimeStamp.ToUniversalTime(), e.AllocationAmount64));
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

    private void OnStart(GCStartTraceData e)
    {
        // A pause is credited to the first collection that starts in it (a background gen2 starts in a short one).
        if (_suspended is not null) _pausedFor ??= e.Depth;
        lock (_gate) _running[e.Count] = (e.TimeStamp.ToUniversalTime(), e.Depth, e.Type == GCType.BackgroundGC);
    }

    private void OnStop(GCEndTraceData e)
    {
        lock (_gate)
        {
            if (!_running.Remove(e.Count, out var started)) return;
            _collections.Add(new Collection(started.Start, (e.TimeStamp.ToUniversalTime() - started.Start).TotalMilliseconds, started.Generation, started.Background));
        }
    }

    private void OnRestarted(TraceEvent e)
    {
        if (_suspended is not { } from) return;
        _suspended = null;
        var generation = _pausedFor;
        _pausedFor = null;
        lock (_gate) _pauses.Add(new Pause(from, (e.TimeStamp.ToUniversalTime() - from).TotalMilliseconds, generation));
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
            var pauses = _pauses.Where(p => p.Start >= from && p.Start < to).ToArray();
            var allocated = _allocations.Where(a => a.At >= from && a.At < to).Sum(a => a.Bytes);
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
            return new Summary(from, to - from, collections, pauses, allocated, median, gen2);
        }
    }

    public sealed record Summary(
        DateTime From, TimeSpan Window, Collection[] Collections, Pause[] Pauses, long AllocatedBytes, double MedianCpu,
        (Collection Collection, double? Cpu)[] Gen2)
    {
        public double LongestPauseMs => Pauses.Length == 0 ? 0 : Pauses.Max(p => p.Ms);
        public int PausesOver(double ms) => Pauses.Count(p => p.Ms > ms);
        public double TotalPauseMs => Pauses.Sum(p => p.Ms);
        public double Percentile(double q) => Pauses.Length == 0 ? 0 : Pauses.Select(p => p.Ms).Order().ElementAt((int)Math.Min(Pauses.Length - 1, Math.Floor(q * Pauses.Length)));
        public int Count(int generation) => Collections.Count(c => c.Generation == generation);
        public double LongestGen2Ms => Gen2.Length == 0 ? 0 : Gen2.Max(g => g.Collection.DurationMs);
        /// <summary>The highest CPU during a gen2 collection, as a multiple of the window's median second.</summary>
        public double? Gen2CpuFactor => MedianCpu <= 0 || Gen2.All(g => g.Cpu is null) ? null : Gen2.Max(g => g.Cpu ?? 0) / MedianCpu;

        public string Describe() =>
            $"{Window.TotalSeconds:F0} s: {Pauses.Length:N0} pauses, longest {LongestPauseMs:F1} ms, {PausesOver(100)} over 100 ms" +
            (PausesOver(100) == 0 ? ", " : $" ({string.Join(", ", Pauses.Where(p => p.Ms > 100).GroupBy(p => p.Generation).OrderBy(g => g.Key).Select(g => $"{(g.Key is { } k ? $"gen{k}" : "no collection")} ×{g.Count()}"))}), ") +
            $"p99 {Percentile(0.99):F1} ms, " +
            $"{TotalPauseMs / Window.TotalMilliseconds:P2} of the time paused; collections gen0 {Count(0)}, gen1 {Count(1)}, gen2 {Count(2)}" +
            (Gen2.Length == 0 ? "" : $" ({string.Join(", ", Gen2.Select(g => $"at +{(g.Collection.Start - From).TotalSeconds:F0} s {(g.Collection.Background ? "background" : "blocking")} {g.Collection.DurationMs:F0} ms" +
                (g.Cpu is { } c ? $" at {c:F2} CPU-s/s" : "") + (g.Collection.HeapAfter is { } h ? $", heap {h / 1048576.0:N0} MiB after" : "")))})") +
            $"; silo's median CPU {MedianCpu:F2} CPU-s/s; allocated {AllocatedBytes / 1048576.0:N0} MiB";
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
