using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;

namespace Beacon.TestSupport;

/// <summary>
/// One started process (a silo, a gateway, a command, run.sh, the bench's helper): its output captured as it comes,
/// waits for a line or for <c>/health</c>, and a stop that always happens (SIGTERM, then a kill after
/// <see cref="StopTimeout"/>). Every one is registered until it stops, so that <see cref="StopAllNow"/> can end them all.
/// </summary>
public sealed class BeaconProcess : IAsyncDisposable
{
    /// <summary>What a silo prints once it has joined its cluster and serves.</summary>
    public const string SiloReadyLine = "Beacon silo ready";

    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    /// <summary>With a log file, how much of the output is kept in memory too (its end).</summary>
    private const int KeptBesideLog = 64_000;

    private static readonly ConcurrentDictionary<int, BeaconProcess> Running = new();
    private static readonly ConcurrentDictionary<string, byte> LogsWritten = new();

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _stdout = new();
    private readonly List<string> _stderr = [];
    private readonly Lock _gate = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _waiters = [];
    private readonly StreamWriter? _log;
    private bool _stopped;

    public string Name { get; }
    public int Id { get; }
    public DateTime StartedAt { get; }
    /// <summary>The file the output also goes to, if one was given.</summary>
    public string? LogFile { get; }

    private BeaconProcess(string name, Process process, string? logFile, StreamWriter? log)
    {
        Name = name;
        _process = process;
        LogFile = logFile;
        _log = log;
        Id = process.Id;
        StartedAt = DateTime.UtcNow;
    }

    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    /// <summary>Standard output and standard error (each line of it prefixed <c>stderr: </c>), interleaved as they came.</summary>
    public string Output
    {
        get { lock (_gate) return _output.ToString(); }
    }

    /// <summary>Standard output alone.</summary>
    public string StandardOutput
    {
        get { lock (_gate) return _stdout.ToString(); }
    }

    /// <summary>Standard error alone, one entry a line.</summary>
    public IReadOnlyList<string> StandardErrorLines
    {
        get { lock (_gate) return [.. _stderr]; }
    }

    /// <summary>
    /// Starts <c>dotnet <paramref name="dll"/> args…</c> from the dll's directory, as run.sh does. With
    /// <paramref name="logFile"/> the output also goes to that file (appended to when this process wrote it before, as
    /// for a restart) and only its end is kept in memory.
    /// </summary>
    public static BeaconProcess Start(string name, string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment,
        string? logFile = null) =>
        StartCommand(name, Dotnet, [dll, .. args], Path.GetDirectoryName(dll)!, environment, logFile);

    /// <summary>Starts any program; <paramref name="environment"/> adds variables, and removes those whose value is null.</summary>
    public static BeaconProcess StartCommand(string name, string program, IEnumerable<string> args, string workingDirectory,
        IReadOnlyDictionary<string, string?> environment, string? logFile = null)
    {
        var arguments = args.ToArray();
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        foreach (var (key, value) in environment)
        {
            if (value is null) info.Environment.Remove(key);
            else info.Environment[key] = value;
        }
        StreamWriter? log = null;
        if (logFile is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logFile))!);
            log = new StreamWriter(logFile, append: !LogsWritten.TryAdd(Path.GetFullPath(logFile), 0)) { AutoFlush = true };
            log.WriteLine($"===== {DateTime.Now:HH:mm:ss} start: {program} {string.Join(' ', arguments)}");
        }
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        try
        {
            if (!process.Start()) throw new InvalidOperationException($"Could not start {name}: {program} {string.Join(' ', arguments)}");
        }
        catch
        {
            log?.Dispose();
            process.Dispose();
            throw;
        }
        var started = new BeaconProcess(name, process, logFile, log);
        Running[started.Id] = started;
        process.OutputDataReceived += (_, e) => started.Append(e.Data, "");
        process.ErrorDataReceived += (_, e) => started.Append(e.Data, "stderr: ");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>The dotnet host running this process when it is one (so the same runtime starts the children), else dotnet on PATH.</summary>
    private static string Dotnet =>
        Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";

    private void Append(string? line, string prefix)
    {
        if (line is null) return;
        TaskCompletionSource[] seen;
        lock (_gate)
        {
            if (_log is not null)
            {
                try { _log.WriteLine(prefix + line); } catch (ObjectDisposedException) { /* stopped: the last lines go to memory only */ }
            }
            _output.Append(prefix).AppendLine(line);
            if (prefix.Length == 0) _stdout.AppendLine(line);
            else _stderr.Add(line);
            if (_log is not null) Trim();
            seen = _waiters.Where(w => line.Contains(w.Text, StringComparison.Ordinal)).Select(w => w.Seen).ToArray();
            _waiters.RemoveAll(w => seen.Contains(w.Seen));
        }
        foreach (var s in seen) s.TrySetResult();
    }

    private void Trim()
    {
        if (_output.Length > KeptBesideLog) _output.Remove(0, _output.Length - KeptBesideLog / 2);
        if (_stdout.Length > KeptBesideLog) _stdout.Remove(0, _stdout.Length - KeptBesideLog / 2);
        if (_stderr.Count > 1_000) _stderr.RemoveRange(0, _stderr.Count - 500);
    }

    /// <summary>Waits for the process to exit by itself (a command, not a server); answers false on timeout.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Waits for a line containing <paramref name="text"/> (already printed or still to come).</summary>
    public async Task WaitForLineAsync(string text, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_output.ToString().Contains(text, StringComparison.Ordinal)) return;
            _waiters.Add((text, seen));
        }
        var deadline = Stopwatch.StartNew();
        while (!seen.Task.IsCompleted)
        {
            ThrowIfExited($"waiting for \"{text}\"");
            if (deadline.Elapsed > timeout)
                throw new TimeoutException($"{Name} did not print \"{text}\" within {timeout.TotalSeconds} s.\n{Describe()}");
            await Task.WhenAny(seen.Task, Task.Delay(50));
        }
    }

    /// <summary>
    /// Waits until <c>GET {baseUrl}/health</c> answers 200 (a gateway that reached its cluster), failing at once if this
    /// process or any of <paramref name="alsoRunning"/> (its silo) exits meanwhile.
    /// </summary>
    public async Task WaitForHealthAsync(string baseUrl, TimeSpan timeout, HttpClient? http = null, params BeaconProcess[] alsoRunning)
    {
        using var own = http is null ? new HttpClient { Timeout = TimeSpan.FromSeconds(10) } : null;
        var client = http ?? own!;
        var url = $"{baseUrl.TrimEnd('/')}/health";
        var deadline = Stopwatch.StartNew();
        var last = "no answer yet";
        while (true)
        {
            ThrowIfExited("waiting for GET /health to answer 200");
            foreach (var other in alsoRunning) other.ThrowIfExited($"{Name} waited for GET /health to answer 200");
            try
            {
                using var response = await client.GetAsync(url);
                if (response.StatusCode == HttpStatusCode.OK) return;
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }
            if (deadline.Elapsed > timeout)
                throw new TimeoutException($"{Name} did not answer GET /health 200 within {timeout.TotalSeconds} s (last: {last}).\n{Describe()}");
            await Task.Delay(100);
        }
    }

    public void ThrowIfExited(string doing)
    {
        if (!_process.HasExited) return;
        _process.WaitForExit(); // drains the asynchronous output readers
        throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} while {doing}.\n{Describe()}");
    }

    /// <summary>The end of the output, named, for a failure message.</summary>
    public string Describe()
    {
        var output = Output;
        const int max = 12_000;
        if (output.Length > max) output = "…" + output[^max..];
        return $"--- {Name} (pid {Id}) output ---\n{output}--- end of {Name} output ---";
    }

    /// <summary>SIGKILL: the process ends at once, without writing anything it holds (a crash).</summary>
    public void Kill()
    {
        _stopped = true;
        try
        {
            if (_process.HasExited) return;
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        finally
        {
            Stopped("killed");
        }
    }

    /// <summary>SIGTERM, then up to <see cref="StopTimeout"/> for a graceful stop, then a kill. Answers whether it stopped by itself.</summary>
    public async Task<bool> StopAsync()
    {
        if (_stopped) return true;
        _stopped = true;
        try
        {
            if (_process.HasExited) return true;
            if (Posix.Kill(Id, Posix.SigTerm) != 0) _process.Kill(entireProcessTree: true);
            using var wait = new CancellationTokenSource(StopTimeout);
            try
            {
                await _process.WaitForExitAsync(wait.Token);
                return true;
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
                lock (_gate) _output.AppendLine($"[{Name}] did not stop within {StopTimeout.TotalSeconds} s of SIGTERM: killed");
                return false;
            }
        }
        finally
        {
            Stopped("stopped");
        }
    }

    private void Stopped(string how)
    {
        Running.TryRemove(Id, out _);
        if (_log is null) return;
        lock (_gate)
        {
            try
            {
                _log.WriteLine($"===== {DateTime.Now:HH:mm:ss} {how}");
                _log.Dispose();
            }
            catch (ObjectDisposedException) { /* stopped before */ }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try { await StopAsync(); }
        catch (InvalidOperationException) { /* never started or already reaped */ }
        _process.Dispose();
    }

    /// <summary>Last resort on Ctrl-C or an unhandled error: SIGTERM to every process still running, up to 10 s, then a kill.</summary>
    public static void StopAllNow()
    {
        var all = Running.Values.ToArray();
        foreach (var p in all)
        {
            try { if (!p._process.HasExited) Posix.Kill(p.Id, Posix.SigTerm); }
            catch (InvalidOperationException) { /* reaped */ }
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        foreach (var p in all)
        {
            try
            {
                var left = deadline - DateTime.UtcNow;
                if (!p._process.WaitForExit(left > TimeSpan.Zero ? left : TimeSpan.Zero)) p._process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException) { /* reaped */ }
        }
    }

    private static class Posix
    {
        public const int SigTerm = 15;

        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static extern int Kill(int pid, int signal);
    }
}
