using System.Text.Json.Serialization;
using Beacon.Rules;

namespace Beacon;

/// <summary>党建工作指导站: a physical site that links the enterprises of its area (its townships).</summary>
[GenerateSerializer, Immutable]
public sealed record StationProfile(
    [property: Id(0)] string StationId,
    [property: Id(1), JsonRequired] string Name,
    [property: Id(2), JsonRequired] string[] Townships,
    [property: Id(3)] string? Chief = null,
    [property: Id(4)] string? Deputy = null,
    [property: Id(5)] string? Address = null,
    [property: Id(6)] StationBranch? Branch = null,
    [property: Id(7)] string? ParentStationId = null,
    [property: Id(8)] StationPremises? Premises = null,
    [property: Id(9)] GeoPoint? Location = null);

/// <summary>
/// A station's premises (阵地): its floor area in square metres and the funds it has for the year, in 万元 (ten
/// thousand yuan), as county offices write them in their reports. Decimals, since both are written with fractions
/// (85.5 ㎡, 3.5 万元).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StationPremises([property: Id(0), JsonRequired] decimal AreaM2, [property: Id(1), JsonRequired] decimal Funds);

/// <summary>
/// 指导站党支部: the station's own branch, which takes in scattered members (零散党员) and applications to join; and the
/// 口袋党员 of the station's area who showed their membership through its work (陇西 23), whichever organisation they
/// then joined, so not bounded by the branch's own members.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StationBranch([property: Id(0)] int Members, [property: Id(1)] int Applications, [property: Id(2)] int Surfaced = 0);

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
    [property: Id(2)] string[] IssuesForCounty)
{
    /// <summary>Which version of the month's report this is: 1 for the first sent, one more for each revision. Set by the station, not the sender.</summary>
    [Id(3)] public int Revision { get; init; }
    /// <summary>When this version was received, and from whom; null in a report stored before Beacon kept them.</summary>
    [Id(4)] public DateTimeOffset? SubmittedAt { get; init; }
    [Id(5)] public string? SubmittedBy { get; init; }
}

/// <param name="Reports">Each month's report as it stands (its latest revision), by month.</param>
/// <param name="Revisions">The versions of a month's report that a later revision replaced, newest first: what was sent before.</param>
[GenerateSerializer, Immutable]
public sealed record StationActivity(
    [property: Id(0)] StationMeeting[] Meetings,
    [property: Id(1)] MonthlyReport[] Reports,
    [property: Id(2)] MonthlyReport[]? Revisions = null);

[GenerateSerializer, Immutable]
public sealed record StationContribution(
    string Id, long Version, bool Removed,
    [property: Id(0)] string Name,
    [property: Id(1)] string[] Townships,
    [property: Id(2)] int BranchMembers,
    [property: Id(3)] string? ParentStationId = null,
    [property: Id(4)] int[]? MeetingMonths = null,
    [property: Id(5)] int[]? ReportMonths = null,
    [property: Id(6)] int BranchSurfaced = 0,
    [property: Id(7)] GeoPoint? Location = null) : Contribution(Id, Version, Removed)
{
    // Records compare arrays by reference; two reports of the same area and months are the same report.
    public bool Equals(StationContribution? other) =>
        other is not null && base.Equals(other) && Name == other.Name && BranchMembers == other.BranchMembers && BranchSurfaced == other.BranchSurfaced &&
        Location == other.Location &&
        ParentStationId == other.ParentStationId && Townships.AsSpan().SequenceEqual(other.Townships) &&
        (MeetingMonths ?? []).AsSpan().SequenceEqual(other.MeetingMonths ?? []) &&
        (ReportMonths ?? []).AsSpan().SequenceEqual(other.ReportMonths ?? []);

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Name, BranchMembers, ParentStationId, Townships.Length);
}

public static partial class Registers
{
    /// <summary>A station has 6 to 10 full-time instructors (六安's standard); one outside is flagged in its figures.</summary>
    public const int MinStationFullTime = 6;
    public const int MaxStationFullTime = 10;

    /// <summary>Whether a station with this many full-time instructors is outside <see cref="MinStationFullTime"/>–<see cref="MaxStationFullTime"/>.</summary>
    public static bool StrengthOutsideRange(int fullTime) => fullTime is < MinStationFullTime or > MaxStationFullTime;

    /// <summary>Largest premises a county reports: 100,000 ㎡ and 100,000 万元 are typing errors long before.</summary>
    public const int MaxPremisesArea = 100_000, MaxPremisesFunds = 100_000;

    public static readonly Register<StationProfile> Stations = new()
    {
        Kind = EntityKind.Station,
        Route = "stations",
        IdField = "stationId",
        Noun = new("指导站", "station"),
        Grain = typeof(IStationGrain),
        Contribution = typeof(StationContribution),
        IdOf = p => p.StationId,
        WithId = (p, id) => p with { StationId = id },
        Validate = StationRules,
        Contribute = (id, p, version) => new StationContribution(id, version, p is null, p?.Name ?? "", p?.Townships ?? [], p?.Branch?.Members ?? 0, p?.ParentStationId,
            BranchSurfaced: p?.Branch?.Surfaced ?? 0, Location: p?.Location),
        // A sub-station (分站, 舒城's 杭埠) hangs under a station that is not itself one: one level, no cycles.
        Links = [new("parentStationId", EntityKind.Station, c => S(c).ParentStationId) { Tree = true, OneLevel = true, Accepts = ParentStationOf }],
        // A township is one station's area: two stations over one township would each count its enterprises.
        Claims = c => S(c).Townships.Select((t, i) => new Claim($"townships[{i}]", t)),
        Filters = [new("station", c => c.Id)],
        StationOf = c => c.Id,
        NameOf = c => ((StationContribution)c).Name,
        Counted = [("enterprises", EntityKind.Enterprise), ("groups", EntityKind.Group), ("instructors", EntityKind.Instructor)],
        Reusing = (next, previous) => next with
        {
            StationId = previous.StationId,
            Name = Reuse(next.Name, previous.Name),
            Townships = ReuseAll(next.Townships, previous.Townships),
            Chief = Reuse(next.Chief, previous.Chief),
            Deputy = Reuse(next.Deputy, previous.Deputy),
            Address = Reuse(next.Address, previous.Address),
            Branch = Reuse(next.Branch, previous.Branch),
            ParentStationId = Reuse(next.ParentStationId, previous.ParentStationId),
            Premises = Reuse(next.Premises, previous.Premises),
            Location = Reuse(next.Location, previous.Location),
        },
        Columns =
        [
            new("stationId", "指导站编号", "1–40 位字母、数字、- 或 _"),
            new("name", "指导站名称", "最多 100 字"),
            Column.Of(CellKind.List, "townships", "联系乡镇（街道）", "以“、”分隔；一个乡镇只属于一个指导站"),
            new("chief", "站长", "可空"),
            new("deputy", "副站长", "可空"),
            new("address", "地址", "可空"),
            Column.Of(CellKind.Integer, "branch.members", "指导站党支部党员数", "整数"),
            Column.Of(CellKind.Integer, "branch.applications", "入党申请人数", "整数"),
            Column.Of(CellKind.Integer, "branch.surfaced", "亮明身份的口袋党员", "整数：本站片区亮明身份的口袋党员、隐形党员") with { Aliases = ["口袋党员", "亮明身份党员数"] },
            new("parentStationId", "上级指导站编号", "分站填写所属指导站的编号；可空") { Aliases = ["所属指导站编号"] },
            Column.Of(CellKind.Number, "premises.areaM2", "阵地面积（平方米）", "可含小数"),
            Column.Of(CellKind.Number, "premises.funds", "工作经费（万元）", "单位：万元，可含小数"),
            Column.Of(CellKind.Number, "location.lat", "纬度", "WGS-84，中国境内"),
            Column.Of(CellKind.Number, "location.lon", "经度", "WGS-84，中国境内"),
        ],
    };

    private static StationContribution S(Contribution c) => (StationContribution)c;

    /// <summary>A sub-station's parent is a station of its own: a sub-station of a sub-station would hide it two levels down.</summary>
    private static Said? ParentStationOf(Contribution child, Contribution parent) =>
        S(parent).ParentStationId is { } grand
            ? new($"指导站“{parent.Id}”本身是“{grand}”的分站，不能再作为上级指导站", $"station '{parent.Id}' is itself a sub-station of '{grand}', so it cannot have sub-stations")
            : null;

    private static Validation StationRules(StationProfile p, DateOnly today)
    {
        var v = new Validation();
        v.Identifier("stationId", p.StationId);
        v.Text("name", p.Name, 100);
        if (p.Townships is null || p.Townships.Length == 0)
            v.Add("townships", "须至少填写一个所辖乡镇", "must name at least one township of the station's area");
        else
        {
            for (var i = 0; i < p.Townships.Length; i++) v.Text($"townships[{i}]", p.Townships[i], 50);
            if (p.Townships.Distinct(StringComparer.Ordinal).Count() != p.Townships.Length)
                v.Add("townships", "乡镇不能重复", "must not repeat a township");
        }
        v.Text("chief", p.Chief, 50, required: false);
        v.Text("deputy", p.Deputy, 50, required: false);
        v.Text("address", p.Address, 200, required: false);
        if (p.Branch is { } branch)
        {
            v.Count("branch.members", branch.Members, 100_000);
            v.Count("branch.applications", branch.Applications, 100_000);
            v.Count("branch.surfaced", branch.Surfaced, 100_000);
        }
        v.Identifier("parentStationId", p.ParentStationId, required: false);
        if (p.ParentStationId is not null && p.ParentStationId == p.StationId)
            v.Add("parentStationId", "不能是本指导站自身", "must not be the station itself");
        if (p.Premises is { } premises)
        {
            if (premises.AreaM2 is < 0 or > MaxPremisesArea)
                v.Add("premises.areaM2", $"须在 0 到 {MaxPremisesArea} 平方米之间", $"must be between 0 and {MaxPremisesArea} square metres");
            if (premises.Funds is < 0 or > MaxPremisesFunds)
                v.Add("premises.funds", $"须在 0 到 {MaxPremisesFunds} 万元之间", $"must be between 0 and {MaxPremisesFunds} (10,000 yuan)");
        }
        Geo.Check(v, "location", p.Location);
        return v;
    }
}
