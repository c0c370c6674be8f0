namespace Beacon.Grains.Live;

/// <summary>
/// Serialises the writes of one piece of grain state and lets callers that arrive while a write is in flight share
/// the next one: every caller's change is durable when its task completes, and a burst of N changes costs about two
/// writes rather than N. Only for interleaving grain code, which runs one turn at a time, so no locks are needed.
/// </summary>
internal sealed class GroupCommit(Func<Task> write)
{
    private Task? _current;
    private Task? _next;

    public Task WriteAsync()
    {
        if (_current is null) return RunAsync();
        // The next write starts after the current one and covers every change made until it starts.
        return _next ??= AfterAsync(_current);
    }

    private async Task AfterAsync(Task previous)
    {
        try { await previous; }
        catch { /* that write's own callers saw its failure; this one tries afresh */ }
        _next = null;
        await RunAsync();
    }

    private async Task RunAsync()
    {
        var mine = write();
        _current = mine;
        try { await mine; }
        finally { if (_current == mine) _current = null; }
    }
}
