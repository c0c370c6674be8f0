using Beacon.Gateway.Security;
using Microsoft.AspNetCore.SignalR;

namespace Beacon.Gateway.Live;

/// <summary>
/// <c>/hubs/live</c>: a client subscribes to a scope it may watch, gets the current <c>summary</c> at once, then every
/// publication. Groups are named after scopes: <c>county:620521</c>, <c>province:620000</c>.
/// </summary>
public sealed class LiveHub(LiveFeed feed) : Hub
{
    public const string Path = "/hubs/live";
    public const string SummaryMessage = "summary";

    public async Task Subscribe(string scope)
    {
        var watched = Scope.Parse(scope) ?? throw new HubException($"scope '{scope}' is not county:NNNNNN or province:NN0000");
        var actor = Context.User!.Actor();
        if (!actor.MayWatch(watched)) throw new HubException($"forbidden: {actor} may not watch {watched}");
        await Groups.AddToGroupAsync(Context.ConnectionId, watched.ToString());
        var snapshot = await feed.WatchAsync(watched, Context.ConnectionId);
        if (snapshot is null)
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, watched.ToString());
            feed.Unwatch(watched, Context.ConnectionId);
            throw new HubException($"{watched} does not exist");
        }
        await Clients.Caller.SendAsync(SummaryMessage, snapshot);
    }

    public async Task Unsubscribe(string scope)
    {
        if (Scope.Parse(scope) is not { } watched) return;
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, watched.ToString());
        feed.Unwatch(watched, Context.ConnectionId);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        feed.UnwatchAll(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}
