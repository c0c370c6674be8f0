namespace Beacon;

/// <summary>
/// What one child entity adds to its county's figures, stamped with the child's version.
/// The county keeps the last one per child and replaces it, so a repeated or late report changes nothing.
/// A removed child reports an empty contribution with a higher version rather than vanishing, so a late
/// report from before its removal cannot bring it back.
/// </summary>
[GenerateSerializer, Immutable]
public abstract record Contribution(
    [property: Id(0)] string Id,
    [property: Id(1)] long Version,
    [property: Id(2)] bool Removed);

[GenerateSerializer, Immutable]
public sealed record EnterpriseContribution(
    string Id, long Version, bool Removed,
    [property: Id(0)] bool InBase,
    [property: Id(1)] EnterpriseKind Kind,
    [property: Id(2)] FormationMode Mode,
    [property: Id(3)] string? OrganisationId,
    [property: Id(4)] int PartyMembers,
    [property: Id(5)] int Employees,
    [property: Id(6)] string? StationId,
    [property: Id(7)] string? GroupId,
    [property: Id(8)] string? InstructorId,
    [property: Id(9)] string? Township,
    [property: Id(10)] bool BasicArchive,
    [property: Id(11)] bool FeaturedArchive,
    [property: Id(12)] string Name = "",
    [property: Id(13)] EnterpriseKind EnterpriseKind = EnterpriseKind.Enterprise) : Contribution(Id, Version, Removed);

[GenerateSerializer, Immutable]
public sealed record StationContribution(
    string Id, long Version, bool Removed,
    [property: Id(0)] string Name,
    [property: Id(1)] string[] Townships,
    [property: Id(2)] int BranchMembers = 0) : Contribution(Id, Version, Removed)
{
    // Records compare arrays by reference; two reports of the same area are the same report.
    public bool Equals(StationContribution? other) =>
        other is not null && base.Equals(other) && Name == other.Name && BranchMembers == other.BranchMembers &&
        Townships.AsSpan().SequenceEqual(other.Townships);

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Name, BranchMembers, Townships.Length);
}

[GenerateSerializer, Immutable]
public sealed record GroupContribution(
    string Id, long Version, bool Removed,
    [property: Id(0)] string StationId,
    [property: Id(1)] string Name = "") : Contribution(Id, Version, Removed);

[GenerateSerializer, Immutable]
public sealed record InstructorContribution(
    string Id, long Version, bool Removed,
    [property: Id(0)] bool FullTime,
    [property: Id(1)] string? StationId,
    [property: Id(2)] string? GroupId,
    [property: Id(3)] AssessmentRating? Rating,
    [property: Id(4)] string Name = "") : Contribution(Id, Version, Removed);

[GenerateSerializer, Immutable]
public sealed record IssueContribution(
    string Id, long Version, bool Removed,
    [property: Id(0)] IssueState State,
    [property: Id(1)] string? StationId,
    [property: Id(2)] DateTimeOffset RaisedAt,
    [property: Id(3)] DateTimeOffset Deadline,
    [property: Id(4)] DateTimeOffset? ResolvedAt,
    [property: Id(5)] string CreditCode = "",
    [property: Id(6)] IssueCategory Category = IssueCategory.Other) : Contribution(Id, Version, Removed);
