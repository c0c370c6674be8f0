using Beacon.Gateway.Security;
using Microsoft.AspNetCore.SignalR;

namespace Beacon.Gateway.Live;

/// <summary>
/// This gateway's one observer of the cluster. It subscribes to a county or province grain only while some connected
/// client watches that scope, renews the subscriptions before they lapse (and so re-activates a grain that went away),
/// and forwards each publication to the scope's SignalR group.
/// </summary>
public sealed class LiveFeed(IClusterClient cluster, IHubContext<LiveHub> hub, ILogger<LiveFeed> logger)
    : BackgroundService, ISummaryObserver
{
    /// <summary>Well inside the grains' observer expiry (LiveOptions.ObserverExpiry, 2 minutes).</summary>
    private static readonly TimeSpan Renewal = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly Dictionary<Scope, HashSet<string>> _watchers = [];
    private ISummaryObserver? _reference;

    private ISummaryObserver Reference => _reference ??= cluster.CreateObjectReference<ISummaryObserver>(this);

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
        var province = cluster.GetGrain<IProvinceGrain>(scope.Code);
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

    public Task OnCountySummary(CountySummary summary) =>
        hub.Clients.Group($"{Scope.County}:{summary.County}").SendAsync(LiveHub.SummaryMessage, summary);

    public Task OnProvinceComparison(ProvinceComparison comparison) =>
        hub.Clients.Group($"{Scope.Province}:{comparison.Province}").SendAsync(LiveHub.SummaryMessage, comparison);

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

    private Task SubscribeAsync(Scope scope) => scope.Kind == Scope.County
        ? cluster.GetGrain<ICountyGrain>(scope.Code).SubscribeAsync(Reference)
        : cluster.GetGrain<IProvinceGrain>(scope.Code).SubscribeAsync(Reference);

    private async Task UnsubscribeAsync(Scope scope)
    {
        try
        {
            await (scope.Kind == Scope.County
                ? cluster.GetGrain<ICountyGrain>(scope.Code).UnsubscribeAsync(Reference)
                : cluster.GetGrain<IProvinceGrain>(scope.Code).UnsubscribeAsync(Reference));
        }
        catch (Exception e)
        {
            // The grain forgets an observer that is not renewed; nothing is lost.
            logger.LogDebug(e, "Unsubscribing from {Scope} failed", scope);
        }
    }
}
