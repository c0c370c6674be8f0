using System.Diagnostics;
using System.Globalization;

namespace Beacon.Load;

/// <summary>CPU time and resident memory of processes, from /proc (Linux).</summary>
public static class ProcStat
{
    private static readonly double TicksPerSecond = 100; // sysconf(_SC_CLK_TCK) is 100 on Linux x86-64 and arm64

    /// <summary>utime + stime of the process in seconds, or null when it is gone.</summary>
    public static double? CpuSeconds(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            // After "pid (comm) ": state(0) ppid(1) … utime(11) stime(12)
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    public static int? ParentOf(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(text[(text.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { return null; }
    }

    /// <summary>Resident anonymous memory in bytes (RssAnon: the heaps, not the mapped binaries).</summary>
    public static long? RssBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return null;
    }

    public static string LoadAverage()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "?"; }
    }
}

/// <summary>
/// CPU seconds over a window, summed over a set of processes: named ones (silo, gateway, serve) and, when a database
/// is given, the PostgreSQL backends serving that database plus the server's shared processes (checkpointer, WAL
/// writer…) and the postmaster, found again at the end so that backends opened during the window count in full.
/// </summary>
public sealed class CpuWindow
{
    private readonly (string Name, int Pid)[] _named;
    private readonly BenchDatabase? _database;
    private Dictionary<int, (string Name, double Seconds)> _start = [];
    private DateTime _startedAt;

    public CpuWindow(BenchDatabase? database, params (string Name, int Pid)[] processes)
    {
        _named = processes;
        _database = database;
    }

    public sealed record Used(double Cpu, double Wall, IReadOnlyDictionary<string, double> ByName)
    {
        public string Breakdown => string.Join(", ", ByName.OrderByDescending(b => b.Value).Select(b => $"{b.Key} {b.Value / Wall:F3}"));

        /// <summary>Two windows taken as one.</summary>
        public Used Plus(Used other) => new(Cpu + other.Cpu, Wall + other.Wall,
            ByName.Keys.Union(other.ByName.Keys).ToDictionary(k => k, k => ByName.GetValueOrDefault(k) + other.ByName.GetValueOrDefault(k)));
    }

    private async Task<Dictionary<int, (string Name, double Seconds)>> SampleAsync()
    {
        var pids = _named.ToDictionary(n => n.Pid, n => n.Name);
        if (_database is not null)
            foreach (var pid in await _database.ServerProcessesAsync()) pids.TryAdd(pid, "PostgreSQL");
        var sample = new Dictionary<int, (string, double)>();
        foreach (var (pid, name) in pids)
            if (ProcStat.CpuSeconds(pid) is { } s) sample[pid] = (name, s);
        return sample;
    }

    public async Task StartAsync()
    {
        _start = await SampleAsync();
        _startedAt = DateTime.UtcNow;
    }

    /// <summary>CPU seconds used in the window, the window's length, and the CPU seconds of each kind of process.</summary>
    public async Task<Used> StopAsync()
    {
        var end = await SampleAsync();
        var wall = (DateTime.UtcNow - _startedAt).TotalSeconds;
        var byName = new Dictionary<string, double>();
        foreach (var (pid, (name, seconds)) in end)
            byName[name] = byName.GetValueOrDefault(name) + seconds - (_start.TryGetValue(pid, out var s) ? s.Seconds : 0);
        return new Used(byName.Values.Sum(), wall, byName);
    }
}

/// <summary>
/// A full, blocking garbage collection in another .NET process, induced the way dotnet-gcdump does it (an EventPipe
/// session with the runtime's GCHeapCollect keyword), and the managed heap's size right after it (the runtime's
/// GCHeapStats event). Only for measuring memory: the silo's own code is not involved.
/// </summary>
public static class InducedGc
{
    private const long GcKeyword = 0x1;
    private const long GcHeapCollectKeyword = 0x800000;

    /// <summary>The managed heap in bytes after an induced full GC, or null when none could be induced.</summary>
    public static async Task<long?> HeapAfterFullGcAsync(int pid)
    {
        try
        {
            var client = new Microsoft.Diagnostics.NETCore.Client.DiagnosticsClient(pid);
            var provider = new Microsoft.Diagnostics.NETCore.Client.EventPipeProvider(
                "Microsoft-Windows-DotNETRuntime", System.Diagnostics.Tracing.EventLevel.Informational, GcKeyword | GcHeapCollectKeyword);
            using var session = client.StartEventPipeSession(provider, requestRundown: false);
            long? heap = null;
            var depth = -1;
            using var source = new Microsoft.Diagnostics.Tracing.EventPipeEventSource(session.EventStream);
            // Only a blocking full GC compacts: a background one leaves its free space in the heap's size.
            source.Clr.GCStart += e => depth = e.Depth == 2 && e.Type == Microsoft.Diagnostics.Tracing.Parsers.Clr.GCType.NonConcurrentGC ? 2 : -1;
            source.Clr.GCHeapStats += e =>
            {
                if (depth == 2 && heap is null) heap = e.TotalHeapSize;
            };
            var processing = Task.Run(source.Process);
            var clock = Stopwatch.StartNew();
            while (heap is null && clock.Elapsed < TimeSpan.FromSeconds(15)) await Task.Delay(100);
            await session.StopAsync(CancellationToken.None);
            await processing;
            return heap;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.WriteLine($"[bench] could not induce a GC in process {pid}: {e.GetType().Name}: {e.Message}");
            return null;
        }
    }
}
