using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace Beacon.Load;

/// <summary>Where the repository and its Release binaries are, and free loopback ports.</summary>
public static class Paths
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Beacon.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"No Beacon.slnx above {AppContext.BaseDirectory}: cannot find the repository root.");
    });

    public static string RepoRoot => Root.Value;

    public static string Configuration =>
        typeof(Paths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration is { Length: > 0 } c ? c : "Release";

    public static string SiloDll => Binary("Silo", "Beacon.Silo.dll");
    public static string GatewayDll => Binary("Gateway", "Beacon.Gateway.dll");
    public static string LoadDll => typeof(Paths).Assembly.Location;

    private static string Binary(string project, string dll)
    {
        var path = Path.Combine(RepoRoot, project, "bin", Configuration, "net10.0", dll);
        if (!File.Exists(path)) throw new InvalidOperationException($"{path} does not exist: build first (dotnet build Beacon.slnx -c {Configuration}).");
        return path;
    }

    private static readonly ConcurrentDictionary<int, byte> Handed = new();

    public static int FreePort()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            if (Handed.TryAdd(port, 0)) return port;
        }
    }
}

/// <summary>
/// A process the benchmark started (silo, gateway, the serve helper): output to a log file and kept in memory for
/// start-up lines, stopped with SIGTERM then a kill. Every one is registered so that Ctrl-C or an error stops them all.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, ChildProcess> Running = new();
    private static readonly ConcurrentDictionary<string, byte> StartedNames = new();
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private readonly StringBuilder _recent = new();
    private readonly Lock _gate = new();
    private readonly StreamWriter _log;
    private readonly List<(string Text, TaskCompletionSource Seen)> _waiters = [];
    private bool _stopped;

    public string Name { get; }
    public int Id { get; }
    public DateTime StartedAt { get; }
    public bool HasExited => _process.HasExited;

    private ChildProcess(string name, Process process, StreamWriter log)
    {
        Name = name;
        _process = process;
        _log = log;
        Id = process.Id;
        StartedAt = DateTime.UtcNow;
    }

    public static ChildProcess Start(string name, string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment, string logDir)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (key, value) in environment)
        {
            if (value is null) info.Environment.Remove(key);
            else info.Environment[key] = value;
        }
        Directory.CreateDirectory(logDir);
        // A fresh log per run; a process started again in the same run (the restart) goes on in the same file.
        var log = new StreamWriter(Path.Combine(logDir, $"{name}.log"), append: !StartedNames.TryAdd(name, 0)) { AutoFlush = true };
        log.WriteLine($"===== {DateTime.Now:HH:mm:ss} start: dotnet {dll} {string.Join(' ', args)}");
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        if (!process.Start()) throw new InvalidOperationException($"Could not start {name}: dotnet {dll}");
        var child = new ChildProcess(name, process, log);
        Running[child.Id] = child;
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data is null ? null : "stderr: " + e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        TaskCompletionSource[] seen;
        lock (_gate)
        {
            try { _log.WriteLine(line); } catch (ObjectDisposedException) { }
            _recent.AppendLine(line);
            if (_recent.Length > 64_000) _recent.Remove(0, _recent.Length - 32_000);
            seen = _waiters.Where(w => line.Contains(w.Text, StringComparison.Ordinal)).Select(w => w.Seen).ToArray();
            _waiters.RemoveAll(w => seen.Contains(w.Seen));
        }
        foreach (var s in seen) s.TrySetResult();
    }

    public async Task WaitForLineAsync(string text, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_recent.ToString().Contains(text, StringComparison.Ordinal)) return;
            _waiters.Add((text, seen));
        }
        var clock = Stopwatch.StartNew();
        while (!seen.Task.IsCompleted)
        {
            ThrowIfExited($"waiting for \"{text}\"");
            if (clock.Elapsed > timeout) throw new TimeoutException($"{Name} did not print \"{text}\" within {timeout.TotalSeconds} s.\n{Describe()}");
            await Task.WhenAny(seen.Task, Task.Delay(50));
        }
    }

    public void ThrowIfExited(string doing)
    {
        if (!_process.HasExited) return;
        _process.WaitForExit();
        throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} while {doing}.\n{Describe()}");
    }

    public string Describe()
    {
        string recent;
        lock (_gate) recent = _recent.ToString();
        if (recent.Length > 6_000) recent = "…" + recent[^6_000..];
        return $"--- {Name} (pid {Id}) last output ---\n{recent}--- end ---";
    }

    /// <summary>SIGTERM, up to 20 s for a clean stop, then a kill. Answers how long it took.</summary>
    public async Task<TimeSpan> StopAsync()
    {
        var clock = Stopwatch.StartNew();
        if (_stopped) return TimeSpan.Zero;
        _stopped = true;
        try
        {
            if (_process.HasExited) return TimeSpan.Zero;
            if (Posix.Kill(Id, Posix.SigTerm) != 0) _process.Kill(entireProcessTree: true);
            using var wait = new CancellationTokenSource(StopTimeout);
            try { await _process.WaitForExitAsync(wait.Token); }
            catch (OperationCanceledException)
            {
                Console.WriteLine($"[bench] {Name} did not stop within {StopTimeout.TotalSeconds} s of SIGTERM: killing it");
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            return clock.Elapsed;
        }
        finally
        {
            Running.TryRemove(Id, out _);
            lock (_gate) { try { _log.WriteLine($"===== {DateTime.Now:HH:mm:ss} stopped"); _log.Dispose(); } catch (ObjectDisposedException) { } }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try { await StopAsync(); }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }

    /// <summary>Last resort on Ctrl-C or an unhandled error: SIGTERM to every child still running, a short wait, then a kill.</summary>
    public static void StopAllNow()
    {
        var all = Running.Values.ToArray();
        foreach (var c in all) { try { if (!c._process.HasExited) Posix.Kill(c.Id, Posix.SigTerm); } catch (InvalidOperationException) { } }
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        foreach (var c in all)
        {
            try
            {
                var left = deadline - DateTime.UtcNow;
                if (!c._process.WaitForExit(left > TimeSpan.Zero ? left : TimeSpan.Zero)) c._process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException) { }
        }
    }

    private static class Posix
    {
        public const int SigTerm = 15;

        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static extern int Kill(int pid, int signal);
    }
}

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
