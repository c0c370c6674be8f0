using System.Net;

namespace Beacon.IntegrationTests.Infrastructure;

/// <summary>
/// <c>./run.sh --no-build</c> started as an operator starts it, with an installation directory that does not exist yet
/// (so run.sh makes its secrets), its own ports and its own log directory, and stopped with SIGTERM. Only the demo
/// county 620521 is loaded, to start in seconds.
/// </summary>
public sealed class RunScript : IAsyncDisposable
{
    public const string County = "620521";
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(150);

    public BeaconProcess Process { get; }
    public string Home { get; }
    public string Logs { get; }
    public int HttpPort { get; }
    public SiloPorts Ports { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}");

    private RunScript(BeaconProcess process, string home, string logs, int httpPort, SiloPorts ports)
    {
        Process = process;
        Home = home;
        Logs = logs;
        HttpPort = httpPort;
        Ports = ports;
    }

    /// <summary>
    /// Starts run.sh; <paramref name="environment"/>, given the gateway's HTTP port, adds variables (e.g.
    /// <c>BEACON_SILO_CMD</c>) and takes any away whose value is null.
    /// </summary>
    public static RunScript Start(Func<int, IReadOnlyDictionary<string, string?>>? environment = null)
    {
        if (BeaconProcesses.Configuration != "Release")
            throw new InvalidOperationException($"run.sh starts the Release binaries; these tests were built as {BeaconProcesses.Configuration} (./test.sh builds Release).");
        var dir = BeaconProcesses.NewDirectory("run-sh");
        var (home, logs) = (Path.Combine(dir, "beacon"), Path.Combine(dir, "logs"));
        var (http, ports) = (BeaconProcesses.FreePort(), SiloPorts.Free());
        var env = new Dictionary<string, string?>
        {
            ["BEACON_HOME"] = home,
            ["BEACON_RUN_DIR"] = logs,
            ["BEACON_SILO_PORT"] = ports.Silo.ToString(),
            ["BEACON_SILO_HTTP_PORT"] = BeaconProcesses.FreePort().ToString(),
            ["BEACON_GATEWAY_PORT"] = ports.Gateway.ToString(),
            ["Beacon__DemoCounties"] = County,
            // Nothing of the test host's own environment decides how run.sh runs things.
            ["ASPNETCORE_ENVIRONMENT"] = null,
            ["DOTNET_ENVIRONMENT"] = null,
            ["Beacon__Auth__SigningKey"] = null,
            ["Beacon__Cluster__Certificate"] = null,
            ["Beacon__Cluster__CertificatePasswordFile"] = null,
        };
        foreach (var (key, value) in environment?.Invoke(http) ?? new Dictionary<string, string?>()) env[key] = value;
        var process = BeaconProcess.StartCommand("run.sh", "bash",
            [Path.Combine(BeaconProcesses.RepoRoot, "run.sh"), "--no-build", "--port", http.ToString()], BeaconProcesses.RepoRoot, env);
        return new RunScript(process, home, logs, http, ports);
    }

    /// <summary>Waits for the whole banner that says the system is up, down to its example (after the tokens).</summary>
    public Task WaitUntilRunningAsync() => Process.WaitForLineAsync("  curl -H \"Authorization: Bearer ", StartTimeout);

    /// <summary>The token printed under <paramref name="heading"/> (e.g. "County-admin token").</summary>
    public string PrintedToken(string heading)
    {
        var lines = Process.StandardOutput.Split('\n');
        var at = Array.FindIndex(lines, l => l.StartsWith(heading, StringComparison.Ordinal));
        Assert.True(at >= 0 && at + 1 < lines.Length, $"run.sh printed no '{heading}'.\n{Process.Describe()}");
        return lines[at + 1].Trim();
    }

    public async Task<HttpStatusCode> GetAsync(string path, string? token)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Asks until the answer is <paramref name="expected"/> (a restarted process takes seconds); answers the last one.</summary>
    public async Task<string> PollAsync(string path, string? token, HttpStatusCode expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var status = await GetAsync(path, token);
                if (status == expected) return $"{(int)status}";
                last = $"{(int)status}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }
            await Task.Delay(500);
        }
        return last;
    }

    public string Describe() => Process.Describe();

    public async ValueTask DisposeAsync() => await Process.DisposeAsync();
}
