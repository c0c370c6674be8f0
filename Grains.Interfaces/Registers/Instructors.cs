using System.Text.Json.Serialization;
using Beacon.Rules;

namespace Beacon;

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

[GenerateSerializer, Immutable]
public sealed record InstructorContribution(
    string Id, long Version, bool Removed,
    [property: Id(0)] string Name,
    [property: Id(1)] bool FullTime,
    [property: Id(2)] string? StationId,
    [property: Id(3)] string? GroupId,
    [property: Id(4)] AssessmentRating? Rating,
    [property: Id(5)] int DutyDaysPerWeek) : Contribution(Id, Version, Removed);

public static partial class Registers
{
    /// <summary>A station's full-time instructors are on duty at least this many days a week (六安).</summary>
    public const int MinDutyDaysPerWeek = 3;

    public static readonly Register<InstructorProfile> Instructors = new()
    {
        Kind = EntityKind.Instructor,
        Route = "instructors",
        IdField = "instructorId",
        Noun = new("指导员", "instructor"),
        Grain = typeof(IInstructorGrain),
        Contribution = typeof(InstructorContribution),
        IdOf = p => p.InstructorId,
        WithId = (p, id) => p with { InstructorId = id },
        Validate = (p, _) =>
        {
            var v = new Validation();
            v.Identifier("instructorId", p.InstructorId);
            v.Text("name", p.Name, 50);
            v.Text("sourceUnit", p.SourceUnit, 50, required: false);
            v.Identifier("stationId", p.StationId, required: false);
            v.Identifier("groupId", p.GroupId, required: false);
            if (p.Rating is { } r) v.Defined("rating", r);
            if (p.DutyDaysPerWeek is < 0 or > 7) v.Add("dutyDaysPerWeek", "须在 0 到 7 之间", "must be between 0 and 7");
            return v;
        },
        Contribute = (id, p, version) =>
            new InstructorContribution(id, version, p is null, p?.Name ?? "", p?.FullTime ?? false, p?.StationId, p?.GroupId, p?.Rating, p?.DutyDaysPerWeek ?? 0),
        Links =
        [
            new("stationId", EntityKind.Station, c => ((InstructorContribution)c).StationId),
            new("groupId", EntityKind.Group, c => ((InstructorContribution)c).GroupId) { Within = "stationId" },
        ],
        Filters =
        [
            new("station", c => ((InstructorContribution)c).StationId),
            new("group", c => ((InstructorContribution)c).GroupId),
            ListFilter.Flag("fullTime", c => ((InstructorContribution)c).FullTime),
        ],
        StationOf = c => ((InstructorContribution)c).StationId,
        Counted = [("enterprises", EntityKind.Enterprise)],
        NameOf = c => ((InstructorContribution)c).Name,
        Reusing = (next, previous) => next with
        {
            InstructorId = previous.InstructorId,
            Name = Reuse(next.Name, previous.Name),
            SourceUnit = Reuse(next.SourceUnit, previous.SourceUnit),
            StationId = Reuse(next.StationId, previous.StationId),
            GroupId = Reuse(next.GroupId, previous.GroupId),
        },
        Columns =
        [
            new("instructorId", "指导员编号", "1–40 位字母、数字、- 或 _"),
            new("name", "姓名", "最多 50 字"),
            Column.Of(CellKind.YesNo, "fullTime", "专职", "是 / 否") with { Aliases = ["是否专职"] },
            new("sourceUnit", "派出单位", "组织、工商、工信、统战等"),
            new("stationId", "所属指导站编号", "可空"),
            new("groupId", "所属指导组编号", "须属于所填指导站"),
            Column.Choice<AssessmentRating>("rating", "考核等次", "优秀、称职、基本称职或不称职；可空", "优秀", "称职", "基本称职", "不称职"),
            Column.Of(CellKind.Integer, "dutyDaysPerWeek", "每周在岗天数", "0–7"),
        ],
    };
}
