namespace Beacon.Load;

/// <summary>Percentiles of a sample (nearest rank), in the sample's unit.</summary>
public sealed class Sample
{
    private readonly double[] _sorted;

    public Sample(IEnumerable<double> values)
    {
        _sorted = values.ToArray();
        Array.Sort(_sorted);
    }

    public int Count => _sorted.Length;

    public double? Percentile(double p)
    {
        if (_sorted.Length == 0) return null;
        var rank = (int)Math.Ceiling(p / 100.0 * _sorted.Length);
        return _sorted[Math.Clamp(rank - 1, 0, _sorted.Length - 1)];
    }

    public double? P50 => Percentile(50);
    public double? P95 => Percentile(95);
    public double? P99 => Percentile(99);
    public double? Mean => _sorted.Length == 0 ? null : _sorted.Average();
}
