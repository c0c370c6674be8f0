using System.Text.Json.Serialization;
using Beacon.Rules;

namespace Beacon;

/// <summary>Who a class trains: branch secretaries (清水's four classes), party workers, members, or the stations' instructors.</summary>
public enum TrainingKind { Secretaries, PartyWorkers, Members, Instructors }

/// <summary>
/// One training class (培训班) the county held: when it began, how long it ran and how many attended. Recorded once it
/// has begun, so that this year's classes and attendances count what happened.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TrainingProfile(
    [property: Id(0)] string TrainingId,
    [property: Id(1), JsonRequired] string Name,
    [property: Id(2), JsonRequired] TrainingKind Kind,
    [property: Id(3), JsonRequired] DateOnly StartsOn,
    [property: Id(4), JsonRequired] int Days,
    [property: Id(5), JsonRequired] double Hours,
    [property: Id(6), JsonRequired] int Attendances,
    [property: Id(7)] string? Organiser = null);

[GenerateSerializer, Immutable]
public sealed record TrainingContribution(
    string Id, long Version, bool Removed,
    [property: Id(0)] string Name,
    [property: Id(1)] TrainingKind Kind,
    [property: Id(2)] int Year,
    [property: Id(3)] int Attendances) : Contribution(Id, Version, Removed);

public static partial class Registers
{
    /// <summary>A class longer than a term at a party school is a typing error.</summary>
    public const int MaxTrainingDays = 180;

    /// <summary>More attendances than a county's members in one class is a typing error.</summary>
    public const int MaxAttendances = 100_000;

    public static readonly Register<TrainingProfile> Trainings = new()
    {
        Kind = EntityKind.Training,
        Route = "trainings",
        IdField = "trainingId",
        Noun = new("培训班", "training"),
        Grain = typeof(ITrainingGrain),
        Contribution = typeof(TrainingContribution),
        IdOf = p => p.TrainingId,
        WithId = (p, id) => p with { TrainingId = id },
        Validate = TrainingRules,
        Contribute = (id, p, version) => p is null
            ? new TrainingContribution(id, version, true, "", TrainingKind.Secretaries, 0, 0)
            : new TrainingContribution(id, version, false, p.Name, p.Kind, p.StartsOn.Year, p.Attendances),
        Filters =
        [
            ListFilter.Choice<TrainingKind>("kind", c => T(c).Kind),
            new("year", c => T(c).Year.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ],
        NameOf = c => T(c).Name,
        Reusing = (next, previous) => next with
        {
            TrainingId = previous.TrainingId,
            Name = Reuse(next.Name, previous.Name),
            Organiser = Reuse(next.Organiser, previous.Organiser),
        },
        Columns =
        [
            new("trainingId", "培训班编号", "1–40 位字母、数字、- 或 _") { Aliases = ["编号"] },
            new("name", "培训班名称", "最多 200 字") { Aliases = ["培训名称", "班次名称"] },
            Column.Choice<TrainingKind>("kind", "培训对象", "党组织书记、党务工作者、党员或指导员", "党组织书记", "党务工作者", "党员", "指导员"),
            Column.Of(CellKind.Date, "startsOn", "开班日期", "日期，如 2026-11-05；不晚于今天") with { Aliases = ["培训日期", "开始日期"] },
            Column.Of(CellKind.Integer, "days", "培训天数", $"1–{MaxTrainingDays}") with { Aliases = ["天数"] },
            Column.Of(CellKind.Number, "hours", "培训学时", "0–2000") with { Aliases = ["学时"] },
            Column.Of(CellKind.Integer, "attendances", "参训人次", "整数") with { Aliases = ["培训人次", "参训人数"] },
            new("organiser", "主办单位", "可空") { Aliases = ["举办单位"] },
        ],
    };

    private static TrainingContribution T(Contribution c) => (TrainingContribution)c;

    private static Validation TrainingRules(TrainingProfile p, DateOnly today)
    {
        var v = new Validation();
        v.Identifier("trainingId", p.TrainingId);
        v.Text("name", p.Name, 200);
        v.Defined("kind", p.Kind);
        v.Date("startsOn", p.StartsOn, today);
        v.Between("days", p.Days, 1, MaxTrainingDays);
        if (!double.IsFinite(p.Hours) || p.Hours is < 0 or > 2000) v.Add("hours", "须在 0 到 2000 之间", "must be between 0 and 2000");
        v.Count("attendances", p.Attendances, MaxAttendances);
        v.Text("organiser", p.Organiser, 100, required: false);
        return v;
    }
}
