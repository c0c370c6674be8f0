using Orleans.Utilities;

namespace Beacon.Grains.Live;

/// <summary>
/// Coalesces a grain's changes into publications at most every <see cref="LiveOptions.PublishInterval"/>, and
/// writes its derived state behind at most every <see cref="LiveOptions.WriteBehind"/>. Shared by the county and the
/// province, which differ only in what they publish and store.
/// Both timers interleave: a publication waits on the province and a write on storage, and neither may hold the
/// grain's turn meanwhile (a county's reads would queue behind a second-long ledger write). So publish and write-behind
/// must only read state synchronously before their first await, and writes must be of snapshots.
/// </summary>
internal sealed class Publisher(Grain grain, LiveOptions options, TimeProvider time, ILogger logger,
    Func<Task> publish, Func<Task> writeBehind)
{
    private IGrainTimer? _publishTimer;
    private IGrainTimer? _writeTimer;
    private DateTimeOffset _lastPublished = DateTimeOffset.MinValue;

    public ObserverManager<ISummaryObserver> Observers { get; } = new(options.ObserverExpiry, logger);

    /// <summary>Subscribing again renews the subscription: gateways do so well inside <see cref="LiveOptions.ObserverExpiry"/>.</summary>
    public Task SubscribeAsync(ISummaryObserver observer)
    {
        Observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public Task UnsubscribeAsync(ISummaryObserver observer)
    {
        Observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    /// <summary>True between a change and the publication that carries it.</summary>
    public bool Pending { get; private set; }

    public void Changed()
    {
        Pending = true;
        if (_publishTimer is not null) return;
        var due = _lastPublished + options.PublishInterval - time.GetUtcNow();
        _publishTimer = grain.RegisterGrainTimer(PublishNowAsync, new GrainTimerCreationOptions
        {
            DueTime = due > TimeSpan.Zero ? due : TimeSpan.Zero,
            Period = Timeout.InfiniteTimeSpan,
            Interleave = true,
        });
    }

    /// <summary>Publishes at once (a read wants current figures); the next coalesced publication counts from here.</summary>
    public async Task PublishNowAsync(CancellationToken cancellationToken = default)
    {
        _publishTimer?.Dispose();
        _publishTimer = null;
        Pending = false;
        _lastPublished = time.GetUtcNow();
        await publish();
        WriteLater();
    }

    /// <summary>Another write-behind, for what the last one left (it writes a bounded amount).</summary>
    public void WriteLater() => _writeTimer ??= grain.RegisterGrainTimer(WriteNowAsync, new GrainTimerCreationOptions
    {
        DueTime = options.WriteBehind,
        Period = Timeout.InfiniteTimeSpan,
        Interleave = true,
    });

    public async Task WriteNowAsync(CancellationToken cancellationToken = default)
    {
        _writeTimer?.Dispose();
        _writeTimer = null;
        await writeBehind();
    }

    /// <summary>
    /// A deactivation for this reason keeps nothing: the silo is shutting down and its storage ends with the process
    /// (in memory, see <see cref="LiveOptions.WriteOnShutdown"/>).
    /// </summary>
    public bool KeepsNothingAt(DeactivationReason reason) =>
        reason.ReasonCode == DeactivationReasonCode.ShuttingDown && !options.WriteOnShutdown;

    /// <summary>On deactivation: what was not yet published or written goes out now.</summary>
    public async Task FlushAsync()
    {
        try
        {
            if (Pending) await PublishNowAsync();
        }
        finally
        {
            // Always, and even when the publication failed (the province may be gone at shutdown): a publication that
            // threw leaves no write scheduled, and one write per deactivation costs nothing worth saving.
            await WriteNowAsync();
        }
    }
}
