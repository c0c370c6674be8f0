using System.Diagnostics;
using Npgsql;

namespace Beacon.Load;

/// <summary>
/// The restart alone (<c>--only restart</c>), without the rest of section 6: the province is loaded once and Beacon
/// stops cleanly; each round then starts Beacon on a fresh copy of that database (<c>CREATE DATABASE … TEMPLATE</c>), so
/// that every round restarts the same stored state and the rounds can be compared with each other on a shared machine.
/// </summary>
public sealed partial class SystemBench
{
    private const string Restart = "7 restart";

    public async Task RestartRoundsAsync()
    {
        var admin = options.PostgresAdmin ?? throw new InvalidOperationException("--pg is required");
        Prepare();
        BenchDatabase? loadedHere = null;
        try
        {
            var loaded = options.RestartFrom;
            if (loaded is null)
            {
                loadedHere = await LoadForRestartAsync(admin);
                loaded = loadedHere.Name;
            }
            await SettleAsync(admin, loaded);
            for (var round = 1; round <= options.RestartRounds; round++)
            {
                await using var copy = await BenchDatabase.CopyAsync(admin, loaded, "restart");
                _db = copy;
                var clock = Stopwatch.StartNew();
                await StartBeaconAsync();
                var up = clock.Elapsed;
                var cpuUp = $"silo {ProcStat.CpuSeconds(_silo!.Id):F2}, gateway {ProcStat.CpuSeconds(_gateway!.Id):F2} CPU-s";
                var back = await WaitForFiguresAsync(TimeSpan.FromMinutes(3), withComparison: true);
                var all = clock.Elapsed;
                // What the two processes spent until then: on a shared machine it moves less than the wall time does.
                var cpu = $"silo {ProcStat.CpuSeconds(_silo!.Id):F2} CPU-s, gateway {ProcStat.CpuSeconds(_gateway!.Id):F2} CPU-s";
                Console.WriteLine($"[bench] {Restart}: round {round}: processes up after {up.TotalSeconds:F2} s ({cpuUp}), " +
                    (back ? $"every figure back after {all.TotalSeconds:F2} s" : "figures NOT all back") + $"; {cpu}");
                report.Add(new Figure(Restart, $"round {round}: start → every county summary and the comparison back", back ? all.TotalSeconds : null, "s",
                    up.TotalSeconds, "silo and gateway up, no figures yet", "< 5 s", back && all.TotalSeconds < 5,
                    $"{Counties.Length} counties × {PerCounty:N0} enterprises, on a copy of the database as a clean stop left it; {cpu} by then"));
                await StopBeaconAsync();
                // The copy is dropped next, and the next copy needs its template without connections.
                NpgsqlConnection.ClearAllPools();
            }
        }
        finally
        {
            await StopBeaconAsync();
            if (loadedHere is not null && !options.KeepLoaded) await loadedHere.DisposeAsync();
            _http.Dispose();
            _scratch.Dispose();
        }
    }

    /// <summary>
    /// Starts Beacon once on the loaded database itself, waits for every figure and stops it again, so that the rounds
    /// start from a clean stop. The stop after loading deactivates every enterprise grain too and may overrun the 20 s
    /// before a kill on a busy machine; the counties it cut short then reconcile at their next start, which is the crash
    /// path, not the restart the rounds are about. This stop has only the counties and the province to deactivate.
    /// </summary>
    private async Task SettleAsync(string admin, string loaded)
    {
        var db = BenchDatabase.Existing(admin, loaded);
        _db = db;
        var clock = Stopwatch.StartNew();
        await StartBeaconAsync();
        var back = await WaitForFiguresAsync(TimeSpan.FromMinutes(5), withComparison: true);
        Console.WriteLine($"[bench] {Restart}: settling restart on {loaded}: " +
            (back ? $"every figure back after {clock.Elapsed.TotalSeconds:F1} s" : "figures NOT all back"));
        // The counties' write-behind and their reconcile's rows are written by the clean stop below.
        var stopped = await _silo!.StopAsync();
        if (!stopped) Console.WriteLine($"[bench] {Restart}: the settling restart's silo did not stop cleanly either");
        await StopBeaconAsync();
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>
    /// Loads the province as section 6 does, then stops Beacon cleanly. With <see cref="BenchOptions.KeepLoaded"/> the
    /// database outlives the run, and a later run starts from it (<c>--restart-from</c>) without loading again.
    /// </summary>
    private async Task<BenchDatabase> LoadForRestartAsync(string admin)
    {
        var db = await BenchDatabase.CreateAsync(admin, "restart_loaded");
        _db = db;
        await StartBeaconAsync();
        await ConfigureCountiesAsync();
        await CreateStationsAsync();
        await CreateOrganisationsAsync();
        await LoadProvinceAsync();
        await StopBeaconAsync();
        NpgsqlConnection.ClearAllPools();
        if (options.KeepLoaded)
            Console.WriteLine($"[bench] {Restart}: the loaded database {db.Name} is kept: --restart-from {db.Name} starts from it");
        return db;
    }
}
