namespace Beacon.Grains.Figures;

/// <summary>What a reconcile says about the figures: every figure of the catalogue before and after, and per station.</summary>
internal static class SummaryFigures
{
    /// <summary>
    /// Each catalogue figure by its key, each numerator and denominator by its path (<c>orgCovered</c>,
    /// <c>linkage.area</c>), and each station's area and linked enterprises, with its value.
    /// </summary>
    public static IEnumerable<(string Figure, double Value)> Flatten(CountySummary s)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in FigureCatalogue.Read(s))
        {
            if (seen.Add(f.Figure.Key)) yield return (f.Figure.Key, f.Value ?? 0);
            if (f.Figure.Numerator is { } n && seen.Add(n)) yield return (n, f.Numerator ?? 0);
            if (f.Figure.Denominator is { } d && seen.Add(d)) yield return (d, f.Denominator ?? 0);
        }
        foreach (var st in s.StationLinkage)
        {
            yield return ($"stationLinkage[{st.StationId}].areaEnterprises", st.AreaEnterprises);
            yield return ($"stationLinkage[{st.StationId}].linked", st.Linked);
        }
    }

    public static FigureDifference[] Compare(CountySummary before, CountySummary after)
    {
        var old = Flatten(before).ToDictionary(f => f.Figure, f => f.Value);
        var now = Flatten(after).ToDictionary(f => f.Figure, f => f.Value);
        return [.. old.Keys.Union(now.Keys).Select(k => new FigureDifference(k, old.GetValueOrDefault(k), now.GetValueOrDefault(k)))];
    }
}
