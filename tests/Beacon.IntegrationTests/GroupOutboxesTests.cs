using System.Collections.Concurrent;
using Beacon.Gateway.Live;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beacon.IntegrationTests;

/// <summary>
/// The gateway's fan-out, against a hub whose groups can be held up the way a screen on a slow link holds up its
/// group's send. The rest of the live path runs for real in <see cref="LiveTests"/> and the browser tests.
/// </summary>
public sealed class GroupOutboxesTests
{
    private const string Province = "province:620000";
    private const string Qingshui = "county:620521";

    [Fact]
    public async Task A_group_that_is_slow_to_take_its_publications_holds_up_no_other_group_and_gets_the_newest_next()
    {
        var hub = new Hub();
        var outboxes = new GroupOutboxes(hub, NullLogger<GroupOutboxes>.Instance);
        var stalled = hub.Proxy(Province).Stall();

        outboxes.Post(Province, "comparison 1");
        outboxes.Post(Qingshui, "summary 1");
        outboxes.Post(Province, "comparison 2");
        outboxes.Post(Qingshui, "summary 2");
        outboxes.Post(Province, "comparison 3");
        outboxes.Post(Qingshui, "summary 3");

        // The county's screens get every summary, in order, while the province's send is still held up.
        await hub.Proxy(Qingshui).WaitForAsync(3);
        Assert.Equal(["summary 1", "summary 2", "summary 3"], hub.Proxy(Qingshui).Sent);
        Assert.Empty(hub.Proxy(Province).Sent);

        // Once the province's clients take the first comparison, they get the newest, not the one it replaced.
        stalled.SetResult();
        await hub.Proxy(Province).WaitForAsync(2);
        Assert.Equal(["comparison 1", "comparison 3"], hub.Proxy(Province).Sent);
    }

    [Fact]
    public async Task A_send_that_fails_does_not_stop_the_group_s_next_publications()
    {
        var hub = new Hub();
        var outboxes = new GroupOutboxes(hub, NullLogger<GroupOutboxes>.Instance);
        hub.Proxy(Qingshui).FailNext = true;

        outboxes.Post(Qingshui, "summary 1");
        outboxes.Post(Qingshui, "summary 2");

        await hub.Proxy(Qingshui).WaitForAsync(1);
        Assert.Equal(["summary 2"], hub.Proxy(Qingshui).Sent);
    }

    /// <summary>A hub context whose groups record what they are sent.</summary>
    private sealed class Hub : IHubContext<LiveHub>, IHubClients
    {
        private readonly ConcurrentDictionary<string, GroupProxy> _groups = new();

        public GroupProxy Proxy(string group) => _groups.GetOrAdd(group, _ => new GroupProxy());

        public IHubClients Clients => this;
        public IGroupManager Groups => throw new NotSupportedException();
        public IClientProxy Group(string groupName) => Proxy(groupName);
        public IClientProxy All => throw new NotSupportedException();
        public IClientProxy AllExcept(IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();
        public IClientProxy Client(string connectionId) => throw new NotSupportedException();
        IClientProxy IHubClients<IClientProxy>.Clients(IReadOnlyList<string> connectionIds) => throw new NotSupportedException();
        public IClientProxy GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();
        IClientProxy IHubClients<IClientProxy>.Groups(IReadOnlyList<string> groupNames) => throw new NotSupportedException();
        public IClientProxy User(string userId) => throw new NotSupportedException();
        public IClientProxy Users(IReadOnlyList<string> userIds) => throw new NotSupportedException();
    }

    private sealed class GroupProxy : IClientProxy
    {
        private readonly ConcurrentQueue<string> _sent = new();
        private TaskCompletionSource? _stall;

        public bool FailNext { get; set; }
        public string[] Sent => [.. _sent];

        /// <summary>Every send waits until the answer is set, as a send to a connection whose buffers are full.</summary>
        public TaskCompletionSource Stall() => _stall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task SendCoreAsync(string method, object?[] args, CancellationToken cancellationToken = default)
        {
            Assert.Equal(LiveHub.SummaryMessage, method);
            if (_stall is { } stall) await stall.Task;
            if (FailNext)
            {
                FailNext = false;
                throw new IOException("the connection went away");
            }
            _sent.Enqueue((string)args[0]!);
        }

        public async Task WaitForAsync(int count)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (_sent.Count < count && clock.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(10);
        }
    }
}
