using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Beacon.Gateway.Apis;
using Beacon.Gateway.Security;
using Beacon.Hosting;
using Microsoft.Extensions.Logging.Console;
using Npgsql;
using NpgsqlTypes;

namespace Beacon.Load;

/// <summary>
/// Sections 4, 5 and 6, and the raw SignalR ceiling, against the real silo and gateway processes (Release build) on a
/// fresh PostgreSQL database: load the generated province through the API (6), measure write → screen with the
/// screens in this process (4) and what serving them costs (5), restart and time the figures' return (6), then stop
/// Beacon and measure the raw SignalR ceiling and the plain web app polling SQL, over the same enterprises.
/// </summary>
public sealed partial class SystemBench(BenchOptions options, Report report, string logDir, double? barePostgresWrites)
{
    private const string Ceilings = "2 ceilings";
    private const string WriteToScreen = "4 write to screen";
    private const string Polling = "5 against SQL polling";
    private const string Scale = "6 scale";

    private readonly Province _province = new(options.Counties, options.StationsPerCounty, options.EnterprisesPerCounty);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    // A throwaway cluster certificate and signing key for this run's silo, gateway and set-up client, as run.sh makes
    // them once per installation.
    private readonly ScratchDirectory _scratch = ScratchDirectory.Create("beacon-bench-");
    private ThrowawaySecrets _secrets = null!;
    private string[] _adminTokens = [];
    private string[] _displayTokens = [];
    private string _overseerToken = "";
    private int[][] _members = [];
    private ConcurrentQueue<int>[] _free = [];
    private BenchDatabase _db = null!;
    private BeaconProcess? _silo;
    private BeaconProcess? _gateway;
    private int _siloPort;
    private int _gatewayPort;
    private int _httpPort;
    private HttpClient _http = null!;
    private string _beaconUrl = "";

    // What the comparisons need, gathered as the run goes.
    private Phase? _beaconSteady;
    private Phase? _rawSteady;
    private double? _beaconMaxRate;
    private double? _rawMaxRate;
    private bool _beaconMaxIsFloor;
    private bool _rawMaxIsFloor;
    private double? _beaconCpuTotal;
    private Share? _beaconCpuScreens;
    private double? _rawCpuTotal;
    private Phase? _pollSteady;
    private double? _pollCpuTotal;
    private Share? _pollCpuScreens;
    private Share? _beaconCpuScreensOrdinary;
    private Share? _pollCpuScreensOrdinary;

    private long _retries;

    private string[] Counties => _province.Counties;
    private int PerCounty => _province.EnterprisesPerCounty;

    public async Task RunAsync()
    {
        var admin = options.PostgresAdmin ?? throw new InvalidOperationException("--pg is required");
        await using var db = await BenchDatabase.CreateAsync(admin, "system");
        _db = db;
        Prepare();
        try
        {
            await StartBeaconAsync();
            WatchSilo();
            await ConfigureCountiesAsync();
            await CreateStationsAsync();
            await CreateOrganisationsAsync();
            var loading = DateTime.UtcNow;
            await LoadProvinceAsync();
            _loading = (loading, DateTime.UtcNow);
            if (options.PausesOnly)
            {
                await OrdinaryWritesWatchedAsync();
                await ReportPausesAsync();
                return;
            }
            // The ceilings' server gets a county summary and the comparison exactly as Beacon serves them.
            var template = Path.Combine(logDir, "summary-template.json");
            await File.WriteAllTextAsync(template, await GetStringAsync($"/api/counties/{Counties[0]}/summary", _adminTokens[0]));
            var comparison = Path.Combine(logDir, "comparison-template.json");
            await File.WriteAllTextAsync(comparison, await GetStringAsync($"/api/provinces/{Province.Code}/comparison", _overseerToken));
            report.Note($"a county summary as screens receive it is {new FileInfo(template).Length:N0} bytes of JSON " +
                $"({options.StationsPerCounty} stations); the raw SignalR ceiling broadcasts the same record");
            await using var serve = await StartServeAsync(template, comparison);
            var serveUrl = $"http://127.0.0.1:{_servePort}";

            var live = DateTime.UtcNow;
            await BeaconLiveAsync();
            _live = (live, DateTime.UtcNow);
            await ReportPausesAsync();
            await RestartAsync();
            await ComparisonLatencyAsync(serveUrl);
            await TrendLatencyAsync();
            await MemoryPerGrainAsync();
            await FailoverAsync();
            await StopBeaconAsync();

            if (options.Baselines)
            {
                await FillPlainTableAsync();
                await RawCeilingAsync(serve, serveUrl);
                await PollingAsync(serve, serveUrl);
            }
        }
        finally
        {
            if (_gc is not null) await _gc.DisposeAsync();
            Summarise();
            await StopBeaconAsync();
            _http.Dispose();
            _scratch.Dispose();
        }
    }

    /// <summary>The run's secrets, tokens, expected figures, ports and HTTP client.</summary>
    private void Prepare()
    {
        _secrets = ThrowawaySecrets.Create(_scratch.Path);
        var auth = new AuthOptions { SigningKey = _secrets.SigningKey };
        _adminTokens = Counties.Select(c => Tokens.Issue(auth, Roles.CountyAdmin, new Scope(Scope.County, c), $"bench@{c}")).ToArray();
        // One token per screen: the hub limits subscriptions per token (its jti), as it would for real screens.
        _displayTokens = Enumerable.Range(0, options.Screens)
            .Select(i => Tokens.Issue(auth, Roles.Display, new Scope(Scope.Province, Province.Code), $"bench-screen-{i}")).ToArray();
        _overseerToken = Tokens.Issue(auth, Roles.ProvinceOverseer, new Scope(Scope.Province, Province.Code), "bench-overseer");
        _members = Counties.Select(c => Enumerable.Range(0, PerCounty).Select(j => _province.Enterprise(c, j).PartyMembers).ToArray()).ToArray();
        _free = Counties.Select(_ => new ConcurrentQueue<int>(Enumerable.Range(0, PerCounty).Where(Province.InBase))).ToArray();
        _siloPort = Loopback.FreePort();
        _gatewayPort = Loopback.FreePort();
        _httpPort = Loopback.FreePort();
        _beaconUrl = $"http://127.0.0.1:{_httpPort}";
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 2048,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        }) { Timeout = TimeSpan.FromSeconds(60) };
    }

    // ---------------------------------------------------------------- processes

    private Dictionary<string, string?> CommonEnvironment()
    {
        var env = BeaconEnvironment.Common(_secrets);
        env["Logging__LogLevel__Default"] = "Warning";
        env["Logging__LogLevel__Beacon"] = "Information";
        env["Beacon__Storage"] = "postgres";
        env["ConnectionStrings__Beacon"] = _db.ConnectionString;
        return env;
    }

    private string LogFile(string name) => Path.Combine(logDir, $"{name}.log");

    private async Task StartBeaconAsync()
    {
        var silo = CommonEnvironment();
        silo["Beacon__Cluster__SiloPort"] = _siloPort.ToString();
        silo["Beacon__Cluster__GatewayPort"] = _gatewayPort.ToString();
        silo["Beacon__Demo"] = "false";
        foreach (var (key, value) in options.SiloEnvironment) silo[key] = value;
        _silo = BeaconProcess.Start("silo", BeaconBinaries.SiloDll, [], silo, LogFile("silo"));

        // Both at once, as run.sh starts them: the gateway's cluster client waits for the silo.
        var gateway = CommonEnvironment();
        gateway["Beacon__Cluster__GatewayPort"] = _gatewayPort.ToString();
        gateway["Beacon__Auth__SigningKey"] = _secrets.SigningKey;
        // A benchmark drives far more than one token's 300 requests a minute.
        gateway["Beacon__RateLimit__PermitLimit"] = "0";
        gateway["ASPNETCORE_URLS"] = _beaconUrl;
        _gateway = BeaconProcess.Start("gateway", BeaconBinaries.GatewayDll, [], gateway, LogFile("gateway"));
        await _silo.WaitForLineAsync(BeaconProcess.SiloReadyLine, StartTimeout);
        await _gateway.WaitForHealthAsync(_beaconUrl, StartTimeout, _http, _silo);
    }

    /// <summary>Stops a process (SIGTERM, then a kill after 20 s) and answers how long that took.</summary>
    private static async Task<TimeSpan> StopTimedAsync(BeaconProcess process)
    {
        var clock = Stopwatch.StartNew();
        if (!await process.StopAsync())
            Console.WriteLine($"[bench] {process.Name} did not stop within {BeaconProcess.StopTimeout.TotalSeconds} s of SIGTERM: killed it");
        return clock.Elapsed;
    }

    private async Task StopBeaconAsync()
    {
        if (_gateway is not null) await _gateway.DisposeAsync();
        if (_silo is not null) await _silo.DisposeAsync();
        _gateway = null;
        _silo = null;
    }

    private int _servePort;

    private async Task<BeaconProcess> StartServeAsync(string template, string comparison)
    {
        _servePort = Loopback.FreePort();
        var env = new Dictionary<string, string?> { ["DOTNET_ENVIRONMENT"] = "Production", ["ASPNETCORE_ENVIRONMENT"] = "Production" };
        var serve = BeaconProcess.Start("serve", typeof(SystemBench).Assembly.Location,
            ["serve", "--port", _servePort.ToString(), "--pg", _db.ConnectionString, "--template", template, "--comparison", comparison], env, LogFile("serve"));
        await serve.WaitForLineAsync(Serve.ReadyLine, StartTimeout);
        return serve;
    }

    // ---------------------------------------------------------------- set-up and loading (section 6)

    private async Task ConfigureCountiesAsync()
    {
        // There is no HTTP route that creates a county: an Orleans client of the silo configures them.
        using var host = await StartClusterClientAsync();
        var cluster = host.Services.GetRequiredService<IClusterClient>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Counties.Length), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            await cluster.GetGrain<ICountyGrain>(Counties[i]).ConfigureAsync(Province.CountyProfileOf(Counties[i], i)));
        await host.StopAsync();
    }

    private async Task CreateStationsAsync()
    {
        await Parallel.ForEachAsync(Counties.SelectMany((c, i) => Enumerable.Range(0, options.StationsPerCounty).Select(s => (i, s))),
            new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (x, _) =>
            {
                var station = _province.Station(Counties[x.i], x.s);
                await PutAsync($"/api/counties/{Counties[x.i]}/stations/{station.StationId}", station, _adminTokens[x.i]);
            });
    }

    /// <summary>The organisations the enterprises name, through the API as the enterprises are (not timed).</summary>
    private async Task CreateOrganisationsAsync()
    {
        await Parallel.ForEachAsync(Counties.SelectMany((c, i) => _province.Organisations(c).Select(o => (i, o))),
            new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (x, _) =>
                await PutAsync($"/api/counties/{Counties[x.i]}/organisations/{x.o.OrganisationId}", x.o, _adminTokens[x.i]));
    }

    /// <summary>
    /// The province's enterprises: the first half of its counties through the API, one PUT each, the other half as
    /// county offices bring rosters in, one workbook per county previewed and applied (<see cref="ImportProvinceAsync"/>),
    /// so that both rates are measured in one run on the same machine.
    /// </summary>
    private async Task LoadProvinceAsync()
    {
        var throughApi = Math.Max(1, Counties.Length / 2);
        await PutProvinceAsync(throughApi);
        if (throughApi < Counties.Length) await ImportProvinceAsync(throughApi);
        await WaitForFiguresAsync(TimeSpan.FromMinutes(2), withComparison: false);
    }

    private async Task PutProvinceAsync(int counties)
    {
        var total = (long)counties * PerCounty;
        Console.WriteLine($"[bench] {Scale}: loading {total:N0} enterprises over {counties} counties through the API " +
            $"({options.Concurrency} PUTs outstanding, county after county)");
        long next = -1, done = 0;
        var clock = Stopwatch.StartNew();
        using var progress = new CancellationTokenSource();
        var printer = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    await Task.Delay(TimeSpan.FromSeconds(10), progress.Token);
                    var d = Interlocked.Read(ref done);
                    Console.WriteLine($"[bench]   loaded {d:N0} of {total:N0} ({d / clock.Elapsed.TotalSeconds:N0}/s)");
                }
            }
            catch (OperationCanceledException) { }
        });
        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var k = Interlocked.Increment(ref next);
                if (k >= total) break;
                var c = (int)(k / PerCounty);
                var profile = _province.Enterprise(Counties[c], (int)(k % PerCounty));
                await PutAsync($"/api/counties/{Counties[c]}/enterprises/{profile.CreditCode}", profile, _adminTokens[c]);
                Interlocked.Increment(ref done);
            }
        })));
        var loaded = clock.Elapsed;
        await progress.CancelAsync();
        await printer;
        report.Add(new Figure(Scale, $"load {total:N0} enterprises through the API", total / loaded.TotalSeconds, "enterprises/s",
            barePostgresWrites, "bare grain write, PostgreSQL (section 3)",
            Note: $"{loaded.TotalSeconds:F1} s, {options.Concurrency} PUTs outstanding, county after county, {counties} counties"));
        _apiLoadRate = total / loaded.TotalSeconds;
    }

    private double? _apiLoadRate;

    /// <summary>Counties whose rosters are imported at the same time: a province's offices do not all import at once.</summary>
    private const int ImportsAtOnce = 4;

    /// <summary>
    /// Counties <paramref name="from"/>… loaded by import: the first alone (its preview and its apply timed as its clerk
    /// waits for them), then the others <see cref="ImportsAtOnce"/> at a time.
    /// </summary>
    private async Task ImportProvinceAsync(int from)
    {
        var counties = Enumerable.Range(from, Counties.Length - from).ToArray();
        Console.WriteLine($"[bench] {Scale}: importing {counties.Length * (long)PerCounty:N0} enterprises over {counties.Length} counties, one workbook each");
        var workbooks = counties.ToDictionary(c => c, c => RegisterWorkbookApi.Workbook(Registers.Enterprises,
            Enumerable.Range(0, PerCounty).Select(j => _province.Enterprise(Counties[c], j))));
        var (preview, apply) = await ImportCountyAsync(counties[0], workbooks[counties[0]]);
        report.Add(new Figure(Scale, $"preview a {PerCounty:N0}-row enterprise roster", preview.TotalSeconds, "s", Target: "< 2 s",
            Met: PerCounty >= 3_000 ? preview.TotalSeconds < 2 : null,
            Note: $"upload to the preview's answer, {workbooks[counties[0]].Length / 1024:N0} KB workbook, one county alone"));
        report.Add(new Figure(Scale, $"apply a {PerCounty:N0}-row enterprise roster", apply.TotalSeconds, "s", Target: "< 10 s",
            Met: PerCounty >= 3_000 ? apply.TotalSeconds < 10 : null, Note: "apply to state applied, one county alone"));

        var rest = counties[1..];
        if (rest.Length == 0) return;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(rest, new ParallelOptions { MaxDegreeOfParallelism = ImportsAtOnce },
            async (c, _) => await ImportCountyAsync(c, workbooks[c]));
        var rate = rest.Length * (double)PerCounty / clock.Elapsed.TotalSeconds;
        report.Add(new Figure(Scale, $"import {rest.Length * (long)PerCounty:N0} enterprises, one workbook per county", rate, "enterprises/s",
            _apiLoadRate, "the API load above", Target: "≥ 2× the API load",
            Met: _apiLoadRate is { } api ? rate >= 2 * api : null,
            Note: $"{clock.Elapsed.TotalSeconds:F1} s for {rest.Length} counties, {ImportsAtOnce} at a time, preview and apply each"));
    }

    /// <summary>One county's roster: uploaded, previewed, applied; how long the preview and the apply took.</summary>
    private async Task<(TimeSpan Preview, TimeSpan Apply)> ImportCountyAsync(int c, byte[] workbook)
    {
        var county = Counties[c];
        var clock = Stopwatch.StartNew();
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("enterprises"), "register");
        form.Add(new ByteArrayContent(workbook), "file", $"{county}.xlsx");
        using var upload = new HttpRequestMessage(HttpMethod.Post, $"{_beaconUrl}/api/counties/{county}/imports") { Content = form };
        upload.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _adminTokens[c]);
        using var answer = await _http.SendAsync(upload);
        var previewed = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
        if (answer.StatusCode != HttpStatusCode.Created || previewed["refused"]!.GetValue<int>() != 0 || previewed["creates"]!.GetValue<int>() != PerCounty)
            throw new InvalidOperationException($"import into {county}: {(int)answer.StatusCode} {previewed.ToJsonString()[..Math.Min(2000, previewed.ToJsonString().Length)]}");
        var preview = clock.Elapsed;
        var id = previewed["id"]!.GetValue<string>();
        using (var apply = new HttpRequestMessage(HttpMethod.Post, $"{_beaconUrl}/api/counties/{county}/imports/{id}/apply"))
        {
            apply.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _adminTokens[c]);
            using var started = await _http.SendAsync(apply);
            if (started.StatusCode != HttpStatusCode.Accepted) throw new InvalidOperationException($"apply {county}: {(int)started.StatusCode}");
        }
        while (true)
        {
            await Task.Delay(50);
            var status = JsonNode.Parse(await GetStringAsync($"/api/counties/{county}/imports/{id}", _adminTokens[c]))!;
            var state = status["state"]!.GetValue<string>();
            if (state == "applying") continue;
            if (state != "applied" || status["result"]!["created"]!.GetValue<int>() != PerCounty)
                throw new InvalidOperationException($"import into {county} ended {state}: {status["result"]?.ToJsonString()}");
            return (preview, clock.Elapsed - preview);
        }
    }

    /// <summary>An idempotent PUT, retried on a server error or a broken connection; a refusal (4xx) is an error of the benchmark.</summary>
    private async Task PutAsync<T>(string path, T body, string token)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Put, _beaconUrl + path) { Content = JsonContent.Create(body, options: Json.Options) };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await _http.SendAsync(request);
                if (response.IsSuccessStatusCode) return;
                var text = await response.Content.ReadAsStringAsync();
                if ((int)response.StatusCode < 500 || attempt >= 10)
                    throw new InvalidOperationException($"PUT {path}: {(int)response.StatusCode} {text}");
                Interlocked.Increment(ref _retries);
            }
            catch (Exception e) when (attempt < 10 && e is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(100 * attempt);
        }
    }

    private async Task<string> GetStringAsync(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _beaconUrl + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"GET {path}: {(int)response.StatusCode} {text}", null, response.StatusCode);
        return text;
    }

    private long ExpectedMembers(int c)
    {
        long sum = 0;
        for (var j = 0; j < PerCounty; j++) if (Province.InBase(j)) sum += _members[c][j];
        return sum;
    }

    /// <summary>
    /// Waits until every county's summary shows its full base and the members of every write acknowledged so far
    /// (and, if asked, the province comparison has every county's row with the same figures). Answers whether it did.
    /// </summary>
    private async Task<bool> WaitForFiguresAsync(TimeSpan timeout, bool withComparison)
    {
        var expectedBase = _province.ExpectedBase;
        var pending = new ConcurrentDictionary<int, byte>(Enumerable.Range(0, Counties.Length).Select(i => KeyValuePair.Create(i, (byte)0)));
        var clock = Stopwatch.StartNew();
        string last = "";
        while (clock.Elapsed < timeout)
        {
            await Parallel.ForEachAsync(pending.Keys.ToArray(), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (c, ct) =>
            {
                try
                {
                    using var summary = JsonDocument.Parse(await GetStringAsync($"/api/counties/{Counties[c]}/summary", _adminTokens[c]));
                    var b = summary.RootElement.GetProperty("base").GetInt32();
                    var m = summary.RootElement.GetProperty("partyMembers").GetInt64();
                    if (b == expectedBase && m == ExpectedMembers(c)) pending.TryRemove(c, out _);
                    else last = $"county {Counties[c]}: base {b} of {expectedBase}, members {m} of {ExpectedMembers(c)}";
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { last = e.Message; }
            });
            if (pending.IsEmpty && (!withComparison || await ComparisonCompleteAsync(expectedBase))) return true;
            await Task.Delay(pending.IsEmpty ? 20 : 100);
        }
        Console.WriteLine($"[bench] figures not complete after {timeout.TotalSeconds} s: {pending.Count} counties behind; {last}");
        return false;
    }

    private async Task<bool> ComparisonCompleteAsync(int expectedBase)
    {
        try
        {
            using var comparison = JsonDocument.Parse(await GetStringAsync($"/api/provinces/{Province.Code}/comparison", _overseerToken));
            var rows = comparison.RootElement.GetProperty("rows").EnumerateArray()
                .ToDictionary(r => r.GetProperty("county").GetString()!, r => (Base: r.GetProperty("base").GetInt32(), Members: r.GetProperty("partyMembers").GetInt64()));
            return Counties.Select((c, i) => (c, i)).All(x =>
                rows.TryGetValue(x.c, out var row) && row.Base == expectedBase && row.Members == ExpectedMembers(x.i));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return false; }
    }

    // ---------------------------------------------------------------- write to screen (4) and Beacon's cost (5)

    private async Task<(bool Ok, string? Error)> BeaconWriteAsync(int c)
    {
        if (!_free[c].TryDequeue(out var j)) return (false, "no enterprise of the county is free to write");
        var members = _members[c][j] + 1;
        var profile = _province.Enterprise(Counties[c], j, members);
        try
        {
            using var response = await PutEnterpriseAsync(c, profile);
            if (!response.IsSuccessStatusCode) return (false, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            _members[c][j] = members;
            return (true, null);
        }
        finally
        {
            _free[c].Enqueue(j);
        }
    }

    /// <summary>The county's admin writes the enterprise's profile.</summary>
    private async Task<HttpResponseMessage> PutEnterpriseAsync(int c, EnterpriseProfile profile, CancellationToken cancel = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{_beaconUrl}/api/counties/{Counties[c]}/enterprises/{profile.CreditCode}")
        {
            Content = JsonContent.Create(profile, options: Json.Options),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _adminTokens[c]);
        return await _http.SendAsync(request, cancel);
    }

    /// <summary>A write rate with the length of its windows and of its warm-up.</summary>
    private sealed record Pace(double Rate, TimeSpan Window, TimeSpan Warmup);

    private Pace Steady => new(options.SteadyRate, options.BaselineWindow, options.WarmupWindow);

    /// <summary>One change per county every 10 s.</summary>
    private Pace Ordinary => new(Counties.Length / 10.0, options.OrdinaryWindow, options.OrdinaryWarmup);

    private Task WarmUpAsync(string who, Func<int, Task<(bool Ok, string? Error)>> write, Pace? pace = null)
    {
        pace ??= Steady;
        return RateDriver.DriveAsync($"{who} warm-up (not measured)", pace.Rate, pace.Warmup, Counties.Length,
            options.InFlightPerCounty, write, null, TimeSpan.Zero);
    }

    private async Task BaselineAsync(LatencyTracker tracker, Func<int, Task<long>> total) =>
        await Parallel.ForEachAsync(Enumerable.Range(0, Counties.Length), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (c, _) => tracker.SetBaseline(c, await total(c)));

    private async Task<long> BeaconMembersAsync(int c)
    {
        using var summary = JsonDocument.Parse(await GetStringAsync($"/api/counties/{Counties[c]}/summary", _adminTokens[c]));
        return summary.RootElement.GetProperty("partyMembers").GetInt64();
    }

    private double PerScreenMinute(double cpu, double wall, int screens) => cpu / wall * 60 / screens;

    /// <summary>
    /// An ordinary day's rate, for the screens' cost at a second rate: one change per county every 10 s (8,640 a day,
    /// still far more than a county's registers see). Push costs follow the changes; polling does not.
    /// </summary>
    /// <summary>
    /// What the screens cost at the <see cref="Ordinary"/> pace: windows without screens, with, without, as at the steady
    /// rate. <paramref name="connect"/> puts the screens up and answers how to take them down.
    /// </summary>
    private async Task<Share?> ScreensAtOrdinaryRateAsync(string who, CpuWindow cpu, LatencyTracker tracker, Func<int, Task<long>> total,
        Func<int, Task<(bool Ok, string? Error)>> write, Func<Task<Func<Task>>> connect, IReadOnlyCollection<string> processes)
    {
        var ordinary = Ordinary;
        Console.WriteLine($"[bench] {Polling}: {who} at {ordinary.Rate:N0} writes/s (one change per county every 10 s)");
        await WarmUpAsync(who, write, ordinary);
        var before = await WritesOnlyAsync(who, cpu, tracker, total, write, ordinary);
        var disconnect = await connect();
        Window with;
        try
        {
            await Task.Delay(options.Settle);
            await BaselineAsync(tracker, total);
            CpuWindow.Used used = null!;
            await cpu.StartAsync();
            var phase = await RateDriver.DriveAsync($"{who}, {options.Screens} screens at {ordinary.Rate:N0} writes/s", ordinary.Rate,
                ordinary.Window, Counties.Length, options.InFlightPerCounty, write, tracker, TimeSpan.Zero,
                async () => used = await cpu.StopAsync());
            with = new Window(phase, used);
        }
        finally
        {
            await disconnect();
        }
        await Task.Delay(options.Settle);
        var after = await WritesOnlyAsync(who, cpu, tracker, total, write, ordinary);
        report.Note($"{who} server CPU-s/s at {ordinary.Rate:N0} writes/s: " + string.Join("; ", new[] { before, with, after }.Select((w, i) =>
            $"{(i == 1 ? "with" : "no")} screens {w.Used.Cpu / w.Used.Wall:F3} ({w.Used.Breakdown})")));
        return ScreensShare([before, after], [with], processes);
    }

    /// <summary>
    /// What serving the screens cost, per screen-minute, and how far this run's background moved the CPU that the writes
    /// do not explain (<see cref="Noise"/>, same unit). <see cref="AtMost"/>: the share did not stand out of that noise,
    /// and <see cref="PerScreenMinute"/> is only an upper bound (share plus noise).
    /// </summary>
    private sealed record Share(double PerScreenMinute, double Noise, bool AtMost, string Counted);

    private sealed record Window(Phase Phase, CpuWindow.Used Used)
    {
        public double Cpu(IReadOnlyCollection<string> processes) => processes.Sum(p => Used.ByName.GetValueOrDefault(p));
    }

    /// <summary>
    /// The CPU of the windows with screens less what their writes cost in the windows without (CPU per write there ×
    /// writes here, so that a window that managed fewer writes is not flattered), counting only
    /// <paramref name="processes"/>: those that do work for a screen. The windows without screens alternate with those
    /// with, so that a drift over the run (a silo still busy with the loading, a cold path) lands on both sides; the
    /// spread of their unexplained CPU is the noise. A share below it is not measured, only bounded.
    /// </summary>
    private Share? ScreensShare(IReadOnlyList<Window> quiet, IReadOnlyList<Window> withScreens, IReadOnlyCollection<string> processes)
    {
        var writes = quiet.Sum(w => w.Phase.Writes);
        if (writes == 0 || withScreens.Count == 0) return null;
        var perWrite = quiet.Sum(w => w.Cpu(processes)) / writes;
        double Unexplained(Window w) => (w.Cpu(processes) - perWrite * w.Phase.Writes) / w.Used.Wall;
        var rate = withScreens.Average(Unexplained);
        var background = quiet.Select(Unexplained).ToArray();
        var noise = background.Max() - background.Min();
        var perScreenMinute = 60.0 / options.Screens;
        var counted = string.Join(" + ", processes);
        return rate > noise
            ? new Share(rate * perScreenMinute, noise * perScreenMinute, false, counted)
            : new Share((Math.Max(rate, 0) + noise) * perScreenMinute, noise * perScreenMinute, true, counted);
    }

    /// <summary>
    /// Writes only, with the screens (the steady window of section 4), writes only, with the screens again, writes
    /// only: see <see cref="ScreensShare"/>. Then the ramp, with the screens back.
    /// </summary>
    private async Task BeaconLiveAsync()
    {
        Console.WriteLine($"[bench] {WriteToScreen}: Beacon, {options.Screens} screens over {Counties.Length} counties");
        var tracker = new LatencyTracker(Counties.Length);
        var drain = TimeSpan.FromSeconds(10);
        var hub = new Uri($"{_beaconUrl}/hubs/live");
        await WarmUpAsync("Beacon", BeaconWriteAsync);
        var cpu = new CpuWindow(_db, ("silo", _silo!.Id), ("gateway", _gateway!.Id));
        var writesOnly = DateTime.UtcNow;
        var quiet = new List<Window> { await WritesOnlyAsync("Beacon", cpu, tracker, BeaconMembersAsync, BeaconWriteAsync) };
        _writesOnly = (writesOnly, DateTime.UtcNow, quiet[0].Phase.Writes);
        var withScreens = new List<Window>();

        for (var round = 1; round <= 2; round++)
        {
            var clock = Stopwatch.StartNew();
            // What a screen's connection keeps in the gateway: its managed heap after a full collection, before and after.
            var gatewayBefore = round == 1 ? await InducedGc.HeapAfterFullGcAsync(_gateway!.Id) : null;
            var screens = await SignalRScreens.ConnectAsync(hub, i => _displayTokens[i], options.Screens, Counties, tracker);
            if (gatewayBefore is { } b && await InducedGc.HeapAfterFullGcAsync(_gateway!.Id) is { } a)
                report.Note($"the gateway's managed heap after a full collection grew by {(a - b) / 1048576.0:N1} MiB with {screens.Count:N0} screens " +
                    $"connected and subscribed ({(double)(a - b) / Math.Max(1, screens.Count) / 1024:N1} KiB a screen)");
            Console.WriteLine($"[bench]   {screens.Count} screens connected and subscribed in {clock.Elapsed.TotalSeconds:F1} s " +
                $"({tracker.ScreensWithSnapshot} have their snapshot)");
            try
            {
                await Task.Delay(options.Settle);
                await BaselineAsync(tracker, BeaconMembersAsync);
                var received = tracker.ReceivedTotal;
                var stateWrites = await _db.GrainStateWritesAsync();
                CpuWindow.Used used = null!;
                await cpu.StartAsync();
                // The first round is section 4's steady window; the second only measures CPU.
                var phase = await RateDriver.DriveAsync($"Beacon, {options.Screens} screens{(round == 1 ? "" : " (CPU only)")}", options.SteadyRate,
                    round == 1 ? options.SteadyWindow : options.BaselineWindow, Counties.Length, options.InFlightPerCounty, BeaconWriteAsync,
                    tracker, drain, async () => used = await cpu.StopAsync());
                withScreens.Add(new Window(phase, used));
                if (round == 1)
                {
                    _beaconSteady = phase;
                    var messages = (tracker.ReceivedTotal - received) / phase.Seconds;
                    stateWrites = await _db.GrainStateWritesAsync() - stateWrites;
                    report.Note($"Beacon at {options.SteadyRate:N0} writes/s: the screens received {messages:N0} summary messages/s " +
                        $"({messages / options.Screens:F1} per screen per second; a county publishes at most every 250 ms); grain state rows written " +
                        $"{stateWrites / used.Wall:N0}/s");
                }
            }
            finally
            {
                await SignalRScreens.DisconnectAsync(screens);
                tracker.RemoveScreens();
            }
            await Task.Delay(options.Settle);
            quiet.Add(await WritesOnlyAsync("Beacon", cpu, tracker, BeaconMembersAsync, BeaconWriteAsync));
        }

        var steady = withScreens[0].Used;
        _beaconCpuTotal = PerScreenMinute(steady.Cpu, steady.Wall, options.Screens);
        // PostgreSQL does no work for a Beacon screen (a screen reads its summary from the county grain, and the
        // gateway's subscription is a grain observer), so its CPU here is only the writes' and the background's.
        _beaconCpuScreens = ScreensShare(quiet, withScreens, ["silo", "gateway"]);
        var all = quiet.Select(w => w.Used.ByName.Keys).SelectMany(k => k).Distinct().ToArray();
        var whole = ScreensShare(quiet, withScreens, all);
        report.Note($"Beacon server CPU-s/s, windows with no screen: " + string.Join("; ", quiet.Select(w =>
                $"{w.Used.Cpu / w.Used.Wall:F2} writing {w.Phase.AchievedRate:N0}/s ({w.Used.Breakdown})")) +
            $"; with {options.Screens} screens: " + string.Join("; ", withScreens.Select(w =>
                $"{w.Used.Cpu / w.Used.Wall:F2} writing {w.Phase.AchievedRate:N0}/s ({w.Used.Breakdown})")) +
            (whole is null ? "" : $". Counting PostgreSQL too, the screens' share is {whole.PerScreenMinute:F5} CPU-s per screen-minute " +
                $"({(whole.AtMost ? "at most; " : "")}background noise {whole.Noise:F5})"));
        report.Note($"Grain state as stored after the loading and the writes: {await _db.GrainStateSizesAsync()}; the database {await _db.SizeOnDiskAsync()}");

        var ordinary = DateTime.UtcNow;
        _beaconCpuScreensOrdinary = await ScreensAtOrdinaryRateAsync("Beacon", cpu, tracker, BeaconMembersAsync, BeaconWriteAsync, async () =>
        {
            var screens = await SignalRScreens.ConnectAsync(hub, i => _displayTokens[i], options.Screens, Counties, tracker);
            return async () =>
            {
                await SignalRScreens.DisconnectAsync(screens);
                tracker.RemoveScreens();
            };
        }, ["silo", "gateway"]);
        _ordinary = (ordinary, DateTime.UtcNow);

        var rampScreens = await SignalRScreens.ConnectAsync(hub, i => _displayTokens[i], options.Screens, Counties, tracker);
        try
        {
            (_beaconMaxRate, _beaconMaxIsFloor) = await RampAsync("Beacon", tracker, BeaconMembersAsync, BeaconWriteAsync, drain);
        }
        finally
        {
            await SignalRScreens.DisconnectAsync(rampScreens);
            tracker.RemoveScreens();
        }
    }

    /// <summary>A measured window of writes with no screen, at the <see cref="Steady"/> pace unless <paramref name="pace"/> says otherwise.</summary>
    private async Task<Window> WritesOnlyAsync(string who, CpuWindow cpu, LatencyTracker tracker,
        Func<int, Task<long>> total, Func<int, Task<(bool Ok, string? Error)>> write, Pace? pace = null)
    {
        pace ??= Steady;
        await BaselineAsync(tracker, total);
        CpuWindow.Used used = null!;
        await cpu.StartAsync();
        var phase = await RateDriver.DriveAsync($"{who}, writes only (no screen)", pace.Rate, pace.Window, Counties.Length,
            options.InFlightPerCounty, write, tracker, TimeSpan.Zero, async () => used = await cpu.StopAsync());
        return new Window(phase, used);
    }

    /// <summary>Raises the write rate step by step until p99 reaches the limit, a write fails or the rate is not reached.</summary>
    /// <remarks>When the first step already fails, the rate is halved (three times at most) to find one that passes.</remarks>
    private async Task<(double? Max, bool Floor)> RampAsync(string who, LatencyTracker tracker, Func<int, Task<long>> total,
        Func<int, Task<(bool Ok, string? Error)>> write, TimeSpan drain)
    {
        async Task<bool> StepAsync(double rate)
        {
            await BaselineAsync(tracker, total);
            var phase = await RateDriver.DriveAsync($"{who} ramp {rate:N0}/s", rate, options.RampStep, Counties.Length,
                options.InFlightPerCounty, write, tracker, drain);
            var p99 = phase.Latency.P99;
            var ok = phase.Errors == 0 && phase.Missing == 0 && p99 is { } p && p < options.LatencyLimitMs && phase.AchievedRate >= 0.9 * rate;
            if (!ok)
                report.Note($"{who}: the {rate:N0} writes/s step failed: achieved {phase.AchievedRate:N0}/s, p99 {p99:F0} ms, " +
                    $"{phase.Errors} failed, {phase.Missing} never seen");
            return ok;
        }

        double? best = null;
        foreach (var rate in options.RampRates)
        {
            if (!await StepAsync(rate)) break;
            best = rate;
            if (rate == options.RampRates[^1]) return (best, true);
        }
        for (var rate = options.RampRates[0] / 2; best is null && rate >= options.RampRates[0] / 8; rate /= 2)
            if (await StepAsync(rate)) best = rate;
        return (best, false);
    }

    // ---------------------------------------------------------------- restart, comparison, memory (section 6)

    /// <summary>Issue 22's target for a full restart of 300,000 enterprises.</summary>
    private static readonly TimeSpan RestartTarget = TimeSpan.FromSeconds(5);

    private async Task RestartAsync()
    {
        Console.WriteLine($"[bench] {Scale}: full restart on PostgreSQL");
        var (gateway, silo) = (_gateway!, _silo!);
        var gatewayStop = await StopTimedAsync(gateway);
        var siloStop = await StopTimedAsync(silo);
        await gateway.DisposeAsync();
        await silo.DisposeAsync();
        _gateway = _silo = null;
        var clock = Stopwatch.StartNew();
        await StartBeaconAsync();
        var up = clock.Elapsed;
        var back = await WaitForFiguresAsync(TimeSpan.FromMinutes(3), withComparison: true);
        var all = clock.Elapsed;
        report.Add(new Figure(Scale, "full restart → every county summary and the comparison back", back ? all.TotalSeconds : null, "s",
            up.TotalSeconds, "silo and gateway up, no figures yet", $"< {RestartTarget.TotalSeconds:N0} s", back && all < RestartTarget,
            back ? $"{Counties.Length} counties × {PerCounty:N0} enterprises; stopping took {siloStop.TotalSeconds:F1} s (silo) + {gatewayStop.TotalSeconds:F1} s (gateway)"
                 : "figures did NOT all come back within 3 minutes"));
    }

    /// <summary>
    /// <paramref name="count"/> GETs one after another, after three that warm the connection and the code paths; with a
    /// <paramref name="budget"/>, it stops once that long has passed and <paramref name="atLeast"/> are timed.
    /// </summary>
    private async Task<Sample> TimeRequestsAsync(string url, string? token, int count, TimeSpan? budget = null, int atLeast = 0)
    {
        var times = new List<double>(count);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count + 3 && (budget is not { } b || times.Count < atLeast || clock.Elapsed < b); i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var started = Stopwatch.GetTimestamp();
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            response.EnsureSuccessStatusCode();
            if (i >= 3) times.Add(elapsed);
        }
        return new Sample(times);
    }

    private async Task ComparisonLatencyAsync(string serveUrl)
    {
        var bytes = (await GetStringAsync($"/api/provinces/{Province.Code}/comparison", _overseerToken)).Length;
        var comparison = await TimeRequestsAsync($"{_beaconUrl}/api/provinces/{Province.Code}/comparison", _overseerToken, options.ComparisonRequests);
        var plain = await TimeRequestsAsync($"{serveUrl}/raw/comparison", null, options.ComparisonRequests);
        var note = $"{Counties.Length} rows, {bytes:N0} characters of JSON, {options.ComparisonRequests} requests one after another, right after the restart";
        const string ceiling = "the same comparison serialised from memory by a plain ASP.NET Core endpoint";
        report.Add(new Figure(Scale, "province comparison latency p50", comparison.P50, "ms", plain.P50, ceiling, Note: note));
        report.Add(new Figure(Scale, "province comparison latency p99", comparison.P99, "ms", plain.P99, ceiling));
    }

    private async Task MemoryPerGrainAsync()
    {
        var count = (int)Math.Min(options.ActivateForMemory, (long)Counties.Length * PerCounty);
        // Twice: the first collection may leave finalizable objects and their graphs for the second one.
        await InducedGc.HeapAfterFullGcAsync(_silo!.Id);
        var heapBefore = await InducedGc.HeapAfterFullGcAsync(_silo!.Id);
        var rssBefore = ProcStat.RssBytes(_silo.Id);
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency }, async (k, _) =>
        {
            var c = k % Counties.Length;
            var code = Province.CreditCodeOf(Counties[c], k / Counties.Length);
            await GetStringAsync($"/api/counties/{Counties[c]}/enterprises/{code}", _adminTokens[c]);
        });
        var elapsed = clock.Elapsed;
        await InducedGc.HeapAfterFullGcAsync(_silo.Id);
        var heapAfter = await InducedGc.HeapAfterFullGcAsync(_silo.Id);
        var rssAfter = ProcStat.RssBytes(_silo.Id);
        double? perGrain = heapBefore is { } b && heapAfter is { } a ? (double)(a - b) / count : null;
        double? rssPerGrain = rssBefore is { } rb && rssAfter is { } ra ? (double)(ra - rb) / count : null;
        report.Add(new Figure(Scale, "memory per activated enterprise grain", perGrain, "bytes",
            Note: $"silo's managed heap after a full GC (induced over EventPipe) {heapBefore / 1048576.0:F1} → {heapAfter / 1048576.0:F1} MiB " +
                $"over {count:N0} activations (GET of each); resident memory grew {rssPerGrain:F0} bytes per grain"));
        report.Add(new Figure(Scale, "enterprise grain activations from PostgreSQL", count / elapsed.TotalSeconds, "grains/s",
            Note: $"{options.Concurrency} GETs outstanding; DESIGN.md expects about 900/s"));
    }

    // ---------------------------------------------------------------- raw SignalR ceiling (2) and SQL polling (5)

    private async Task FillPlainTableAsync()
    {
        var clock = Stopwatch.StartNew();
        await _db.ExecuteAsync(Serve.CreateTable);
        await using (var connection = new NpgsqlConnection(_db.ConnectionString))
        {
            await connection.OpenAsync();
            await using var writer = await connection.BeginBinaryImportAsync(
                "COPY enterprises_plain (credit_code, county, name, kind, employees, party_members, in_base, mode, organisation_id, " +
                "station_id, instructor_id, township, basic_archive, featured_archive) FROM STDIN (FORMAT BINARY)");
            for (var c = 0; c < Counties.Length; c++)
                for (var j = 0; j < PerCounty; j++)
                {
                    var p = _province.Enterprise(Counties[c], j, _members[c][j]);
                    await writer.StartRowAsync();
                    await writer.WriteAsync(p.CreditCode, NpgsqlDbType.Text);
                    await writer.WriteAsync(Counties[c], NpgsqlDbType.Text);
                    await writer.WriteAsync(p.Name, NpgsqlDbType.Text);
                    await writer.WriteAsync((short)p.Kind, NpgsqlDbType.Smallint);
                    await writer.WriteAsync(p.Employees, NpgsqlDbType.Integer);
                    await writer.WriteAsync(p.PartyMembers, NpgsqlDbType.Integer);
                    await writer.WriteAsync(p.InBase, NpgsqlDbType.Boolean);
                    await writer.WriteAsync((short)p.Organisation.Mode, NpgsqlDbType.Smallint);
                    await WriteTextAsync(writer, p.Organisation.OrganisationId);
                    await WriteTextAsync(writer, p.StationId);
                    await WriteTextAsync(writer, p.InstructorId);
                    await WriteTextAsync(writer, p.Township);
                    await writer.WriteAsync(p.Archive?.Basic ?? false, NpgsqlDbType.Boolean);
                    await writer.WriteAsync(p.Archive?.Featured ?? false, NpgsqlDbType.Boolean);
                }
            await writer.CompleteAsync();
        }
        await _db.ExecuteAsync(Serve.CreateIndex);
        await _db.ExecuteAsync("VACUUM ANALYZE enterprises_plain");
        Console.WriteLine($"[bench] {Polling}: the same {(long)Counties.Length * PerCounty:N0} enterprises copied into an ordinary table " +
            $"with a covering index in {clock.Elapsed.TotalSeconds:F1} s");

        static Task WriteTextAsync(NpgsqlBinaryImporter writer, string? value) =>
            value is null ? writer.WriteNullAsync() : writer.WriteAsync(value, NpgsqlDbType.Text);
    }

    private async Task RawCeilingAsync(BeaconProcess serve, string url)
    {
        Console.WriteLine($"[bench] {Ceilings}: raw SignalR broadcast, {options.Screens} clients");
        var tracker = new LatencyTracker(Counties.Length);
        var drain = TimeSpan.FromSeconds(10);
        async Task<long> Total(int c) =>
            (await _http.GetFromJsonAsync<JsonElement>($"{url}/raw/counties/{Counties[c]}/total")).GetProperty("partyMembers").GetInt64();
        async Task<(bool, string?)> Publish(int c)
        {
            using var response = await _http.PostAsync($"{url}/raw/counties/{Counties[c]}/publish", null);
            return response.IsSuccessStatusCode ? (true, null) : (false, $"{(int)response.StatusCode}");
        }
        var screens = await SignalRScreens.ConnectAsync(new Uri($"{url}/raw/hub"), _ => null, options.Screens, Counties, tracker);
        try
        {
            await WarmUpAsync("raw SignalR", Publish);
            await BaselineAsync(tracker, Total);
            var cpu = new CpuWindow(null, ("serve", serve.Id));
            CpuWindow.Used used = null!;
            await cpu.StartAsync();
            _rawSteady = await RateDriver.DriveAsync($"raw SignalR, {options.Screens} clients", options.SteadyRate, options.SteadyWindow,
                Counties.Length, options.InFlightPerCounty, Publish, tracker, drain, async () => used = await cpu.StopAsync());
            _rawCpuTotal = PerScreenMinute(used.Cpu, used.Wall, options.Screens);
            (_rawMaxRate, _rawMaxIsFloor) = await RampAsync("raw SignalR", tracker, Total, Publish, drain);
        }
        finally
        {
            await SignalRScreens.DisconnectAsync(screens);
        }
    }

    private async Task PollingAsync(BeaconProcess serve, string url)
    {
        Console.WriteLine($"[bench] {Polling}: {options.Screens} screens polling SQL once a second");
        var tracker = new LatencyTracker(Counties.Length);
        using var pollClient = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 4096, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = new Uri(url),
            Timeout = TimeSpan.FromSeconds(30),
        };
        async Task<long> Total(int c) =>
            (await _http.GetFromJsonAsync<JsonElement>($"{url}/poll/counties/{Counties[c]}/figures")).GetProperty("partyMembers").GetInt64();
        async Task<(bool, string?)> Write(int c)
        {
            if (!_free[c].TryDequeue(out var j)) return (false, "no enterprise of the county is free to write");
            try
            {
                var members = _members[c][j] + 1;
                using var response = await _http.PutAsJsonAsync($"{url}/poll/counties/{Counties[c]}/enterprises/{Province.CreditCodeOf(Counties[c], j)}/members",
                    new Serve.MembersBody(members), new JsonSerializerOptions(JsonSerializerDefaults.Web));
                if (!response.IsSuccessStatusCode) return (false, $"{(int)response.StatusCode}");
                _members[c][j] = members;
                return (true, null);
            }
            finally { _free[c].Enqueue(j); }
        }

        var drain = TimeSpan.FromSeconds(10);
        await WarmUpAsync("SQL app", Write);
        for (var i = 0; i < 20; i++) await Total(i % Counties.Length); // the poll's path too
        var cpu = new CpuWindow(_db, ("plain app", serve.Id));
        var before = await WritesOnlyAsync("SQL app", cpu, tracker, Total, Write);

        var pollers = new Pollers(pollClient, Counties, tracker);
        CpuWindow.Used withScreens = null!;
        long polls;
        using (var stop = new CancellationTokenSource())
        {
            var running = pollers.RunAsync(options.Screens, TimeSpan.FromSeconds(1), stop.Token);
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
                await BaselineAsync(tracker, Total);
                polls = Interlocked.Read(ref pollers.Polls);
                await cpu.StartAsync();
                _pollSteady = await RateDriver.DriveAsync($"SQL polling, {options.Screens} screens", options.SteadyRate, options.SteadyWindow,
                    Counties.Length, options.InFlightPerCounty, Write, tracker, drain, async () =>
                    {
                        withScreens = await cpu.StopAsync();
                        polls = Interlocked.Read(ref pollers.Polls) - polls;
                    });
            }
            finally
            {
                await stop.CancelAsync();
                await running;
                tracker.RemoveScreens();
            }
        }
        await Task.Delay(options.Settle);
        var after = await WritesOnlyAsync("SQL app", cpu, tracker, Total, Write);
        var writesOnly = before.Used.Plus(after.Used);
        var pollTimes = new Sample(pollers.PollMs);
        report.Note($"SQL polling: {polls / withScreens.Wall:N0} polls/s answered of {options.Screens:N0} due, poll round trip p50 " +
            $"{pollTimes.P50:F1} ms p99 {pollTimes.P99:F1} ms, {pollers.Late:N0} late, {pollers.Failures:N0} failed; server CPU-s/s " +
            $"{writesOnly.Cpu / writesOnly.Wall:F2} writing {(before.Phase.Writes + after.Phase.Writes) / writesOnly.Wall:N0}/s with no screen ({writesOnly.Breakdown}; before {before.Used.Cpu / before.Used.Wall:F2}, " +
            $"after {after.Used.Cpu / after.Used.Wall:F2}), {withScreens.Cpu / withScreens.Wall:F2} with the screens ({withScreens.Breakdown})");
        _pollCpuTotal = PerScreenMinute(withScreens.Cpu, withScreens.Wall, options.Screens);
        // Here PostgreSQL does the screens' work: every poll is its query.
        _pollCpuScreens = ScreensShare([before, after], [new Window(_pollSteady, withScreens)], ["plain app", "PostgreSQL"]);

        _pollCpuScreensOrdinary = await ScreensAtOrdinaryRateAsync("SQL app", cpu, tracker, Total, Write, async () =>
        {
            var ordinary = new Pollers(pollClient, Counties, tracker);
            var stop = new CancellationTokenSource();
            var running = ordinary.RunAsync(options.Screens, TimeSpan.FromSeconds(1), stop.Token);
            await Task.Delay(TimeSpan.FromSeconds(2));
            return async () =>
            {
                await stop.CancelAsync();
                await running;
                stop.Dispose();
                tracker.RemoveScreens();
            };
        }, ["plain app", "PostgreSQL"]);
    }

    // ---------------------------------------------------------------- the comparisons

    /// <summary>Issue 22's target for the screens at the ordinary rate: this many times below the best SQL polling.</summary>
    private const double CheaperThanPolling = 20;

    /// <summary>Issue 22's write rate at which a write must still reach the screens within the latency limit.</summary>
    private const double TargetWriteRate = 1_600;

    /// <summary>Met when even Beacon's upper bound is <see cref="CheaperThanPolling"/> times below polling's measured share; unknown when polling's is only bounded.</summary>
    private static bool? CheaperEnough(Share? beacon, Share? polling) =>
        beacon is { } b && polling is { AtMost: false } p
            ? b.PerScreenMinute * CheaperThanPolling <= p.PerScreenMinute ? true : b.AtMost ? null : false
            : null;

    private void Summarise()
    {
        var siloLog = Path.Combine(logDir, "silo.log");
        if (File.Exists(siloLog))
        {
            var failed = File.ReadLines(siloLog).Where(l => l.Contains("Error from storage provider", StringComparison.Ordinal)).ToArray();
            var races = failed.Count(l => l.Contains("Collection was modified", StringComparison.Ordinal));
            if (failed.Length > 0)
                report.Note($"the silo's log shows {failed.Length} failed grain-state writes ({races} of them \"Collection was modified\": a county's register " +
                    "or ledger serialised by the storage provider while an interleaved report changes it); the loader retried the PUTs that got 500: " +
                    $"{_retries} retries");
        }
        var rate = $"{options.SteadyRate:N0} writes/s";
        if (_rawSteady is not null || _rawMaxRate is not null)
        {
            report.Add(new Figure(Ceilings, $"raw SignalR broadcast, highest rate with p99 < {options.LatencyLimitMs:N0} ms", _rawMaxRate, "broadcasts/s",
                Note: $"{options.Screens} clients, 10 per group, summary-sized message, no coalescing" + (_rawMaxIsFloor ? "; every step passed: at least this" : "")));
            report.Add(new Figure(Ceilings, $"raw SignalR broadcast, CPU per screen-minute at {rate}", _rawCpuTotal, "CPU-s", Note: "server process"));
        }
        if (_beaconSteady is { } b)
        {
            var raw = _rawSteady?.Latency;
            var l = b.Latency;
            var note = $"{options.Screens} screens, {Counties.Length} counties, achieved {b.AchievedRate:N0}/s, {l.Count:N0} deliveries" +
                (b.Missing > 0 ? $", {b.Missing} never seen" : "") + (b.Errors > 0 ? $", {b.Errors} writes failed" : "");
            report.Add(new Figure(WriteToScreen, $"HTTP ack → summary on screen p50 at {rate}", l.P50, "ms", raw?.P50, "raw SignalR broadcast", Note: note));
            report.Add(new Figure(WriteToScreen, $"HTTP ack → summary on screen p95 at {rate}", l.P95, "ms", raw?.P95, "raw SignalR broadcast"));
            report.Add(new Figure(WriteToScreen, $"HTTP ack → summary on screen p99 at {rate}", l.P99, "ms", raw?.P99, "raw SignalR broadcast"));
        }
        if (_beaconSteady is not null)
            report.Add(new Figure(WriteToScreen, $"highest write rate with p99 < {options.LatencyLimitMs:N0} ms", _beaconMaxRate, "writes/s",
                _rawMaxRate, "raw SignalR", $"≥ {TargetWriteRate:N0} writes/s", _beaconMaxRate is { } max ? max >= TargetWriteRate : false,
                Note: (_beaconMaxIsFloor ? $"every step up to {options.RampRates[^1]:N0}/s passed: at least this; " : "") +
                    $"steps of {options.RampStep.TotalSeconds:F0} s"));
        if (_beaconCpuTotal is not null || _pollCpuTotal is not null)
        {
            string Described(Share? share, string who) => share is null ? "" :
                $"{who}: {share.Counted}{(share.AtMost ? ", below this run's noise: at most this" : "")}, background noise {share.Noise:F5}; ";
            void ScreensRow(string at, Share? beacon, Share? polling, bool targeted) =>
                report.Add(new Figure(Polling, $"server CPU per screen-minute for serving the screens at {at}", beacon?.PerScreenMinute, "CPU-s",
                    polling?.PerScreenMinute, "SQL polling", targeted ? $"≥ {CheaperThanPolling:N0}× cheaper" : null, targeted ? CheaperEnough(beacon, polling) : null,
                    Described(beacon, "Beacon") + Described(polling, "SQL polling") +
                    "the processes that serve a screen, with the screens, minus what the same writes cost with no screen (windows before, between and after)"));
            ScreensRow(rate, _beaconCpuScreens, _pollCpuScreens, targeted: false);
            ScreensRow($"{Ordinary.Rate:N0} writes/s (one change per county every 10 s)", _beaconCpuScreensOrdinary, _pollCpuScreensOrdinary, targeted: true);
            report.Add(new Figure(Polling, $"server CPU per screen-minute, writes at {rate} included", _beaconCpuTotal, "CPU-s",
                _pollCpuTotal, "SQL polling", Note: "all server processes (silo + gateway + PostgreSQL, or app + PostgreSQL), nothing subtracted"));
        }
        if (_beaconSteady is not null || _pollSteady is not null)
        {
            var beacon = _beaconSteady?.Latency;
            var poll = _pollSteady?.Latency;
            bool? Fresher(double? x, double? y) => x is { } a && y is { } c ? a < c : null;
            report.Add(new Figure(Polling, "staleness a screen sees p50 (write ack → figures on screen)", beacon?.P50, "ms", poll?.P50, "SQL polling",
                "fresher", Fresher(beacon?.P50, poll?.P50),
                _pollSteady is { } p ? $"polling: {p.Latency.Count:N0} deliveries, {p.Missing} never seen" : null));
            report.Add(new Figure(Polling, "staleness a screen sees p99", beacon?.P99, "ms", poll?.P99, "SQL polling", "fresher", Fresher(beacon?.P99, poll?.P99)));
        }
    }
}
