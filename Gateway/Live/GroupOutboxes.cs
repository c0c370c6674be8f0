using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace Beacon.Gateway.Live;

/// <summary>
/// Sends publications to the hub's groups, one send at a time per group, in the order they are posted; while a
/// group's send is under way only the newest publication waits for it (each is a whole snapshot, and a client that
/// sees a gap in seq asks for one itself). A group send lasts as long as its slowest connection takes to accept the
/// message (a province screen on a slow link falls behind 160 KB comparisons), and nothing else waits for it.
/// </summary>
public sealed class GroupOutboxes(IHubContext<LiveHub> hub, ILogger<GroupOutboxes> logger)
{
    private sealed class Outbox
    {
        public object? Pending;
        public bool Sending;
    }

    private readonly ConcurrentDictionary<string, Outbox> _outboxes = new(StringComparer.Ordinal);

    /// <summary>Returns at once; the send follows.</summary>
    public void Post(string group, object publication)
    {
        var outbox = _outboxes.GetOrAdd(group, _ => new Outbox());
        lock (outbox)
        {
            // A newer publication replaces one still waiting. Not compared by seq: a silo restarted on in-memory
            // storage counts from its first epoch again.
            outbox.Pending = publication;
            if (outbox.Sending) return;
            outbox.Sending = true;
        }
        _ = SendAsync(group, outbox);
    }

    private async Task SendAsync(string group, Outbox outbox)
    {
        while (true)
        {
            object publication;
            lock (outbox)
            {
                if (outbox.Pending is null)
                {
                    outbox.Sending = false;
                    return;
                }
                publication = outbox.Pending;
                outbox.Pending = null;
            }
            try
            {
                await hub.Clients.Group(group).SendAsync(LiveHub.SummaryMessage, publication);
                Beacon.Hosting.Telemetry.Publications.Add(1, new KeyValuePair<string, object?>("scope", group.Split(':')[0]));
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Sending a publication to {Group} failed; its clients get the next one", group);
            }
        }
    }
}
