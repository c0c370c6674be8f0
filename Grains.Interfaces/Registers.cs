using System.Text.Json.Serialization;

namespace Beacon;

public enum EnterpriseKind { Enterprise, SocialOrganisation }

/// <summary>组建方式: how the enterprise is covered by a party organisation.</summary>
public enum FormationMode { None, Standalone, Joint, Affiliated }

[GenerateSerializer, Immutable]
public sealed record PartyOrganisation(
    [property: Id(0), JsonRequired] FormationMode Mode,
    [property: Id(1)] string? OrganisationId = null);

[GenerateSerializer, Immutable]
public sealed record GeoPoint([property: Id(0)] double Lat, [property: Id(1)] double Lon);

/// <summary>党建档案: the basic archive and the featured one (一企一策两案).</summary>
[GenerateSerializer, Immutable]
public sealed record Archive([property: Id(0)] bool Basic, [property: Id(1)] bool Featured);

/// <summary>One enterprise or social organisation of a county's register, keyed by its credit code.</summary>
[GenerateSerializer, Immutable]
public sealed record EnterpriseProfile(
    [property: Id(0)] string CreditCode,
    [property: Id(1), JsonRequired] string Name,
    [property: Id(2), JsonRequired] EnterpriseKind Kind,
    [property: Id(3)] string? Industry,
    [property: Id(4)] bool AboveDesignatedSize,
    [property: Id(5), JsonRequired] int Employees,
    [property: Id(6), JsonRequired] int PartyMembers,
    [property: Id(7), JsonRequired] bool InBase,
    [property: Id(8)] string? ExclusionReason,
    [property: Id(9), JsonRequired] PartyOrganisation Organisation,
    [property: Id(10)] string? StationId = null,
    [property: Id(11)] string? GroupId = null,
    [property: Id(12)] string? InstructorId = null,
    [property: Id(13)] GeoPoint? Location = null,
    [property: Id(14)] string? Township = null,
    [property: Id(15)] Archive? Archive = null,
    [property: Id(16)] int DemonstrationPosts = 0,
    [property: Id(17)] int ResponsibilityZones = 0);

/// <summary>党建工作指导站: a physical site that links the enterprises of its area (its townships).</summary>
[GenerateSerializer, Immutable]
public sealed record StationProfile(
    [property: Id(0)] string StationId,
    [property: Id(1), JsonRequired] string Name,
    [property: Id(2), JsonRequired] string[] Townships,
    [property: Id(3)] string? Chief = null,
    [property: Id(4)] string? Deputy = null,
    [property: Id(5)] string? Address = null,
    [property: Id(6)] StationBranch? Branch = null);

/// <summary>指导站党支部: the station's own branch, which takes in scattered members (零散党员) and applications to join.</summary>
[GenerateSerializer, Immutable]
public sealed record StationBranch([property: Id(0)] int Members, [property: Id(1)] int Applications);

public enum MeetingKind { StaffMeeting, ThreeMeetingsOneLesson, ThemedPartyDay }

/// <summary>A meeting held at a station: the monthly staff meeting (例会), 三会一课, 主题党日.</summary>
[GenerateSerializer, Immutable]
public sealed record StationMeeting(
    [property: Id(0), JsonRequired] DateOnly Date,
    [property: Id(1), JsonRequired] MeetingKind Kind,
    [property: Id(2), JsonRequired] int Attendees,
    [property: Id(3), JsonRequired] string Topic);

/// <summary>A station's monthly report, naming the issues it needs the county committee to resolve.</summary>
[GenerateSerializer, Immutable]
public sealed record MonthlyReport(
    [property: Id(0), JsonRequired] string Month,
    [property: Id(1), JsonRequired] string Summary,
    [property: Id(2)] string[] IssuesForCounty);

[GenerateSerializer, Immutable]
public sealed record StationActivity(
    [property: Id(0)] StationMeeting[] Meetings,
    [property: Id(1)] MonthlyReport[] Reports);

/// <summary>党建工作指导组: a team inside a station.</summary>
[GenerateSerializer, Immutable]
public sealed record InstructorGroupProfile(
    [property: Id(0)] string GroupId,
    [property: Id(1), JsonRequired] string Name,
    [property: Id(2), JsonRequired] string StationId);

public enum AssessmentRating { Excellent, Competent, BasicallyCompetent, Incompetent }

/// <summary>党建工作指导员, full-time or part-time, sent by a source unit (组织, 工商, 工信, 统战 …).</summary>
[GenerateSerializer, Immutable]
public sealed record InstructorProfile(
    [property: Id(0)] string InstructorId,
    [property: Id(1), JsonRequired] string Name,
    [property: Id(2), JsonRequired] bool FullTime,
    [property: Id(3)] string? SourceUnit = null,
    [property: Id(4)] string? StationId = null,
    [property: Id(5)] string? GroupId = null,
    [property: Id(6)] AssessmentRating? Rating = null,
    [property: Id(7)] int DutyDaysPerWeek = 0);

public enum AssessmentKind { Daily, Annual, Democratic }

/// <summary>考核: an instructor's daily or annual assessment or democratic evaluation; an annual one sets the instructor's rating.</summary>
[GenerateSerializer, Immutable]
public sealed record Assessment(
    [property: Id(0), JsonRequired] AssessmentKind Kind,
    [property: Id(1), JsonRequired] string Period,
    [property: Id(2), JsonRequired] int Score,
    [property: Id(3), JsonRequired] AssessmentRating Rating);

/// <summary>An instructor's visit to an enterprise.</summary>
[GenerateSerializer, Immutable]
public sealed record Visit(
    [property: Id(0), JsonRequired] string CreditCode,
    [property: Id(1), JsonRequired] DateOnly Date,
    [property: Id(2), JsonRequired] string Note);

[GenerateSerializer, Immutable]
public sealed record InstructorActivity(
    [property: Id(0)] Visit[] Visits,
    [property: Id(1)] Assessment[] Assessments);

public enum IssueCategory { Financing, Labour, Policy, LandAndPremises, PartyOrganisation, Other }

public enum IssueState { Open, Escalated, Resolved }

[GenerateSerializer, Immutable]
public sealed record IssueStep(
    [property: Id(0)] string Action,
    [property: Id(1)] string By,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string? Text = null,
    [property: Id(4)] string? StationId = null);

/// <summary>A problem an enterprise raised, as it stands, with its history.</summary>
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
    [property: Id(10)] long Version);

/// <summary>A register entry as stored, with the version every change increments.</summary>
[GenerateSerializer, Immutable]
public sealed record Versioned<T>(
    [property: Id(0)] T Value,
    [property: Id(1)] long Version,
    [property: Id(2)] DateTimeOffset UpdatedAt);

/// <summary>A county tenant's profile and the settings its figures depend on.</summary>
[GenerateSerializer, Immutable]
public sealed record CountyProfile(
    [property: Id(0)] string Code,
    [property: Id(1)] string Name,
    [property: Id(2)] string PrefectureName,
    [property: Id(3)] string ProvinceName,
    [property: Id(4)] double LinkageTarget = 0.7,
    [property: Id(5)] int OverdueDays = 30,
    [property: Id(6)] bool AffiliatedCountsAsCovered = false);
