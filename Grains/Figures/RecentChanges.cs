namespace Beacon.Grains.Figures;

/// <summary>A page of a county's recent changes, oldest first; <see cref="Number"/> orders the pages.</summary>
[GenerateSerializer]
public sealed class RecentPage
{
    [Id(0)] public long Number { get; set; }
    [Id(1)] public List<ChangeNote> Notes { get; set; } = [];

    public RecentPage Copy() => new() { Number = Number, Notes = [.. Notes] };
}

/// <summary>
/// The county's latest changes, as a ring of pages: a change rewrites only the page it lands on, and the oldest page
/// is reused when the ring is full. Each entity's own history is the full record; this is the county's feed.
/// </summary>
internal sealed class RecentChanges
{
    public const int Limit = 500;
    public const int PageSize = 50;
    /// <summary>One page more than the limit needs: the newest page is only partly filled when it replaces the oldest.</summary>
    public const int Pages = Limit / PageSize + 1;

    private readonly RecentPage[] _pages;
    private int _current;

    public RecentChanges(Func<int, RecentPage> stored)
    {
        _pages = Enumerable.Range(0, Pages).Select(stored).ToArray();
        for (var i = 0; i < Pages; i++)
            if (_pages[i].Number > _pages[_current].Number) _current = i;
    }

    public RecentPage Page(int i) => _pages[i];

    /// <summary>The page the next change goes to (unless it is full).</summary>
    public int Current => _current;

    /// <summary>Adds the note; answers the page it landed on, which must be written.</summary>
    public int Note(ChangeNote note)
    {
        var page = _pages[_current];
        if (page.Notes.Count >= PageSize)
        {
            _current = (_current + 1) % Pages;
            page = _pages[_current] = new RecentPage { Number = page.Number + 1 };
        }
        page.Notes.Add(note);
        return _current;
    }

    /// <summary>Newest first.</summary>
    public ChangeNote[] Latest(int limit) => _pages
        .Where(p => p.Notes.Count > 0)
        .OrderByDescending(p => p.Number)
        .SelectMany(p => p.Notes.AsEnumerable().Reverse())
        .Take(Math.Clamp(limit, 1, Limit))
        .ToArray();
}
