using System.Diagnostics;

namespace Beacon.Gateway.Cluster;

/// <summary>
/// How the gateway's cluster client treats a silo that is not up yet. run.sh and a restart start the silo and the
/// gateway together, so the gateway usually comes up first: the silo may not have created the schema yet, nor listed
/// itself in the membership table, nor opened its port. Orleans' default gives up at once on the first two and
/// otherwise waits 1.5 s, then 3 s, and so on, which would cost a restart seconds after the silo is ready. Here the
/// client tries again every quarter second, for as long as run.sh waits for a silo, and then fails with the last error.
/// </summary>
internal sealed class SiloWait(ILogger<SiloWait> logger) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LogEvery = TimeSpan.FromSeconds(5);

    private readonly Stopwatch _waiting = Stopwatch.StartNew();
    private TimeSpan _loggedAt = -LogEvery;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested || _waiting.Elapsed > Limit) return false;
        if (_waiting.Elapsed - _loggedAt >= LogEvery)
        {
            _loggedAt = _waiting.Elapsed;
            logger.LogInformation("Beacon: waiting for a silo ({Waited:F0} s of {Limit:F0} s): {Reason}",
                _waiting.Elapsed.TotalSeconds, Limit.TotalSeconds, exception.Message);
        }
        await Task.Delay(Interval, cancellationToken);
        return true;
    }
}
