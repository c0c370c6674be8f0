namespace Beacon.Load;

/// <summary>
/// The sizes and durations of one run. <see cref="Full"/> is the issue's run (100 counties, 1,000 screens, 300,000
/// enterprises); <see cref="QuickRun"/> is the reduced run of <c>./bench.sh --quick</c>, meant to end within 3 minutes.
/// </summary>
public sealed record BenchOptions
{
    public bool Quick { get; init; }
    public int Counties { get; init; } = 100;
    public int Screens { get; init; } = 1_000;
    /// <summary>Outstanding calls (grain sections) and HTTP requests (loading).</summary>
    public int Concurrency { get; init; } = 64;

    // Writes through grains (in-process silo).
    public int GrainEnterprisesPerCounty { get; init; } = 100;
    public int GrainIssuesPerCounty { get; init; } = 10;
    public TimeSpan GrainWarmup { get; init; } = TimeSpan.FromSeconds(3);
    public TimeSpan GrainWindow { get; init; } = TimeSpan.FromSeconds(8);
    /// <summary>Rounds of a comparison's sides measured in turn (no-op, bare write, Beacon; or bare write, Beacon).</summary>
    public int GrainRounds { get; init; } = 4;

    // Write to screen, SQL polling, raw SignalR.
    public double SteadyRate { get; init; } = 200;
    public TimeSpan SteadyWindow { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Writes at the steady rate with no screen: the baseline the screens' own cost is measured against.</summary>
    public TimeSpan BaselineWindow { get; init; } = TimeSpan.FromSeconds(20);
    /// <summary>
    /// Each window at the ordinary rate (section 5's second rate), with screens and without. There a screen costs a few
    /// tens of microseconds a second, so the windows must be long for the share to stand out of the silo's background.
    /// </summary>
    public TimeSpan OrdinaryWindow { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>
    /// Writes at the ordinary rate before its windows. The busy windows before it leave each county with ledger rows to
    /// write behind, one every 5 s (CountyGrain.LedgerRowInterval) and up to 16, so 80 s; until they are written the
    /// silo's CPU falls from window to window, which reads as noise (it settled some 95 s after them at 30,000 enterprises).
    /// </summary>
    public TimeSpan OrdinaryWarmup { get; init; } = TimeSpan.FromSeconds(120);
    /// <summary>
    /// Writes at the steady rate before anything is measured, so that no window pays for JIT compilation or a cold path
    /// (a shorter warm-up left the first window without screens a third above the later ones, which read as noise).
    /// </summary>
    public TimeSpan WarmupWindow { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>
    /// A pause after the screens connect and after they leave, before the next CPU window: the server's side of 1,000
    /// handshakes or disconnections otherwise lands in the window and reads as the screens' running cost.
    /// </summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(3);
    public TimeSpan RampStep { get; init; } = TimeSpan.FromSeconds(15);
    public double[] RampRates { get; init; } = [200, 400, 800, 1600, 3200, 6400];
    /// <summary>Writes in flight per county at once (the latency check is exact at 1 and conservative above).</summary>
    public int InFlightPerCounty { get; init; } = 4;
    public double LatencyLimitMs { get; init; } = 300;

    // Scale.
    public int ScaleEnterprises { get; init; } = 300_000;
    public int StationsPerCounty { get; init; } = 3;
    public int ActivateForMemory { get; init; } = 30_000;
    public int ComparisonRequests { get; init; } = 200;

    // Restart alone (section 7, only with --only restart).
    public int RestartRounds { get; init; } = 3;
    /// <summary>A database a previous run loaded and kept (<see cref="KeepLoaded"/>): the rounds copy it instead of loading.</summary>
    public string? RestartFrom { get; init; }
    /// <summary>Keeps the database the restart rounds loaded, for a later run's <see cref="RestartFrom"/>.</summary>
    public bool KeepLoaded { get; init; }

    public string? PostgresAdmin { get; init; }
    public string OutFile { get; init; } = "BenchmarkResults/latest.md";
    public HashSet<string> Sections { get; init; } = ["places", "grains", "system"];
    /// <summary>The system section's baselines too: the raw SignalR ceiling and the SQL-polling app.</summary>
    public bool Baselines { get; init; } = true;
    /// <summary><c>--only pauses</c>: the system section's loading, then only the ordinary rate with the silo's collections watched.</summary>
    public bool PausesOnly => Sections.Contains("pauses") && !Sections.Contains("system");
    public TimeSpan PausesWindow { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>Settings for the silo's process, such as the runtime's GC settings (DOTNET_gcServer=1), to compare them.</summary>
    public Dictionary<string, string> SiloEnvironment { get; init; } = [];
    /// <summary>The name the run goes by in its header.</summary>
    public string RunName { get; init; } = "full run";

    public int EnterprisesPerCounty => Math.Max(1, ScaleEnterprises / Counties);

    public static BenchOptions Full => new();

    /// <summary>
    /// A tenth of the whole country (2,844 counties, about 4 million enterprises, 30,000 screens), for the plan in
    /// BENCHMARKS.md: Beacon's system section alone, without the baselines it is compared with in a full run.
    /// </summary>
    public static BenchOptions CountryTenth => new()
    {
        RunName = "a tenth of the country",
        Counties = 280,
        Screens = 3_000,
        ScaleEnterprises = 400_000,
        Sections = ["system"],
        Baselines = false,
    };

    public static BenchOptions QuickRun => new()
    {
        Quick = true,
        RunName = "**quick** run (reduced sizes; not the figures the targets are about)",
        Counties = 10,
        Screens = 100,
        GrainEnterprisesPerCounty = 50,
        GrainIssuesPerCounty = 10,
        GrainWarmup = TimeSpan.FromSeconds(1),
        GrainWindow = TimeSpan.FromSeconds(3),
        GrainRounds = 1,
        // Every window of the system half is a few seconds shorter than it could be: with the build, the run has to
        // end within 3 minutes on a busy 2-core machine too (188 s at a load average of 7 with 1 s more on each).
        SteadyWindow = TimeSpan.FromSeconds(5),
        BaselineWindow = TimeSpan.FromSeconds(2),
        OrdinaryWindow = TimeSpan.FromSeconds(2),
        OrdinaryWarmup = TimeSpan.FromSeconds(1),
        WarmupWindow = TimeSpan.FromSeconds(3),
        Settle = TimeSpan.FromSeconds(1),
        RampStep = TimeSpan.FromSeconds(2.5),
        RampRates = [200, 400, 800, 1600],
        ScaleEnterprises = 5_000,
        ActivateForMemory = 2_000,
        ComparisonRequests = 40,
    };
}
