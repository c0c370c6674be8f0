using System.Text.Json.Serialization;
using Beacon.Rules;

namespace Beacon;

/// <summary>An activity circle's centre (党群活动中心): its name, floor area and, when it is not at the centre enterprise, where it is.</summary>
[GenerateSerializer, Immutable]
public sealed record ActivityCentre(
    [property: Id(0), JsonRequired] string Name,
    [property: Id(1), JsonRequired] decimal AreaM2,
    [property: Id(2)] GeoPoint? Location = null);

/// <summary>
/// 一刻钟党建活动圈 (陇西 6): an activity centre at a central enterprise, a regional organisation (区域党总支) and the walk
/// that bounds it. Its members are never typed: they are the base enterprises within the walk of its centre, computed
/// by the county as enterprises move or come (<see cref="Geo.WalkMetres"/>).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CircleProfile(
    [property: Id(0)] string CircleId,
    [property: Id(1), JsonRequired] string Name,
    [property: Id(2), JsonRequired] string CentreCreditCode,
    [property: Id(3), JsonRequired] ActivityCentre ActivityCentre,
    [property: Id(4)] string? OrganisationId = null,
    [property: Id(5)] int WalkMinutes = Geo.DefaultWalkMinutes);

[GenerateSerializer, Immutable]
public sealed record CircleContribution(
    string Id, long Version, bool Removed,
    [property: Id(0)] string Name,
    [property: Id(1)] string CentreCreditCode,
    [property: Id(2)] string? OrganisationId,
    [property: Id(3)] GeoPoint? CentreLocation,
    [property: Id(4)] decimal AreaM2,
    [property: Id(5)] int WalkMinutes) : Contribution(Id, Version, Removed);

public static partial class Registers
{
    /// <summary>The longest walk a circle is drawn by: beyond an hour it is no neighbourhood.</summary>
    public const int MaxWalkMinutes = 60;

    public static readonly Register<CircleProfile> Circles = new()
    {
        Kind = EntityKind.Circle,
        Route = "circles",
        IdField = "circleId",
        Noun = new("活动圈", "activity circle"),
        Grain = typeof(ICircleGrain),
        Contribution = typeof(CircleContribution),
        IdOf = p => p.CircleId,
        WithId = (p, id) => p with { CircleId = id },
        Validate = CircleRules,
        Contribute = (id, p, version) => p is null
            ? new CircleContribution(id, version, true, "", "", null, null, 0, Geo.DefaultWalkMinutes)
            : new CircleContribution(id, version, false, p.Name, p.CentreCreditCode, p.OrganisationId, p.ActivityCentre.Location, p.ActivityCentre.AreaM2, p.WalkMinutes),
        Links =
        [
            new("centreCreditCode", EntityKind.Enterprise, c => Ci(c).CentreCreditCode),
            new("organisationId", EntityKind.Organisation, c => Ci(c).OrganisationId),
        ],
        Filters = [new("creditCode", c => Ci(c).CentreCreditCode)],
        NameOf = c => Ci(c).Name,
        Reusing = (next, previous) => next with
        {
            CircleId = previous.CircleId,
            Name = Reuse(next.Name, previous.Name),
            CentreCreditCode = Reuse(next.CentreCreditCode, previous.CentreCreditCode),
            ActivityCentre = Reuse(next.ActivityCentre, previous.ActivityCentre),
            OrganisationId = Reuse(next.OrganisationId, previous.OrganisationId),
        },
        Columns =
        [
            new("circleId", "活动圈编号", "1–40 位字母、数字、- 或 _") { Aliases = ["编号"] },
            new("name", "活动圈名称", "最多 100 字"),
            new("centreCreditCode", "中心企业统一社会信用代码", "活动圈所围绕的企业") { Aliases = ["中心企业信用代码"] },
            new("activityCentre.name", "党群活动中心名称", "最多 100 字") { Aliases = ["活动中心"] },
            Column.Of(CellKind.Number, "activityCentre.areaM2", "活动中心面积（平方米）", "可含小数"),
            Column.Of(CellKind.Number, "activityCentre.location.lat", "活动中心纬度", "WGS-84；空则以中心企业位置为准"),
            Column.Of(CellKind.Number, "activityCentre.location.lon", "活动中心经度", "WGS-84；空则以中心企业位置为准"),
            new("organisationId", "区域党组织编号", "如区域党总支；可空"),
            Column.Of(CellKind.Integer, "walkMinutes", "步行分钟数", $"1–{MaxWalkMinutes}，默认 {Geo.DefaultWalkMinutes}"),
        ],
    };

    private static CircleContribution Ci(Contribution c) => (CircleContribution)c;

    private static Validation CircleRules(CircleProfile p, DateOnly today)
    {
        var v = new Validation();
        v.Identifier("circleId", p.CircleId);
        v.Text("name", p.Name, 100);
        if (Rules.CreditCode.Check(p.CentreCreditCode) is { } why) v.Add("centreCreditCode", why);
        if (p.ActivityCentre is { } centre)
        {
            v.Text("activityCentre.name", centre.Name, 100);
            if (centre.AreaM2 is < 0 or > MaxPremisesArea)
                v.Add("activityCentre.areaM2", $"须在 0 到 {MaxPremisesArea} 平方米之间", $"must be between 0 and {MaxPremisesArea} square metres");
            Geo.Check(v, "activityCentre.location", centre.Location);
        }
        else v.Add("activityCentre", Validation.Required);
        v.Identifier("organisationId", p.OrganisationId, required: false);
        if (p.WalkMinutes is < 1 or > MaxWalkMinutes)
            v.Add("walkMinutes", $"须在 1 到 {MaxWalkMinutes} 分钟之间", $"must be 1 to {MaxWalkMinutes} minutes");
        return v;
    }
}
