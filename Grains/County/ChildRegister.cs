using Beacon.Grains.Live;

namespace Beacon.Grains;

/// <summary>One row of a county's register of children (<see cref="ChildRegister"/>): the ids whose key falls in it, by kind.</summary>
[GenerateSerializer]
public sealed class ChildIds
{
    [Id(0)] public Dictionary<EntityKind, HashSet<string>> Ids { get; set; } = [];

    public ChildIds Copy() => new() { Ids = Ids.ToDictionary(k => k.Key, k => new HashSet<string>(k.Value)) };

    public HashSet<string> Of(EntityKind kind)
    {
        if (!Ids.TryGetValue(kind, out var ids)) Ids[kind] = ids = [];
        return ids;
    }
}

/// <summary>A child that joined or left the register.</summary>
[GenerateSerializer, Immutable]
public sealed record RegisterEntry([property: Id(0)] EntityKind Kind, [property: Id(1)] string Id, [property: Id(2)] bool Removed);

/// <summary>
/// The register's newest entries, oldest first: what its rows (<see cref="ChildIds"/>) do not carry yet. A new child is
/// durable here before it is acknowledged, in one small row that every child created meanwhile shares; the rows take
/// the entries later, a few dozen at a time. Entries are replayed over the rows in order, so replaying one the rows
/// already carry changes nothing.
/// </summary>
[GenerateSerializer]
public sealed class RegisterJournal
{
    [Id(0)] public List<RegisterEntry> Entries { get; set; } = [];
}

/// <summary>
/// A county's durable register of its children, by kind: rows of ids (<c>children-00</c>…) and the journal of the
/// newest entries (<c>children-journal</c>) that the rows do not carry yet. The register is what reconcile asks; the
/// ledger, written behind, may lag it. Like <see cref="ShardedState{TRow}"/>, only for grain code, which runs one turn
/// at a time.
/// </summary>
internal sealed class ChildRegister
{
    /// <summary>
    /// Entries the journal holds before they are folded into the rows. Each new child then costs a share of one write
    /// of a row of at most this many entries (about 2 KB) before its acknowledgement, where it cost a share of a register
    /// row (10 KB at 3,000 enterprises, compressed by PostgreSQL on every write); the rows are written once per this
    /// many new children, behind.
    /// </summary>
    internal const int FoldAt = 64;

    private readonly ShardedState<ChildIds> _rows;
    private readonly IPersistentState<RegisterJournal> _journalRow;
    private readonly GroupCommit _journalWrites;
    private readonly ILogger _logger;
    private readonly GrainId _grain;
    private readonly int _rowCount;
    private ChildIds[] _ids = [];
    /// <summary>The journal's entries; <see cref="_journalStart"/> numbers the first, so that folds that overlap drop each entry once.</summary>
    private readonly List<RegisterEntry> _journal = [];
    private long _journalStart;
    private bool _folding;

    public ChildRegister(IGrainContext grain, IPersistentStateFactory states, int rows, ILogger logger)
    {
        _rows = new ShardedState<ChildIds>(grain, states, "children", rows, i => _ids[i].Copy());
        _journalRow = states.Create<RegisterJournal>(grain, new PersistentStateAttribute("children-journal", BeaconStorage.Name));
        _journalWrites = new GroupCommit(() => { _journalRow.State = new RegisterJournal { Entries = [.. _journal] }; return _journalRow.WriteStateAsync(); });
        _logger = logger;
        _grain = grain.GrainId;
        _rowCount = rows;
    }

    /// <summary>The register as stored, once the grain's states are read: the rows, with the journal replayed over them.</summary>
    public void Load()
    {
        _ids = Enumerable.Range(0, _rowCount).Select(_rows.Stored).ToArray();
        foreach (var entry in _journalRow.State.Entries)
            if (Apply(entry.Kind, entry.Id, entry.Removed)) _journal.Add(entry);
    }

    public bool Contains(EntityKind kind, string id) => _ids[_rows.RowOf(id)].Ids.TryGetValue(kind, out var ids) && ids.Contains(id);

    public IEnumerable<string> Ids(EntityKind kind) => _ids.SelectMany(row => row.Ids.TryGetValue(kind, out var ids) ? ids : []);

    public IEnumerable<(EntityKind Kind, string Id)> All => _ids.SelectMany(row => row.Ids.SelectMany(k => k.Value.Select(id => (k.Key, id))));

    /// <summary>
    /// Adds or removes a child; durable when the task completes (children recorded together share the write). A child
    /// the register already says so of costs nothing.
    /// </summary>
    public Task RecordAsync(EntityKind kind, string id, bool removed)
    {
        if (!Apply(kind, id, removed)) return Task.CompletedTask;
        _journal.Add(new RegisterEntry(kind, id, removed));
        if (_journal.Count >= FoldAt && !_folding) _ = FoldInBackgroundAsync();
        return _journalWrites.WriteAsync();
    }

    /// <summary>Replaces the whole register (a reconcile) and writes it.</summary>
    public async Task ReplaceAsync(IEnumerable<(EntityKind Kind, string Id)> children)
    {
        foreach (var row in _ids) row.Ids.Clear();
        foreach (var (kind, id) in children) _ids[_rows.RowOf(id)].Of(kind).Add(id);
        // The rebuilt rows supersede every entry made so far.
        var journalled = _journalStart + _journal.Count;
        _rows.ChangedAll();
        await _rows.WriteChangedAsync();
        await TrimAsync(journalled);
    }

    /// <summary>
    /// Writes the rows the journal's entries changed, then drops those entries from the journal. The rows are written
    /// through their group commits, so a row already being written is written again after: it may not carry the entries.
    /// </summary>
    public async Task FoldAsync()
    {
        if (_journal.Count == 0) return;
        var upTo = _journalStart + _journal.Count;
        var rows = _journal.Select(e => _rows.RowOf(e.Id)).Distinct().ToArray();
        await Task.WhenAll(rows.Select(_rows.WriteAsync));
        await TrimAsync(upTo);
    }

    /// <summary>Adds or removes the child in the rows held in memory; false if the register already said so.</summary>
    private bool Apply(EntityKind kind, string id, bool removed)
    {
        var ids = _ids[_rows.RowOf(id)].Of(kind);
        return removed ? ids.Remove(id) : ids.Add(id);
    }

    /// <summary>Drops the entries numbered below <paramref name="upTo"/>, which written rows now carry.</summary>
    private Task TrimAsync(long upTo)
    {
        var drop = (int)Math.Min(upTo - _journalStart, _journal.Count);
        if (drop <= 0) return Task.CompletedTask;
        _journal.RemoveRange(0, drop);
        _journalStart += drop;
        return _journalWrites.WriteAsync();
    }

    /// <summary>A full journal is folded while children go on joining; a failed fold leaves the entries for the next.</summary>
    private async Task FoldInBackgroundAsync()
    {
        _folding = true;
        try
        {
            await FoldAsync();
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "{Grain} could not fold its register journal ({Entries} entries); it tries again later", _grain, _journal.Count);
        }
        finally
        {
            _folding = false;
        }
    }
}
