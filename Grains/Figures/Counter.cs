namespace Beacon.Grains.Figures;

/// <summary>Counts per key that can go up and down; a key at zero is dropped so the map stays as small as what it counts.</summary>
internal sealed class Counter<TKey> where TKey : notnull
{
    private readonly Dictionary<TKey, int> _counts = [];

    public int this[TKey key] => _counts.GetValueOrDefault(key);

    public int Keys => _counts.Count;

    public void Add(TKey key, int delta)
    {
        if (delta == 0) return;
        var next = _counts.GetValueOrDefault(key) + delta;
        if (next == 0) _counts.Remove(key);
        else _counts[key] = next;
    }
}
