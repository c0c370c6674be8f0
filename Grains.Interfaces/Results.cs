namespace Beacon;

public enum ChangeOutcome { Created, Updated, Deleted, NotFound, Invalid }

/// <summary>
/// The answer to a change. <see cref="Errors"/> maps a field, named as in the public JSON
/// (e.g. <c>organisation.mode</c>), to why it was refused; when it is set, nothing was changed.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ChangeResult(
    [property: Id(0)] ChangeOutcome Outcome,
    [property: Id(1)] long Version,
    [property: Id(2)] IReadOnlyDictionary<string, string[]>? Errors = null)
{
    public bool Succeeded => Outcome is ChangeOutcome.Created or ChangeOutcome.Updated or ChangeOutcome.Deleted;

    public static ChangeResult Invalid(IReadOnlyDictionary<string, string[]> errors) => new(ChangeOutcome.Invalid, 0, errors);

    public static ChangeResult Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static readonly ChangeResult NotFound = new(ChangeOutcome.NotFound, 0);
}

/// <summary>One figure whose stored value differed from the value rebuilt from the children.</summary>
[GenerateSerializer, Immutable]
public sealed record FigureDifference(
    [property: Id(0)] string Figure,
    [property: Id(1)] double Before,
    [property: Id(2)] double After);

/// <summary>What a reconcile found: the figures that differed and the children whose last report was stale or missing.</summary>
[GenerateSerializer, Immutable]
public sealed record ReconcileReport(
    [property: Id(0)] string County,
    [property: Id(1)] int ChildrenAsked,
    [property: Id(2)] string[] ChildrenCorrected,
    [property: Id(3)] FigureDifference[] Differences)
{
    public bool Consistent => Differences.Length == 0 && ChildrenCorrected.Length == 0;
}
