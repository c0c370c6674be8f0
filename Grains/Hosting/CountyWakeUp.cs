using System.Diagnostics;

namespace Beacon.Grains.Hosting;

/// <summary>
/// Wakes every county of the national list's provinces as soon as the silo is active, in the background. A county's
/// activation reads its rows and rebuilds its tally from its ledger, and after a restart every county has to: done now,
/// that work overlaps the gateways' own start instead of waiting for the first screens and pages to ask, a few counties
/// at a time. A county woken twice (another silo woke it too, or a request came first) only answers its summary again.
/// </summary>
internal sealed class CountyWakeUp(IGrainFactory grains, ILogger<CountyWakeUp> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>Counties activating at once: enough to keep storage and both cores busy, few enough to leave requests room.</summary>
    internal const int AtOnce = 16;

    private readonly CancellationTokenSource _stopping = new();
    private Task _waking = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(CountyWakeUp), ServiceLifecycleStage.Active, _ =>
        {
            _waking = Task.Run(() => WakeAsync(_stopping.Token));
            return Task.CompletedTask;
        }, async _ =>
        {
            await _stopping.CancelAsync();
            await _waking;
        });

    private async Task WakeAsync(CancellationToken stopping)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var provinces = await Task.WhenAll(Places.ProvinceCodes.Select(p => grains.GetGrain<IProvinceGrain>(p).GetCountiesAsync()));
            var counties = provinces.SelectMany(p => p).Select(p => p.Code).ToArray();
            var woken = 0;
            await Parallel.ForEachAsync(counties, new ParallelOptions { MaxDegreeOfParallelism = AtOnce, CancellationToken = stopping }, async (county, _) =>
            {
                try
                {
                    await grains.GetGrain<ICountyGrain>(county).GetSummaryAsync();
                    Interlocked.Increment(ref woken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // It wakes with its first request instead.
                    logger.LogWarning(e, "Beacon: county {County} did not wake at start-up", county);
                }
            });
            logger.LogInformation("Beacon: {Woken} of {Counties} counties woken at start-up in {Seconds:F1} s", woken, counties.Length, clock.Elapsed.TotalSeconds);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested) { }
        catch (Exception e)
        {
            logger.LogWarning(e, "Beacon: the counties were not woken at start-up; each wakes with its first request");
        }
    }
}
