using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Beacon.Load;

/// <summary>One measured stretch of writes: the latencies the screens saw, and what the writer managed.</summary>
public sealed class Phase(string name)
{
    public string Name { get; } = name;
    public ConcurrentQueue<double> LatenciesMs { get; } = new();
    public long Writes;
    public long Errors;
    public long Skipped;
    public int Missing;
    public double Seconds;
    public string? FirstError;

    public double AchievedRate => Seconds > 0 ? Writes / Seconds : 0;
    public Sample Latency => new(LatenciesMs);
}

/// <summary>
/// Which screen has seen which write. Every write adds one party member to an enterprise in the base, so a county's
/// <c>partyMembers</c> only grows. When a write is acknowledged, the figure that must be reached is the county's total
/// at the start plus every write sent to the county so far (exact with one write in flight per county; with more it may
/// wait for a write sent just before, so the latency is an upper bound). A screen has the write once it receives a
/// figure at least that high; a screen that had it before the acknowledgement arrived counts 0.
/// </summary>
public sealed class LatencyTracker
{
    public sealed class Screen(int county)
    {
        public int County { get; } = county;
        internal long LastSeen = long.MinValue;
        internal long Received;
        internal readonly List<(long Expected, long AckTimestamp, Phase Phase)> Pending = [];
    }

    private sealed class CountyState
    {
        public readonly Lock Gate = new();
        public long Baseline;
        public long Sent;
        public readonly List<Screen> Screens = [];
    }

    private readonly CountyState[] _counties;

    public LatencyTracker(int counties) => _counties = Enumerable.Range(0, counties).Select(_ => new CountyState()).ToArray();

    public Screen AddScreen(int county)
    {
        var screen = new Screen(county);
        var c = _counties[county];
        lock (c.Gate) c.Screens.Add(screen);
        return screen;
    }

    public void RemoveScreens()
    {
        foreach (var c in _counties) lock (c.Gate) c.Screens.Clear();
    }

    public long ReceivedTotal => _counties.Sum(c => { lock (c.Gate) return c.Screens.Sum(s => s.Received); });
    public int ScreensWithSnapshot => _counties.Sum(c => { lock (c.Gate) return c.Screens.Count(s => s.Received > 0); });

    public void SetBaseline(int county, long total)
    {
        var c = _counties[county];
        lock (c.Gate)
        {
            c.Baseline = total;
            c.Sent = 0;
        }
    }

    public void Sending(int county)
    {
        var c = _counties[county];
        lock (c.Gate) c.Sent++;
    }

    /// <summary>A write that was refused or failed: assumed not applied.</summary>
    public void Failed(int county)
    {
        var c = _counties[county];
        lock (c.Gate) c.Sent--;
    }

    public void Acknowledged(int county, Phase phase)
    {
        var now = Stopwatch.GetTimestamp();
        var c = _counties[county];
        lock (c.Gate)
        {
            var expected = c.Baseline + c.Sent;
            foreach (var s in c.Screens)
            {
                if (s.LastSeen >= expected) phase.LatenciesMs.Enqueue(0);
                else s.Pending.Add((expected, now, phase));
            }
        }
    }

    public void Seen(Screen screen, long total)
    {
        var now = Stopwatch.GetTimestamp();
        var c = _counties[screen.County];
        lock (c.Gate)
        {
            screen.Received++;
            if (total <= screen.LastSeen) return;
            screen.LastSeen = total;
            screen.Pending.RemoveAll(p =>
            {
                if (p.Expected > total) return false;
                p.Phase.LatenciesMs.Enqueue(Stopwatch.GetElapsedTime(p.AckTimestamp, now).TotalMilliseconds);
                return true;
            });
        }
    }

    /// <summary>Deliveries of the phase's writes still awaited.</summary>
    public int Pending(Phase phase)
    {
        var n = 0;
        foreach (var c in _counties)
            lock (c.Gate)
                foreach (var s in c.Screens)
                    n += s.Pending.Count(p => p.Phase == phase);
        return n;
    }

    /// <summary>Writes of the phase that some screen never saw: counted as missing and forgotten.</summary>
    public void Close(Phase phase)
    {
        foreach (var c in _counties)
            lock (c.Gate)
                foreach (var s in c.Screens)
                    phase.Missing += s.Pending.RemoveAll(p => p.Phase == phase);
    }
}

/// <summary>
/// Sends writes at a steady rate, round-robin over the counties, with at most a few in flight per county. A write that
/// falls due while every county has its writes in flight is skipped (and the achieved rate shows it).
/// </summary>
public static class RateDriver
{
    public static async Task<Phase> DriveAsync(string name, double rate, TimeSpan duration, int counties, int inFlightPerCounty,
        Func<int, Task<(bool Ok, string? Error)>> write, LatencyTracker? tracker, TimeSpan drain, Func<Task>? atEnd = null)
    {
        var phase = new Phase(name);
        var inFlight = new int[counties];
        long outstanding = 0;
        var next = 0;
        long issued = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            var due = (long)(clock.Elapsed.TotalSeconds * rate);
            while (issued < due)
            {
                issued++;
                var chosen = -1;
                for (var k = 0; k < counties; k++)
                {
                    var c = (next + k) % counties;
                    if (Volatile.Read(ref inFlight[c]) < inFlightPerCounty) { chosen = c; break; }
                }
                if (chosen < 0)
                {
                    phase.Skipped++;
                    continue;
                }
                next = (chosen + 1) % counties;
                Interlocked.Increment(ref inFlight[chosen]);
                Interlocked.Increment(ref outstanding);
                tracker?.Sending(chosen);
                var county = chosen;
                _ = Task.Run(async () =>
                {
                    (bool Ok, string? Error) result;
                    try { result = await write(county); }
                    catch (Exception e) when (e is not OutOfMemoryException) { result = (false, $"{e.GetType().Name}: {e.Message}"); }
                    if (result.Ok)
                    {
                        tracker?.Acknowledged(county, phase);
                        Interlocked.Increment(ref phase.Writes);
                    }
                    else
                    {
                        tracker?.Failed(county);
                        if (Interlocked.Increment(ref phase.Errors) == 1) phase.FirstError = result.Error;
                    }
                    Interlocked.Decrement(ref inFlight[county]);
                    Interlocked.Decrement(ref outstanding);
                });
            }
            await Task.Delay(2);
        }
        phase.Seconds = clock.Elapsed.TotalSeconds;
        if (atEnd is not null) await atEnd();
        var waited = Stopwatch.StartNew();
        while (Interlocked.Read(ref outstanding) > 0 && waited.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(20);
        // The screens have until every write is seen, or until the drain time is up.
        waited.Restart();
        while (tracker is not null && tracker.Pending(phase) > 0 && waited.Elapsed < drain) await Task.Delay(20);
        tracker?.Close(phase);
        var l = phase.Latency;
        Console.WriteLine($"[bench]   {name}: {phase.AchievedRate:N0} writes/s of {rate:N0} ({phase.Errors} failed, {phase.Skipped} skipped), " +
            $"seen {l.Count:N0}× p50 {l.P50:F0} p95 {l.P95:F0} p99 {l.P99:F0} ms, {phase.Missing} never seen" +
            (phase.FirstError is null ? "" : $"; first failure: {phase.FirstError}"));
        return phase;
    }
}

/// <summary>The few fields of a <c>summary</c> message a screen needs here; the rest of the message is read and ignored.</summary>
public sealed record ScreenSummary(string? County, long Seq, int PartyMembers);

/// <summary>Screens: SignalR clients that subscribe to a county and report every <c>partyMembers</c> they receive.</summary>
public static class SignalRScreens
{
    public static async Task<List<HubConnection>> ConnectAsync(Uri hub, Func<int, string?> tokenFor, int screens, string[] counties,
        LatencyTracker tracker, int parallel = 32)
    {
        var connections = new HubConnection?[screens];
        await Parallel.ForEachAsync(Enumerable.Range(0, screens), new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, ct) =>
        {
            var county = i % counties.Length;
            var screen = tracker.AddScreen(county);
            var token = tokenFor(i);
            var connection = new HubConnectionBuilder()
                .WithUrl(hub, o =>
                {
                    o.Transports = HttpTransportType.WebSockets;
                    o.SkipNegotiation = true;
                    if (token is not null) o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                })
                .Build();
            connection.ServerTimeout = TimeSpan.FromMinutes(2);
            connection.On<ScreenSummary>("summary", s => tracker.Seen(screen, s.PartyMembers));
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await connection.StartAsync(ct);
                    await connection.InvokeAsync("Subscribe", $"county:{counties[county]}", ct);
                    break;
                }
                catch (Exception e) when (attempt < 3 && e is HttpRequestException or IOException or TimeoutException or InvalidOperationException)
                {
                    await connection.StopAsync(ct);
                    await Task.Delay(500 * attempt, ct);
                }
            }
            connections[i] = connection;
        });
        var clock = Stopwatch.StartNew();
        while (tracker.ScreensWithSnapshot < screens && clock.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(50);
        return [.. connections.OfType<HubConnection>()];
    }

    public static Task DisconnectAsync(IEnumerable<HubConnection> connections) =>
        Parallel.ForEachAsync(connections, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (c, _) => await c.DisposeAsync());
}

/// <summary>
/// The plain web app's screens: each asks for its county's figures once a second (from a random phase), the next
/// poll due a second after the last one was due, or at once when it is late.
/// </summary>
public sealed class Pollers(HttpClient http, string[] counties, LatencyTracker tracker)
{
    public long Polls;
    public long Late;
    public long Failures;
    public ConcurrentQueue<double> PollMs { get; } = new();

    public sealed record Figures(long PartyMembers);

    public async Task RunAsync(int screens, TimeSpan interval, CancellationToken stop)
    {
        var tasks = Enumerable.Range(0, screens).Select(i => Task.Run(async () =>
        {
            var county = i % counties.Length;
            var screen = tracker.AddScreen(county);
            var url = $"/poll/counties/{counties[county]}/figures";
            var next = Stopwatch.GetTimestamp() + (long)(Random.Shared.NextDouble() * interval.TotalSeconds * Stopwatch.Frequency);
            var step = (long)(interval.TotalSeconds * Stopwatch.Frequency);
            while (!stop.IsCancellationRequested)
            {
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
                if (wait > TimeSpan.Zero)
                {
                    try { await Task.Delay(wait, stop); }
                    catch (OperationCanceledException) { break; }
                }
                var started = Stopwatch.GetTimestamp();
                try
                {
                    var figures = await http.GetFromJsonAsync<Figures>(url, stop);
                    if (figures is not null) tracker.Seen(screen, figures.PartyMembers);
                    Interlocked.Increment(ref Polls);
                    PollMs.Enqueue(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested) { break; }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
                {
                    Interlocked.Increment(ref Failures);
                }
                next += step;
                if (next < Stopwatch.GetTimestamp())
                {
                    Interlocked.Increment(ref Late);
                    next = Stopwatch.GetTimestamp();
                }
            }
        }, CancellationToken.None)).ToArray();
        await Task.WhenAll(tasks);
    }
}
