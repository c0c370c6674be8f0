namespace Beacon;

/// <summary>What a to-do item is about: the kinds DESIGN.md's to-do lists, each named as the public JSON writes it.</summary>
public enum TodoKind
{
    IssueOverdue,
    StationReportMissing,
    StationMeetingMissing,
    OrganisationalLifeBehind,
    DevelopmentStepDue,
    TermDue,
    GroupBelowStrength,
    InstructorBelowDutyDays,
}

/// <summary>
/// One thing that is due or late in a county: what kind, which entry of which register (its route and id), the day it
/// is or was due (null for a state with no day, a group below strength), how many days late it is on the day asked
/// (negative while it is still ahead), the station it belongs to, and a sentence saying it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TodoItem(
    [property: Id(0)] TodoKind Kind,
    [property: Id(1)] string Entity,
    [property: Id(2)] string Id,
    [property: Id(3)] DateOnly? Due,
    [property: Id(4)] int? DaysLate,
    [property: Id(5)] string? StationId,
    [property: Id(6)] Said Text);
