using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Beacon.Hosting;

namespace Beacon.IntegrationTests.Infrastructure;

/// <summary>
/// Starts the real silo and gateway binaries (<c>dotnet Beacon.Silo.dll</c>, <c>dotnet Beacon.Gateway.dll</c>) the way
/// an operator would, on free ports, and stops them with SIGTERM (then a kill after 20 s).
/// </summary>
public static class BeaconProcesses
{
    /// <summary>The key the gateways under test validate tokens with; the tests sign their tokens with it too.</summary>
    public const string SigningKey = "beacon-integration-tests-signing-key-0123456789";

    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    /// <summary>This test run's own directory: the cluster certificate, and empty installation directories.</summary>
    private static readonly Lazy<string> Scratch = new(() =>
    {
        var dir = Directory.CreateTempSubdirectory("beacon-it-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(dir, recursive: true); }
            catch (IOException) { /* a process still writing: the temp directory is cleaned some day */ }
        };
        return dir;
    });

    /// <summary>A directory of its own under this run's scratch directory.</summary>
    public static string NewDirectory(string name) => Directory.CreateDirectory(Path.Combine(Scratch.Value, $"{name}-{Guid.NewGuid():N}")).FullName;

    /// <summary>The installation directory every process started here gets (<c>BEACON_HOME</c>): empty, so nothing a developer's run.sh made is found.</summary>
    public static readonly Lazy<string> EmptyHome = new(() => NewDirectory("home"));

    /// <summary>A throwaway cluster certificate for this test run, made the way run.sh's installation gets one.</summary>
    private static readonly Lazy<(string Path, string PasswordFile)> Certificate = new(() =>
    {
        var dir = NewDirectory("cluster");
        var files = (Path.Combine(dir, "cluster.pfx"), Path.Combine(dir, "cluster.pfx.password"));
        ClusterCertificate.CreateFiles(files.Item1, files.Item2);
        return files;
    });

    /// <summary>The certificate the silos and gateways under test present, with its private key.</summary>
    public static X509Certificate2 LoadCertificate() =>
        ClusterCertificate.Load(new BeaconClusterOptions { Certificate = Certificate.Value.Path, CertificatePasswordFile = Certificate.Value.PasswordFile });
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Beacon.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"No Beacon.slnx above {AppContext.BaseDirectory}: cannot find the repository root.");
    });

    public static string RepoRoot => Root.Value;

    /// <summary>The configuration this test assembly was built with (Debug, Release): the binaries started are the same one's.</summary>
    public static string Configuration =>
        typeof(BeaconProcesses).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration is { Length: > 0 } c ? c : "Debug";

    public static string SiloDll => Binary("Silo", "Beacon.Silo.dll");
    public static string GatewayDll => Binary("Gateway", "Beacon.Gateway.dll");

    private static string Binary(string project, string dll)
    {
        var path = Path.Combine(RepoRoot, project, "bin", Configuration, "net10.0", dll);
        if (!File.Exists(path))
            throw new InvalidOperationException($"{path} does not exist: build the solution in {Configuration} first (dotnet build Beacon.slnx -c {Configuration}).");
        return path;
    }

    private static readonly ConcurrentDictionary<int, byte> Handed = new();

    /// <summary>A TCP port nothing listens on now, never the same one twice in this test run.</summary>
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

    public static Dictionary<string, string?> CommonEnvironment() => new()
    {
        ["DOTNET_ENVIRONMENT"] = "Production",
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Logging__Console__FormatterName"] = "simple",
        ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
        ["Logging__Console__FormatterOptions__ColorBehavior"] = "Disabled",
        ["DOTNET_gcServer"] = "0",
        ["BEACON_HOME"] = EmptyHome.Value,
        ["Beacon__Cluster__Certificate"] = Certificate.Value.Path,
        ["Beacon__Cluster__CertificatePasswordFile"] = Certificate.Value.PasswordFile,
    };

    /// <summary>Starts a silo and waits for its "Beacon silo ready" line. <paramref name="environment"/> adds or overrides variables.</summary>
    public static async Task<BeaconProcess> StartSiloAsync(SiloPorts ports, string storage, string? connectionString, string demoCounties,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var env = CommonEnvironment();
        env["Beacon__Storage"] = storage;
        env["ConnectionStrings__Beacon"] = connectionString;
        env["Beacon__Cluster__SiloPort"] = ports.Silo.ToString();
        env["Beacon__Cluster__GatewayPort"] = ports.Gateway.ToString();
        env["Beacon__Demo"] = "true";
        env["Beacon__DemoCounties"] = demoCounties;
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>()) env[key] = value;
        var silo = BeaconProcess.Start("silo", SiloDll, [], env);
        try
        {
            await silo.WaitForLineAsync("Beacon silo ready", StartTimeout);
            return silo;
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts a gateway and waits until GET /health answers 200. <paramref name="environment"/> adds or overrides
    /// variables (e.g. <c>Beacon__RateLimit__PermitLimit</c>); without it the gateway runs with its defaults.
    /// </summary>
    public static async Task<BeaconProcess> StartGatewayAsync(int httpPort, SiloPorts ports, string storage, string? connectionString,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var env = CommonEnvironment();
        env["Beacon__Storage"] = storage;
        env["ConnectionStrings__Beacon"] = connectionString;
        env["Beacon__Cluster__GatewayPort"] = ports.Gateway.ToString();
        env["Beacon__Auth__SigningKey"] = SigningKey;
        env["ASPNETCORE_URLS"] = $"http://127.0.0.1:{httpPort}";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>()) env[key] = value;
        var gateway = BeaconProcess.Start("gateway", GatewayDll, [], env);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(10) };
            var deadline = Stopwatch.StartNew();
            var last = "no answer yet";
            while (true)
            {
                gateway.ThrowIfExited("waiting for GET /health to answer 200");
                try
                {
                    using var response = await http.GetAsync("/health");
                    if (response.StatusCode == HttpStatusCode.OK) return gateway;
                    last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    last = e.Message;
                }
                if (deadline.Elapsed > StartTimeout)
                    throw new TimeoutException($"The gateway did not answer GET /health 200 within {StartTimeout.TotalSeconds} s (last: {last}).\n{gateway.Describe()}");
                await Task.Delay(200);
            }
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }
}

public sealed record SiloPorts(int Silo, int Gateway)
{
    public static SiloPorts Free() => new(BeaconProcesses.FreePort(), BeaconProcesses.FreePort());
}

/// <summary>One started process, its captured output, and a stop that always happens.</summary>
public sealed class BeaconProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _stdout = new();
    private readonly List<string> _stderr = [];
    private readonly Lock _gate = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _waiters = [];
    private bool _stopped;

    public string Name { get; }

    private BeaconProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>Standard output and standard error, interleaved as they came.</summary>
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

    public int ExitCode => _process.ExitCode;

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

    /// <summary>Starts <c>dotnet <paramref name="dll"/> args…</c> from the dll's directory, as run.sh does.</summary>
    public static BeaconProcess Start(string name, string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment) =>
        StartCommand(name, "dotnet", [dll, .. args], Path.GetDirectoryName(dll)!, environment);

    /// <summary>Starts any program; <paramref name="environment"/> adds variables, and removes those whose value is null.</summary>
    public static BeaconProcess StartCommand(string name, string program, IEnumerable<string> args, string workingDirectory,
        IReadOnlyDictionary<string, string?> environment)
    {
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (key, value) in environment)
        {
            if (value is null) info.Environment.Remove(key);
            else info.Environment[key] = value;
        }
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var started = new BeaconProcess(name, process);
        process.OutputDataReceived += (_, e) => started.Append(e.Data, "");
        process.ErrorDataReceived += (_, e) => started.Append(e.Data, "stderr: ");
        if (!process.Start()) throw new InvalidOperationException($"Could not start {name}: {program} {string.Join(' ', args)}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    private void Append(string? line, string prefix)
    {
        if (line is null) return;
        TaskCompletionSource[] seen;
        lock (_gate)
        {
            _output.Append(prefix).AppendLine(line);
            if (prefix.Length == 0) _stdout.AppendLine(line);
            else _stderr.Add(line);
            seen = _waiters.Where(w => line.Contains(w.Text, StringComparison.Ordinal)).Select(w => w.Seen).ToArray();
            _waiters.RemoveAll(w => seen.Contains(w.Seen));
        }
        foreach (var s in seen) s.TrySetResult();
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
            await Task.WhenAny(seen.Task, Task.Delay(100));
        }
    }

    public void ThrowIfExited(string doing)
    {
        if (!_process.HasExited) return;
        _process.WaitForExit(); // drains the asynchronous output readers
        throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} while {doing}.\n{Describe()}");
    }

    public string Describe()
    {
        var output = Output;
        const int max = 12_000;
        if (output.Length > max) output = "…" + output[^max..];
        return $"--- {Name} (pid {_process.Id}) output ---\n{output}--- end of {Name} output ---";
    }

    /// <summary>SIGKILL: the process ends at once, without writing anything it holds (a crash).</summary>
    public void Kill()
    {
        _stopped = true;
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, then up to 20 s for a graceful stop, then a kill. Answers whether it stopped by itself.</summary>
    public async Task<bool> StopAsync()
    {
        if (_stopped) return true;
        _stopped = true;
        if (_process.HasExited) return true;
        if (Posix.Kill(_process.Id, Posix.SigTerm) != 0) _process.Kill(entireProcessTree: true);
        using var wait = new CancellationTokenSource(BeaconProcesses.StopTimeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            lock (_gate) _output.AppendLine($"[test] {Name} did not stop within {BeaconProcesses.StopTimeout.TotalSeconds} s of SIGTERM: killed");
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try { await StopAsync(); }
        catch (InvalidOperationException) { /* never started or already reaped */ }
        _process.Dispose();
    }

    private static class Posix
    {
        public const int SigTerm = 15;

        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static extern int Kill(int pid, int signal);
    }
}
