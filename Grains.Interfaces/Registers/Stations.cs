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

[GenerateSerializer, Immutable]
public sealed record StationContribution(
    string Id, long Version, bool Removed,
    [property: Id(0)] string Name,
    [property: Id(1)] string[] Townships,
    [property: Id(2)] int BranchMembers) : Contribution(Id, Version, Removed)
{
    // Records compare arrays by reference; two reports of the same area are the same report.
    public bool Equals(StationContribution? other) =>
        other is not null && base.Equals(other) && Name == other.Name && BranchMembers == other.BranchMembers &&
        Townships.AsSpan().SequenceEqual(other.Townships);

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Name, BranchMembers, Townships.Length);
}

public static partial class Registers
{
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
        Contribute = (id, p, version) => new StationContribution(id, version, p is null, p?.Name ?? "", p?.Townships ?? [], p?.Branch?.Members ?? 0),
        // A township is one station's area: two stations over one township would each count its enterprises.
        Claims = c => ((StationContribution)c).Townships.Select((t, i) => new Claim($"townships[{i}]", t)),
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
        ],
    };

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
        }
        return v;
    }
}
