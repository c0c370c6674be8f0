using Beacon.Grains.Figures;
using Beacon.Grains.Live;

namespace Beacon.Grains;

/// <summary>
/// A county's ledger (the last contribution of every child) and the rows it is written behind in (<c>ledger-00</c>…):
/// a change rewrites the one row its child falls in, and the rows spare a restart from waking every child. Like
/// <see cref="ShardedState{TRow}"/>, only for grain code, which runs one turn at a time.
/// </summary>
internal sealed class LedgerRows
{
    // A county of 3,000 enterprises keeps about 190 contributions (18 KB) per row. More rows would make each write
    // smaller, but every row is one more read when the county wakes; with 64 rows, 100 such counties took 8 s to show
    // their figures after a restart.
    internal const int Count = 16;

    /// <summary>
    /// How often a running county writes one row. The rows only spare a restart from waking every child: a county
    /// writes them all when it deactivates, and one that stopped without doing so reconciles when it next wakes,
    /// whatever its rows say. Rows written while it runs only keep the figures it shows in the seconds before that
    /// reconcile close to the truth. So a busy county lets its rows lag (one every 5 s, oldest change first, each row
    /// rewritten within 80 s) rather than add a database write for every few changes: 100 busy counties add 20 writes
    /// a second, whatever their rate, where one row a second added 100 (4% of what PostgreSQL commits here).
    /// </summary>
    private static readonly TimeSpan RowInterval = TimeSpan.FromSeconds(5);

    private readonly ShardedState<CountyLedger> _rows;
    /// <summary>
    /// <see cref="Ledger"/>'s contributions again, by the row each is written to, so that writing a row copies its 190
    /// contributions instead of hashing all of the county's 3,000 ids to find them.
    /// </summary>
    private CountyLedger[] _byRow = [];
    private DateTimeOffset _rowWrittenAt;

    public LedgerRows(IGrainContext grain, IPersistentStateFactory states) =>
        _rows = new ShardedState<CountyLedger>(grain, states, "ledger", Count, i => _byRow[i].Copy());

    public CountyLedger Ledger { get; private set; } = new();

    public bool AnyUnwritten => _rows.AnyChanged;

    /// <summary>
    /// The rows as stored, once the grain's states are read: each was written with the contributions it holds. The rows
    /// read become the county's own (a write stores a copy, <see cref="ShardedState{TRow}"/>), so they are not copied.
    /// </summary>
    public void Load() => Use([.. Enumerable.Range(0, Count).Select(_rows.Stored)]);

    /// <summary>Keeps a newer contribution in the ledger and in its row, which is then written behind.</summary>
    public bool Keep(Contribution contribution, out Contribution? previous)
    {
        if (!Ledger.TryReplace(contribution, out previous)) return false;
        var row = _rows.RowOf(contribution.Id);
        _byRow[row].TryReplace(contribution, out _);
        _rows.Changed(row);
        return true;
    }

    /// <summary>Takes a rebuilt ledger whole; every row is written with the next write.</summary>
    public void Replace(CountyLedger fresh)
    {
        var rows = new CountyLedger[Count];
        for (var i = 0; i < Count; i++) rows[i] = new CountyLedger();
        foreach (var c in fresh.All) rows[_rows.RowOf(c.Id)].TryReplace(c, out _);
        Use(rows);
        _rows.ChangedAll();
    }

    /// <summary>Every changed row now (a rebuild, a deactivation).</summary>
    public Task WriteAllAsync() => _rows.WriteChangedAsync();

    /// <summary>At most one changed row per <see cref="RowInterval"/>, the one changed longest ago.</summary>
    public Task WriteBehindAsync(DateTimeOffset now)
    {
        if (!_rows.AnyChanged || now - _rowWrittenAt < RowInterval) return Task.CompletedTask;
        _rowWrittenAt = now;
        return _rows.WriteChangedAsync(1);
    }

    private void Use(CountyLedger[] rows)
    {
        _byRow = rows;
        Ledger = new CountyLedger();
        foreach (var row in rows)
            foreach (var c in row.All) Ledger.TryReplace(c, out _);
    }
}
