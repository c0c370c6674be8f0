using Beacon.Gateway.Security;

namespace Beacon.Gateway.Live;

/// <summary>
/// This gateway's one observer of the cluster. It subscribes to a county grain, a province grain, or a prefecture of a
/// province grain only while some connected client watches that scope, renews the subscriptions before they lapse (and so re-activates a grain that went away),
/// and forwards each publication to the scope's SignalR group.
/// </summary>
public sealed class LiveFeed(IClusterClient cluster, GroupOutboxes outboxes, ILogger<LiveFeed> logger)
    : BackgroundService, ISummaryObserver
{
    /// <summary>Well inside the grains' observer expiry (LiveOptions.ObserverExpiry, 2 minutes).</summary>
    private static readonly TimeSpan Renewal = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly Dictionary<Scope, HashSet<string>> _watchers = [];

    private ISummaryObserver? _reference;

    /// <summary>
    /// This gateway's one reference, made by the first subscription, under the lock: screens that reconnect together
    /// after a restart each made one of their own, every grain then sent each publication to all of them, and screens
    /// saw it several times until the extra ones lapsed.
    /// </summary>
    private ISummaryObserver Reference
    {
        get
        {
            if (Volatile.Read(ref _reference) is { } made) return made;
            lock (_gate) return _reference ??= cluster.CreateObjectReference<ISummaryObserver>(this);
        }
    }

    /// <summary>Registers the connection and answers the scope's current snapshot, or null when the scope does not exist.</summary>
    public async Task<object?> WatchAsync(Scope scope, string connectionId)
    {
        lock (_gate)
        {
            if (!_watchers.TryGetValue(scope, out var connections)) _watchers[scope] = connections = [];
            connections.Add(connectionId);
        }
        if (scope.Kind == Scope.County)
        {
            var county = cluster.GetGrain<ICountyGrain>(scope.Code);
            if (await county.GetProfileAsync() is null) return null;
            // Subscribe on every watch, not only the first: cheap, and it repairs a subscription lost with a silo.
            await county.SubscribeAsync(Reference);
            return await county.GetSummaryAsync();
        }
        var province = cluster.GetGrain<IProvinceGrain>(Places.ProvinceOf(scope.Code));
        if (scope.Kind == Scope.Prefecture)
        {
            await province.SubscribePrefectureAsync(scope.Code, Reference);
            return await province.GetPrefectureComparisonAsync(scope.Code);
        }
        await province.SubscribeAsync(Reference);
        return await province.GetComparisonAsync();
    }

    public void Unwatch(Scope scope, string connectionId)
    {
        bool last;
        lock (_gate)
        {
            if (!_watchers.TryGetValue(scope, out var connections) || !connections.Remove(connectionId)) return;
            last = connections.Count == 0;
            if (last) _watchers.Remove(scope);
        }
        if (last) _ = UnsubscribeAsync(scope);
    }

    public void UnwatchAll(string connectionId)
    {
        Scope[] scopes;
        lock (_gate) scopes = _watchers.Where(w => w.Value.Contains(connectionId)).Select(w => w.Key).ToArray();
        foreach (var scope in scopes) Unwatch(scope, connectionId);
    }

    // Orleans hands this observer one publication at a time and waits for each, so it only posts them (see
    // GroupOutboxes): a scope whose clients are slow to take its publications holds up no other scope.
    public Task OnCountySummary(CountySummary summary)
    {
        outboxes.Post($"{Scope.County}:{summary.County}", summary);
        return Task.CompletedTask;
    }

    public Task OnProvinceComparison(ProvinceComparison comparison)
    {
        outboxes.Post($"{Scope.Province}:{comparison.Province}", comparison);
        return Task.CompletedTask;
    }

    public Task OnPrefectureComparison(PrefectureComparison comparison)
    {
        outboxes.Post($"{Scope.Prefecture}:{comparison.Prefecture}", comparison);
        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Renewal);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            Scope[] scopes;
            lock (_gate) scopes = [.. _watchers.Keys];
            foreach (var scope in scopes)
            {
                try { await SubscribeAsync(scope); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Renewing the live subscription to {Scope} failed; retrying in {Seconds} s", scope, Renewal.TotalSeconds);
                }
            }
        }
    }

    private Task SubscribeAsync(Scope scope) => scope.Kind switch
    {
        Scope.County => cluster.GetGrain<ICountyGrain>(scope.Code).SubscribeAsync(Reference),
        Scope.Prefecture => cluster.GetGrain<IProvinceGrain>(Places.ProvinceOf(scope.Code)).SubscribePrefectureAsync(scope.Code, Reference),
        _ => cluster.GetGrain<IProvinceGrain>(scope.Code).SubscribeAsync(Reference),
    };

    private async Task UnsubscribeAsync(Scope scope)
    {
        try
        {
            await (scope.Kind switch
            {
                Scope.County => cluster.GetGrain<ICountyGrain>(scope.Code).UnsubscribeAsync(Reference),
                Scope.Prefecture => cluster.GetGrain<IProvinceGrain>(Places.ProvinceOf(scope.Code)).UnsubscribePrefectureAsync(scope.Code, Reference),
                _ => cluster.GetGrain<IProvinceGrain>(scope.Code).UnsubscribeAsync(Reference),
            });
        }
        catch (Exception e)
        {
            // The grain forgets an observer that is not renewed; nothing is lost.
            logger.LogDebug(e, "Unsubscribing from {Scope} failed", scope);
        }
    }
}
