using System.IO.Hashing;
using System.Text;

namespace Beacon.Grains.Live;

/// <summary>
/// One logical piece of a grain's state stored as a fixed number of rows ("name-00" …), so that a change rewrites only
/// the rows it touched: a county of thousands of enterprises changes a few of them a second, and writing its whole
/// ledger for each (a megabyte at 3,000 enterprises) is what limited Beacon on PostgreSQL. The rows are read together
/// when the grain activates (Orleans reads every persistent state of a grain at set-up).
/// Like <see cref="GroupCommit"/>, only for grain code, which runs one turn at a time.
/// </summary>
internal sealed class ShardedState<TRow> where TRow : class, new()
{
    private readonly IPersistentState<TRow>[] _rows;
    private readonly GroupCommit[] _writes;
    private readonly HashSet<int> _changed = [];
    /// <summary>Changed rows, oldest change first (a row written directly stays queued and is skipped).</summary>
    private readonly Queue<int> _queue = new();

    /// <param name="snapshot">A copy of row <c>i</c> as it is now, untouched by later changes while it is written.</param>
    public ShardedState(IGrainContext grain, IPersistentStateFactory states, string name, int count, Func<int, TRow> snapshot)
    {
        _rows = new IPersistentState<TRow>[count];
        _writes = new GroupCommit[count];
        for (var i = 0; i < count; i++)
        {
            var row = i;
            _rows[row] = states.Create<TRow>(grain, new PersistentStateAttribute($"{name}-{row:D2}", BeaconStorage.Name));
            // The copy is taken when the write starts, so a write that waited for the previous one carries every change since.
            _writes[row] = new GroupCommit(() =>
            {
                _rows[row].State = snapshot(row);
                return _rows[row].WriteStateAsync();
            });
        }
    }

    /// <summary>Row <paramref name="i"/> as read when the grain activated.</summary>
    public TRow Stored(int i) => _rows[i].State;

    /// <summary>The row a key lives in: stable across processes and versions, unlike <see cref="string.GetHashCode()"/>.</summary>
    public int RowOf(string key)
    {
        var most = Encoding.UTF8.GetMaxByteCount(key.Length);
        Span<byte> bytes = most <= 512 ? stackalloc byte[most] : new byte[most];
        var length = Encoding.UTF8.GetBytes(key, bytes);
        return (int)(XxHash32.HashToUInt32(bytes[..length]) % (uint)_rows.Length);
    }

    /// <summary>Row <paramref name="i"/> changed; <see cref="WriteChangedAsync"/> writes it.</summary>
    public void Changed(int i)
    {
        if (_changed.Add(i)) _queue.Enqueue(i);
    }

    public bool AnyChanged => _changed.Count > 0;

    /// <summary>Writes row <paramref name="i"/> now (a change that must be durable before it is acknowledged).</summary>
    public Task WriteAsync(int i)
    {
        _changed.Remove(i);
        return _writes[i].WriteAsync();
    }

    /// <summary>Writes the changed rows, at most <paramref name="most"/> of them, those changed longest ago first.</summary>
    public async Task WriteChangedAsync(int most = int.MaxValue)
    {
        var rows = new HashSet<int>();
        while (rows.Count < most && _queue.TryDequeue(out var i))
            if (_changed.Remove(i)) rows.Add(i);
        if (rows.Count == 0) return;
        try
        {
            await Task.WhenAll(rows.Select(i => _writes[i].WriteAsync()));
        }
        catch
        {
            // Tried again with the next write-behind.
            foreach (var i in rows) Changed(i);
            throw;
        }
    }

    /// <summary>Every row changed (after a rebuild).</summary>
    public void ChangedAll()
    {
        for (var i = 0; i < _rows.Length; i++) Changed(i);
    }
}
