namespace Beacon;

// The figures as clients see them. Every rate comes with its numerator and denominator beside it, so a
// person can check it; rates are fractions (0.22, not 22). Computed in Beacon.Grains.Figures only.

[GenerateSerializer, Immutable]
public sealed record InstructorStrength(
    [property: Id(0)] int FullTime,
    [property: Id(1)] int PartTime,
    [property: Id(2)] int Total,
    [property: Id(3)] int EnterprisesGuided,
    [property: Id(4)] double EnterprisesPerInstructor,
    [property: Id(5)] int GroupsBelowStrength,
    [property: Id(6)] string[] GroupsBelowTwoFullTime,
    [property: Id(7)] int FullTimeBelowDutyDays);

[GenerateSerializer, Immutable]
public sealed record IssueFigures(
    [property: Id(0)] int Raised,
    [property: Id(1)] int Open,
    [property: Id(2)] int Escalated,
    [property: Id(3)] int Resolved,
    [property: Id(4)] int Overdue,
    [property: Id(5)] double ResolutionRate,
    [property: Id(6)] double? MedianDaysToResolve);

[GenerateSerializer, Immutable]
public sealed record ArchiveFigures(
    [property: Id(0)] int Basic,
    [property: Id(1)] int Featured,
    [property: Id(2)] double BasicRate,
    [property: Id(3)] double FeaturedRate);

[GenerateSerializer, Immutable]
public sealed record AssessmentFigures(
    [property: Id(0)] int Excellent,
    [property: Id(1)] int Competent,
    [property: Id(2)] int BasicallyCompetent,
    [property: Id(3)] int Incompetent);

/// <summary>
/// County-wide station linkage: base enterprises that a station links over the county's base, against the county's
/// target (六安: at least 70% of the county's enterprises).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LinkageFigures(
    [property: Id(0)] int Linked,
    [property: Id(1)] int Area,
    [property: Id(2)] double Rate,
    [property: Id(3)] double Target);

/// <summary>
/// The party organisations of the register: how many of each kind and host (every kind and host is present, zero
/// or not), and how many terms end within 90 days or have ended without an election.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OrganisationFigures(
    [property: Id(0)] int Total,
    [property: Id(1)] Dictionary<string, int> ByKind,
    [property: Id(2)] Dictionary<string, int> ByHost,
    [property: Id(3)] int TermsDue);

/// <summary>
/// Organisational life (组织生活) in the last closed month (<c>yyyy-MM</c>, China's calendar): the organisations that
/// existed by the month's end, and those of them that held every meeting due in it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OrgLifeFigures(
    [property: Id(0)] string Month,
    [property: Id(1)] int Organisations,
    [property: Id(2)] int Compliant,
    [property: Id(3)] double Rate);

/// <summary>
/// Development (发展党员): the applicants at each stage now (入党申请人, 积极分子, 发展对象, 预备党员), those who became
/// probationary and full members in <see cref="Year"/> (China's calendar), and the steps overdue today (a talk not held
/// 30 days after the application, full membership not decided when the probation ended).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record DevelopmentFigures(
    [property: Id(0)] int Year,
    [property: Id(1)] int Applicants,
    [property: Id(2)] int Activists,
    [property: Id(3)] int Candidates,
    [property: Id(4)] int Probationary,
    [property: Id(5)] int NewProbationaryThisYear,
    [property: Id(6)] int NewFullThisYear,
    [property: Id(7)] int Overdue);

/// <summary>
/// Stations' monthly duties in the last closed month (<c>yyyy-MM</c>, China's calendar), as <see cref="Rules.StationWork"/>
/// counts them: the stations of the register, those that held their monthly meeting (例会) and those that sent their
/// monthly report for it; and the stations whose full-time instructors are fewer than 6 or more than 10.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StationWorkFigures(
    [property: Id(0)] string Month,
    [property: Id(1)] int Stations,
    [property: Id(2)] int HeldMeeting,
    [property: Id(3)] double MeetingRate,
    [property: Id(4)] int SentReport,
    [property: Id(5)] double ReportRate,
    [property: Id(6)] int OutsideStrength);

/// <summary>
/// Organisations' annual evaluation (好, 较好, 一般, 差) in the latest year any organisation of the county was
/// evaluated (null when none was): how many were evaluated that year, how many had each rating, and the share rated good.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record EvaluationFigures(
    [property: Id(0)] int? Year,
    [property: Id(1)] int Evaluated,
    [property: Id(2)] int Good,
    [property: Id(3)] int FairlyGood,
    [property: Id(4)] int Average,
    [property: Id(5)] int Poor,
    [property: Id(6)] double GoodShare);

/// <summary>Training this year (China's calendar): the classes that began in it and their attendances.</summary>
[GenerateSerializer, Immutable]
public sealed record TrainingFigures(
    [property: Id(0)] int Year,
    [property: Id(1)] int Sessions,
    [property: Id(2)] int Attendances);

/// <summary>The honours on the register, of every year: all of them, and how many of each kind (every kind present).</summary>
[GenerateSerializer, Immutable]
public sealed record HonourFigures(
    [property: Id(0)] int Total,
    [property: Id(1)] Dictionary<string, int> ByKind);

/// <summary>Mass organisations (群团组织) in the base: enterprises with a union (工会) and with a Youth League organisation (共青团).</summary>
[GenerateSerializer, Immutable]
public sealed record MassOrganisationFigures(
    [property: Id(0)] int Unions,
    [property: Id(1)] double UnionRate,
    [property: Id(2)] int YouthLeague,
    [property: Id(3)] double YouthLeagueRate);

/// <summary>
/// 一刻钟党建活动圈: how many circles, the base enterprises within the walk of at least one (each counted once), their
/// share of the base, the party members they employ, and the activity centres' floor area.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CircleFigures(
    [property: Id(0)] int Circles,
    [property: Id(1)] int EnterprisesWithin,
    [property: Id(2)] double Share,
    [property: Id(3)] long PartyMembersWithin,
    [property: Id(4)] decimal CentresAreaM2 = 0);

/// <summary>
/// One station's figures: linkage of its area against the county's target, its strength (and whether its full-time
/// instructors are outside 6–10), and whether it held its monthly meeting and sent its report for the last closed month.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StationFigures(
    [property: Id(0)] string StationId,
    [property: Id(1)] string Name,
    [property: Id(2)] int AreaEnterprises,
    [property: Id(3)] int Linked,
    [property: Id(4)] double Linkage,
    [property: Id(5)] bool MeetsTarget,
    [property: Id(6)] int FullTimeInstructors,
    [property: Id(7)] int PartTimeInstructors,
    [property: Id(8)] int Groups,
    [property: Id(9)] int IssuesOpen,
    [property: Id(10)] int IssuesResolved,
    [property: Id(11)] int BranchMembers,
    [property: Id(12)] OrgLifeFigures OrgLife,
    [property: Id(13)] bool HeldMeeting = false,
    [property: Id(14)] bool SentReport = false,
    [property: Id(15)] bool StrengthOutsideRange = false,
    [property: Id(16)] string? ParentStationId = null,
    [property: Id(17)] int BranchSurfaced = 0);

[GenerateSerializer, Immutable]
public sealed record CountySummary(
    [property: Id(0)] string County,
    [property: Id(1)] string Name,
    [property: Id(2)] long Seq,
    [property: Id(3)] DateTimeOffset AsOf,
    [property: Id(4)] string Prefecture,
    [property: Id(5)] string PrefectureName,
    [property: Id(6)] string Province,
    [property: Id(7)] int Registered,
    [property: Id(8)] int Base,
    [property: Id(9)] int OrgCovered,
    [property: Id(10)] double OrgCoverage,
    [property: Id(11)] int Standalone,
    [property: Id(12)] double StandaloneRate,
    [property: Id(13)] int Joint,
    [property: Id(14)] int Affiliated,
    [property: Id(15)] int WorkCovered,
    [property: Id(16)] double WorkCoverage,
    // long: a province's employees can pass int.MaxValue.
    [property: Id(17)] long PartyMembers,
    [property: Id(18)] long Employees,
    [property: Id(19)] double MembersShare,
    [property: Id(20)] int Stations,
    [property: Id(21)] int Groups,
    [property: Id(22)] InstructorStrength Instructors,
    [property: Id(23)] IssueFigures Issues,
    [property: Id(24)] ArchiveFigures Archives,
    [property: Id(25)] AssessmentFigures Assessments,
    [property: Id(26)] LinkageFigures Linkage,
    [property: Id(27)] int StationsMeetingTarget,
    [property: Id(28)] StationFigures[] StationLinkage,
    [property: Id(29)] int StationBranchMembers,
    [property: Id(30)] OrganisationFigures Organisations,
    [property: Id(31)] OrgLifeFigures OrgLife,
    // A row stored before the figure existed has none (null), which the totals leave out.
    [property: Id(32)] DevelopmentFigures Development,
    // Null in a row stored before the figures existed (a province's saved rows), as orgLife's.
    [property: Id(33)] StationWorkFigures StationWork,
    [property: Id(34)] EvaluationFigures Evaluations,
    // 口袋党员 who showed their membership, among the station branches' members (陇西 23).
    [property: Id(35)] int StationBranchSurfaced = 0,
    // Null in a row stored before the figures existed, as orgLife's.
    [property: Id(36)] TrainingFigures Training = null!,
    [property: Id(37)] HonourFigures Honours = null!,
    [property: Id(38)] int ContactPoints = 0,
    [property: Id(39)] MassOrganisationFigures MassOrganisations = null!,
    [property: Id(40)] CircleFigures Circles = null!);

/// <summary>
/// Counties side by side, a province's or a prefecture's, and their totals computed from the same numerators: what
/// the comparison's exports read, whichever the comparison is.
/// </summary>
public interface ICountyComparison
{
    /// <summary>The province's or prefecture's division code.</summary>
    string Code { get; }
    string Name { get; }
    long Seq { get; }
    DateTimeOffset AsOf { get; }
    CountySummary[] Rows { get; }
    CountySummary Totals { get; }
    DuplicateRegistration[] Duplicates { get; }
}

/// <summary>
/// A province's counties side by side, and the province's totals computed from the same numerators. Credit codes
/// registered in more than one of its counties are listed: the totals count each of them once per county.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ProvinceComparison(
    [property: Id(0)] string Province,
    [property: Id(1)] string Name,
    [property: Id(2)] long Seq,
    [property: Id(3)] DateTimeOffset AsOf,
    [property: Id(4)] CountySummary[] Rows,
    [property: Id(5)] CountySummary Totals,
    [property: Id(6)] DuplicateRegistration[] Duplicates) : ICountyComparison
{
    string ICountyComparison.Code => Province;
}

/// <summary>
/// A prefecture's counties side by side (六安市's seven), with the prefecture's totals computed as the province's are.
/// Its name is the one its counties' profiles give it. <c>Seq</c> counts this prefecture's own comparisons: within
/// one activation of the province grain consecutive, after a restart a higher epoch. The duplicates are the credit
/// codes of the province held by two or more counties of which one at least lies in this prefecture.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PrefectureComparison(
    [property: Id(0)] string Prefecture,
    [property: Id(1)] string Name,
    [property: Id(2)] long Seq,
    [property: Id(3)] DateTimeOffset AsOf,
    [property: Id(4)] CountySummary[] Rows,
    [property: Id(5)] CountySummary Totals,
    [property: Id(6)] DuplicateRegistration[] Duplicates) : ICountyComparison
{
    string ICountyComparison.Code => Prefecture;
}

/// <summary>One credit code held by several counties of a province, and which.</summary>
[GenerateSerializer, Immutable]
public sealed record DuplicateRegistration([property: Id(0)] string CreditCode, [property: Id(1)] string[] Counties);
