namespace Beacon.Gateway.Cluster;

/// <summary>
/// A write that failed on its way (a silo died, a call timed out) may still have been stored by its entity without the
/// report reaching the county. The gateway is the one that saw it fail, so it tells the county to ask the entity, and
/// keeps trying while the cluster recovers.
/// </summary>
public sealed class Rechecks(IGrainFactory grains, ILogger<Rechecks> logger)
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(2);

    /// <summary>Runs <paramref name="write"/>; if it throws, the county hears of the entity before the exception goes on.</summary>
    public async Task<T> GuardAsync<T>(string county, EntityKind kind, string id, Func<Task<T>> write)
    {
        try
        {
            return await write();
        }
        catch
        {
            if (Places.IsCountyCode(county)) _ = RecheckAsync(county, kind, id);
            throw;
        }
    }

    private async Task RecheckAsync(string county, EntityKind kind, string id)
    {
        var started = DateTime.UtcNow;
        while (true)
        {
            try
            {
                await grains.GetGrain<ICountyGrain>(county).RecheckAsync(kind, id);
                return;
            }
            catch (Exception e) when (DateTime.UtcNow - started < GiveUpAfter)
            {
                logger.LogDebug(e, "Telling county {County} to recheck {Kind} {Id} failed; trying again", county, kind, id);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "County {County} could not be told to recheck {Kind} {Id}; a reconcile will find it", county, kind, id);
                return;
            }
            await Task.Delay(Pause);
        }
    }
}
