namespace Beacon;

public enum IssueCategory { Financing, Labour, Policy, LandAndPremises, PartyOrganisation, Other }

public enum IssueState { Open, Escalated, Resolved }

[GenerateSerializer, Immutable]
public sealed record IssueStep(
    [property: Id(0)] string Action,
    [property: Id(1)] string By,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string? Text = null,
    [property: Id(4)] string? StationId = null);

/// <summary>
/// A problem an enterprise raised, as it stands, with its history. <c>Deadline</c> is the one it was given when raised
/// or reopened; <c>OpenedAt</c> is when its clock started (the raise, or the last reopening), from which the county
/// counts it overdue under its rule of the day (<see cref="CountyProfile.OverdueDays"/>).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record IssueRecord(
    [property: Id(0)] string Id,
    [property: Id(1)] string CreditCode,
    [property: Id(2)] IssueCategory Category,
    [property: Id(3)] string Text,
    [property: Id(4)] IssueState State,
    [property: Id(5)] string? StationId,
    [property: Id(6)] DateTimeOffset RaisedAt,
    [property: Id(7)] DateTimeOffset Deadline,
    [property: Id(8)] DateTimeOffset? ResolvedAt,
    [property: Id(9)] IssueStep[] History,
    [property: Id(10)] long Version,
    [property: Id(11)] DateTimeOffset? OpenedAt = null);

[GenerateSerializer, Immutable]
public sealed record IssueContribution(
    string Id, long Version, bool Removed,
    [property: Id(0)] string CreditCode,
    [property: Id(1)] IssueCategory Category,
    [property: Id(2)] IssueState State,
    [property: Id(3)] string? StationId,
    [property: Id(4)] DateTimeOffset RaisedAt,
    [property: Id(5)] DateTimeOffset Deadline,
    [property: Id(6)] DateTimeOffset? ResolvedAt,
    [property: Id(7)] DateTimeOffset? OpenedAt = null) : Contribution(Id, Version, Removed)
{
    public static IssueContribution Of(IssueRecord i) =>
        new(i.Id, i.Version, false, i.CreditCode, i.Category, i.State, i.StationId, i.RaisedAt, i.Deadline, i.ResolvedAt, i.OpenedAt);
}

public static partial class Registers
{
    /// <summary>
    /// Issues are numbered by their county and go through steps rather than being replaced, so they have no profile;
    /// what they refer to, how they are listed and who may act on them is described here as for any register.
    /// </summary>
    public static readonly Register Issues = new()
    {
        Kind = EntityKind.Issue,
        Route = "issues",
        IdField = "id",
        Noun = new("问题", "issue"),
        Grain = typeof(IIssueGrain),
        Contribution = typeof(IssueContribution),
        Links =
        [
            // A resolved issue keeps its history without the enterprise; an open one would be left with nobody to answer.
            new("creditCode", EntityKind.Enterprise, c => ((IssueContribution)c).CreditCode) { Blocks = Unresolved },
            new("stationId", EntityKind.Station, c => ((IssueContribution)c).StationId) { Blocks = Unresolved },
        ],
        Filters =
        [
            ListFilter.Choice<IssueState>("state", c => ((IssueContribution)c).State),
            new("station", c => ((IssueContribution)c).StationId),
            new("creditCode", c => ((IssueContribution)c).CreditCode),
            ListFilter.Choice<IssueCategory>("category", c => ((IssueContribution)c).Category),
        ],
        StationOf = c => ((IssueContribution)c).StationId,
    };

    private static bool Unresolved(Contribution c) => ((IssueContribution)c).State != IssueState.Resolved;
}
