namespace Beacon.Gateway.Apis;

/// <summary>The catalogue of figures, as the pages read it: which figures there are, their labels, and where each stands in a summary.</summary>
public static class FigureApi
{
    public static RouteGroupBuilder MapFigureApi(this RouteGroupBuilder api)
    {
        var catalogue = FigureCatalogue.All.Select(f => new
        {
            key = f.Key,
            label = new { zh = f.Label.Zh, en = f.Label.En },
            value = f.Value,
            format = f.Format,
            better = f.Better,
            numerator = f.Numerator,
            numeratorLabel = f.NumeratorLabel is { } n ? new { zh = n.Zh, en = n.En } : null,
            denominator = f.Denominator,
            denominatorLabel = f.DenominatorLabel is { } d ? new { zh = d.Zh, en = d.En } : null,
            target = f.Target,
        }).ToArray();
        api.MapGet("/figures", () => TypedResults.Ok(catalogue)).WithTags("Figures")
            .WithSummary("Every figure Beacon computes: key, label, the paths of its value, numerator, denominator and target in a county summary, its format and which way is better.")
            .ProducesReadErrors();
        return api;
    }
}
