using System.Text.Json.Serialization;
using Beacon.Rules;

namespace Beacon;

/// <summary>党建工作指导组: a team inside a station.</summary>
[GenerateSerializer, Immutable]
public sealed record InstructorGroupProfile(
    [property: Id(0)] string GroupId,
    [property: Id(1), JsonRequired] string Name,
    [property: Id(2), JsonRequired] string StationId);

[GenerateSerializer, Immutable]
public sealed record GroupContribution(
    string Id, long Version, bool Removed,
    [property: Id(0)] string Name,
    [property: Id(1)] string StationId) : Contribution(Id, Version, Removed);

public static partial class Registers
{
    public static readonly Register<InstructorGroupProfile> Groups = new()
    {
        Kind = EntityKind.Group,
        Route = "groups",
        IdField = "groupId",
        Noun = new("指导组", "group"),
        Grain = typeof(IInstructorGroupGrain),
        Contribution = typeof(GroupContribution),
        IdOf = p => p.GroupId,
        WithId = (p, id) => p with { GroupId = id },
        Validate = (p, _) =>
        {
            var v = new Validation();
            v.Identifier("groupId", p.GroupId);
            v.Text("name", p.Name, 100);
            v.Identifier("stationId", p.StationId);
            return v;
        },
        Contribute = (id, p, version) => new GroupContribution(id, version, p is null, p?.Name ?? "", p?.StationId ?? ""),
        Links = [new("stationId", EntityKind.Station, c => ((GroupContribution)c).StationId)],
        Filters = [new("station", c => ((GroupContribution)c).StationId)],
        StationOf = c => ((GroupContribution)c).StationId,
        Counted = [("enterprises", EntityKind.Enterprise), ("instructors", EntityKind.Instructor)],
        NameOf = c => ((GroupContribution)c).Name,
        Reusing = (next, previous) => next with
        {
            GroupId = previous.GroupId,
            Name = Reuse(next.Name, previous.Name),
            StationId = Reuse(next.StationId, previous.StationId),
        },
        Columns =
        [
            new("groupId", "指导组编号", "1–40 位字母、数字、- 或 _"),
            new("name", "指导组名称", "最多 100 字"),
            new("stationId", "所属指导站编号", "本县指导站"),
        ],
    };
}
