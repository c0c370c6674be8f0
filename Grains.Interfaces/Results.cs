namespace Beacon;

/// <summary>How a change ended. <see cref="Unchanged"/>: the entry already was so, and nothing was written (an import's row).</summary>
public enum ChangeOutcome { Created, Updated, Deleted, NotFound, Invalid, Forbidden, Unchanged }

/// <summary>
/// The answer to a change. <see cref="Errors"/> maps a field, named as in the public JSON
/// (e.g. <c>organisation.mode</c>), to why it was refused; when it is set, nothing was changed.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ChangeResult(
    [property: Id(0)] ChangeOutcome Outcome,
    [property: Id(1)] long Version,
    [property: Id(2)] IReadOnlyDictionary<string, Said[]>? Errors = null)
{
    public bool Succeeded => Outcome is ChangeOutcome.Created or ChangeOutcome.Updated or ChangeOutcome.Deleted;

    public static ChangeResult Invalid(IReadOnlyDictionary<string, Said[]> errors) => new(ChangeOutcome.Invalid, 0, errors);

    public static ChangeResult Invalid(string field, Said why) => Invalid(new Dictionary<string, Said[]> { [field] = [why] });

    public static ChangeResult Invalid(string field, string zh, string en) => Invalid(field, new Said(zh, en));

    public static readonly ChangeResult NotFound = new(ChangeOutcome.NotFound, 0);

    /// <summary>The actor may not make this change; <paramref name="why"/> says so under the field "actor".</summary>
    public static ChangeResult Forbidden(Said why) =>
        new(ChangeOutcome.Forbidden, 0, new Dictionary<string, Said[]> { ["actor"] = [why] });
}

/// <summary>One figure whose stored value differed from the value rebuilt from the children.</summary>
[GenerateSerializer, Immutable]
public sealed record FigureDifference(
    [property: Id(0)] string Figure,
    [property: Id(1)] double Before,
    [property: Id(2)] double After);

/// <summary>
/// What a reconcile found: every figure of the catalogue before and after, the ones that differed, and the children
/// whose last report was stale or missing.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ReconcileReport(
    [property: Id(0)] string County,
    [property: Id(1)] int ChildrenAsked,
    [property: Id(2)] string[] ChildrenCorrected,
    [property: Id(3)] FigureDifference[] Differences,
    [property: Id(4)] FigureDifference[] Figures)
{
    public bool Consistent => Differences.Length == 0 && ChildrenCorrected.Length == 0;
}

/// <summary>One change to a register entity, as its history keeps it: who, when, and the entity before and after.</summary>
[GenerateSerializer, Immutable]
public sealed record RegisterChange<TProfile>(
    [property: Id(0)] long Version,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string By,
    [property: Id(3)] string Action,
    [property: Id(4)] TProfile? Before,
    [property: Id(5)] TProfile? After) where TProfile : class;

/// <summary>A line of a county's recent changes: which entity, which version, who and when.</summary>
[GenerateSerializer, Immutable]
public sealed record ChangeNote(
    [property: Id(0)] EntityKind Kind,
    [property: Id(1)] string Id,
    [property: Id(2)] long Version,
    [property: Id(3)] string Action,
    [property: Id(4)] string By,
    [property: Id(5)] DateTimeOffset At);

public enum SortOrder { Name, Id, NameDescending, IdDescending }

/// <summary>
/// A page of one register, filtered by its <see cref="Register.Filters"/> (parameter to value, as the JSON writes it),
/// searched by <see cref="Text"/> in names and ids, sorted and paged; answered by the county from its children's last
/// reports without waking them.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RegisterQuery(
    [property: Id(0)] EntityKind Kind,
    [property: Id(1)] Dictionary<string, string> Filters,
    [property: Id(2)] string? Text = null,
    [property: Id(3)] SortOrder Sort = SortOrder.Name,
    [property: Id(4)] int Offset = 0,
    [property: Id(5)] int Limit = 50);

[GenerateSerializer, Immutable]
public sealed record RegisterPage(
    [property: Id(0)] int Total,
    [property: Id(1)] int Offset,
    [property: Id(2)] string[] Ids);

/// <summary>An issue raised through its county: its id (null when refused before it was numbered) and the outcome.</summary>
[GenerateSerializer, Immutable]
public sealed record RaisedIssue([property: Id(0)] string? Id, [property: Id(1)] ChangeResult Result);

/// <summary>Where an enterprise of the register stands, as far as an issue needs to know.</summary>
[GenerateSerializer, Immutable]
public sealed record EnterpriseLink([property: Id(0)] string CreditCode, [property: Id(1)] string? StationId);

/// <summary>What an issue being raised is told by its county, which has checked the raise: the enterprise and the deadline.</summary>
[GenerateSerializer, Immutable]
public sealed record IssueRaise(
    [property: Id(0)] string CreditCode,
    [property: Id(1)] IssueCategory Category,
    [property: Id(2)] string Text,
    [property: Id(3)] string? StationId,
    [property: Id(4)] DateTimeOffset At,
    [property: Id(5)] int OverdueDays);
