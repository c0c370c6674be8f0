using System.Diagnostics;
using System.Globalization;
using Beacon.Load;

// Beacon.Load: the benchmark's load program. ./bench.sh builds, prepares PostgreSQL and runs `all`.
//
//   Beacon.Load all     [--quick] --pg CONNSTR [--out FILE] [--only grains|system] [--grain-window SECONDS] [--grain-rounds N]
//   Beacon.Load all     --only restart --pg CONNSTR [--restart-rounds N] [--keep-loaded | --restart-from DATABASE]   (the restart alone, in rounds)
//   Beacon.Load serve   --port N --pg CONNSTR [--template FILE] [--comparison FILE]   (started by `all`: the ceilings' and the baseline's server)
//
// Every section runs for a fixed time or a fixed amount of work, on loopback only, and stops what it started.

if (args is ["serve", ..])
{
    string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
    return await Serve.RunAsync(int.Parse(Arg("--port") ?? throw new ArgumentException("--port is required"), CultureInfo.InvariantCulture),
        Arg("--pg") ?? throw new ArgumentException("--pg is required"), Arg("--template"), Arg("--comparison"));
}

if (args is not ["all", ..] || args.Contains("--help") || args.Contains("-h"))
{
    Console.Error.WriteLine("usage: Beacon.Load all [--quick | --country-tenth] --pg CONNSTR [--out FILE] [--only grains|system|pauses|restart] [--counties N] [--screens N] [--enterprises N] [--grain-window SECONDS] [--grain-rounds N]");
    return args.Contains("--help") || args.Contains("-h") ? 0 : 2;
}

var options = args.Contains("--quick") ? BenchOptions.QuickRun : args.Contains("--country-tenth") ? BenchOptions.CountryTenth : BenchOptions.Full;
for (var i = 1; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    int NextInt() => int.Parse(Next(), CultureInfo.InvariantCulture);
    switch (args[i])
    {
        case "--quick" or "--country-tenth": break;
        case "--pg": options = options with { PostgresAdmin = Next() }; break;
        case "--out": options = options with { OutFile = Next() }; break;
        case "--only": options = options with { Sections = [.. Next().Split(',')] }; break;
        case "--counties": options = options with { Counties = NextInt() }; break;
        case "--screens": options = options with { Screens = NextInt() }; break;
        case "--enterprises": options = options with { ScaleEnterprises = NextInt() }; break;
        // Longer grain windows leave time to attach a profiler (dotnet-trace) to this process.
        case "--grain-window": options = options with { GrainWindow = TimeSpan.FromSeconds(NextInt()) }; break;
        case "--grain-rounds": options = options with { GrainRounds = NextInt() }; break;
        case "--silo-env":
            var setting = Next().Split('=', 2);
            if (setting is not [{ Length: > 0 } key, var value]) { Console.Error.WriteLine("Beacon.Load: --silo-env needs NAME=VALUE"); return 2; }
            options.SiloEnvironment[key] = value;
            break;
        case "--pauses-window": options = options with { PausesWindow = TimeSpan.FromSeconds(NextInt()) }; break;
        case "--restart-rounds": options = options with { RestartRounds = NextInt() }; break;
        case "--restart-from": options = options with { RestartFrom = Next() }; break;
        case "--keep-loaded": options = options with { KeepLoaded = true }; break;
        case "--ordinary-window": options = options with { OrdinaryWindow = TimeSpan.FromSeconds(NextInt()) }; break;
        default: Console.Error.WriteLine($"Beacon.Load: unknown argument '{args[i]}'"); return 2;
    }
}
if (options.PostgresAdmin is null)
{
    Console.Error.WriteLine("Beacon.Load: --pg CONNSTR is required (bench.sh passes the beacon role's connection string)");
    return 2;
}

var outFile = Path.GetFullPath(options.OutFile);
var logDir = Path.Combine(Path.GetDirectoryName(outFile)!, "logs");
Directory.CreateDirectory(logDir);

// Ctrl-C, SIGTERM, SIGHUP: stop the silo, gateway and serve processes and drop the databases this run made, then
// leave; a second signal leaves at once.
var interrupted = 0;
void Interrupt(System.Runtime.InteropServices.PosixSignalContext context)
{
    if (Interlocked.Increment(ref interrupted) > 1) return;
    context.Cancel = true;
    Console.WriteLine($"[bench] {context.Signal}: stopping the processes it started and dropping its databases");
    BeaconProcess.StopAllNow();
    PostgresDatabase.DropAllNow(problem => Console.WriteLine($"[bench] {problem}"));
    Environment.Exit(130);
}
using var onInt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Interrupt);
using var onTerm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Interrupt);
using var onHup = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGHUP, Interrupt);
AppDomain.CurrentDomain.ProcessExit += (_, _) => BeaconProcess.StopAllNow();

var report = new Report();
var clock = Stopwatch.StartNew();
Console.SetOut(TextWriter.Synchronized(new ElapsedWriter(Console.Out, clock)));
var loadAtStart = ProcStat.LoadAverage();
var failed = false;
double? barePostgres = null;
Console.WriteLine($"[bench] {options.RunName}: {options.Counties} counties, {options.Screens} screens, " +
    $"{options.ScaleEnterprises:N0} enterprises; {Environment.ProcessorCount} cores, load average {loadAtStart}");
try
{
    if (options.Sections.Contains("places")) new PlacesBench(report).Run();
    if (options.Sections.Contains("grains"))
    {
        var grains = new GrainBench(options, report);
        double? noOp = null;
        await grains.RunAsync("memory", null, v => noOp = v);
        await grains.RunAsync("postgres", noOp, onBareWrite: v => barePostgres = v);
    }
    if (options.Sections.Contains("system") || options.PausesOnly)
    {
        // A thousand connections and their callbacks: do not let the thread pool ramp up slowly. Not for the grain
        // sections, whose in-process silo wants few threads: with dozens runnable on two cores, a thread preempted
        // while holding one of the runtime's dictionary locks stalls every other caller (seen in a thread-time trace).
        ThreadPool.SetMinThreads(Math.Max(64, Environment.ProcessorCount * 8), Math.Max(64, Environment.ProcessorCount * 8));
        await new SystemBench(options, report, logDir, barePostgres).RunAsync();
    }
    if (options.Sections.Contains("restart"))
    {
        ThreadPool.SetMinThreads(Math.Max(64, Environment.ProcessorCount * 8), Math.Max(64, Environment.ProcessorCount * 8));
        await new SystemBench(options, report, logDir, barePostgres).RestartRoundsAsync();
    }
}
catch (Exception e)
{
    failed = true;
    Console.WriteLine($"[bench] FAILED: {e}");
    report.Note($"the run failed before its end: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
}
finally
{
    BeaconProcess.StopAllNow();
}

var header = new[]
{
    $"{DateTime.Now:yyyy-MM-dd HH:mm}, {options.RunName}, " +
        $"{clock.Elapsed.TotalSeconds:F0} s. Machine: {Environment.ProcessorCount} cores, load average {loadAtStart} at the start, " +
        $"{ProcStat.LoadAverage()} at the end. Everything (silo, gateway, PostgreSQL, load program) on one machine, loopback only.",
    "",
    $"Sizes: {options.Counties} counties in one province; grain sections {options.GrainEnterprisesPerCounty} enterprises + " +
        $"{options.GrainIssuesPerCounty} issues per county, {options.Concurrency} calls outstanding, {options.GrainWindow.TotalSeconds:F0} s windows" +
        (options.GrainRounds > 1 ? $" in {options.GrainRounds} alternating rounds" : "") + "; " +
        $"{options.ScaleEnterprises:N0} enterprises loaded through the API; {options.Screens:N0} screens; steady {options.SteadyRate:N0} writes/s " +
        $"for {options.SteadyWindow.TotalSeconds:F0} s; ramp steps {options.RampStep.TotalSeconds:F0} s. Ratio = value ÷ ceiling (or baseline)." +
        (options.SiloEnvironment.Count == 0 ? "" : $" Silo's settings: {string.Join(", ", options.SiloEnvironment.Select(e => $"{e.Key}={e.Value}"))}."),
};
var markdown = report.ToMarkdown("Beacon benchmark", header);
Directory.CreateDirectory(Path.GetDirectoryName(outFile)!);
await File.WriteAllTextAsync(outFile, markdown);
Console.WriteLine();
Console.WriteLine(markdown);
Console.WriteLine($"[bench] written to {outFile}; process logs in {logDir}");
return failed ? 1 : 0;

/// <summary>Prefixes the load program's own lines ("[bench]", "[result]", "[note]") with the seconds since the start.</summary>
internal sealed class ElapsedWriter(TextWriter inner, Stopwatch clock) : TextWriter
{
    public override System.Text.Encoding Encoding => inner.Encoding;
    public override void Write(char value) => inner.Write(value);
    public override void Write(string? value) => inner.Write(value);
    public override void WriteLine(string? value) =>
        inner.WriteLine(value is ['[', ..] ? $"{clock.Elapsed.TotalSeconds,6:F1}s {value}" : value);
    public override void Flush() => inner.Flush();
}
