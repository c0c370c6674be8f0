using System.Text.Json.Serialization;
using Beacon.Rules;

namespace Beacon;

public enum EnterpriseKind { Enterprise, SocialOrganisation }

/// <summary>组建方式: how the enterprise is covered by a party organisation.</summary>
public enum FormationMode { None, Standalone, Joint, Affiliated }

/// <summary>How the enterprise is covered, and by which organisation of the county's register.</summary>
[GenerateSerializer, Immutable]
public sealed record PartyOrganisation(
    [property: Id(0), JsonRequired] FormationMode Mode,
    [property: Id(1)] string? OrganisationId = null);

[GenerateSerializer, Immutable]
public sealed record GeoPoint([property: Id(0), JsonRequired] double Lat, [property: Id(1), JsonRequired] double Lon);

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
    [property: Id(17)] int ResponsibilityZones = 0,
    [property: Id(18)] bool Union = false,
    [property: Id(19)] bool YouthLeague = false);

/// <summary>What an enterprise adds to its county: the figures it counts towards and what it refers to.</summary>
[GenerateSerializer, Immutable]
public sealed record EnterpriseContribution(
    string Id, long Version, bool Removed,
    [property: Id(0)] string Name,
    [property: Id(1)] EnterpriseKind Kind,
    [property: Id(2)] bool InBase,
    [property: Id(3)] FormationMode Mode,
    [property: Id(4)] string? OrganisationId,
    [property: Id(5)] int PartyMembers,
    [property: Id(6)] int Employees,
    [property: Id(7)] string? StationId,
    [property: Id(8)] string? GroupId,
    [property: Id(9)] string? InstructorId,
    [property: Id(10)] string? Township,
    [property: Id(11)] bool BasicArchive,
    [property: Id(12)] bool FeaturedArchive,
    [property: Id(13)] bool Union = false,
    [property: Id(14)] bool YouthLeague = false,
    [property: Id(15)] GeoPoint? Location = null) : Contribution(Id, Version, Removed);

public static partial class Registers
{
    /// <summary>More people than the largest private employers have; anything above is a typing error.</summary>
    public const int MaxEmployees = 1_000_000;

    /// <summary>A party branch is set up where an enterprise has three full members (党章 第三十条).</summary>
    public const int MinStandaloneMembers = 3;

    public static readonly Register<EnterpriseProfile> Enterprises = new()
    {
        Kind = EntityKind.Enterprise,
        Route = "enterprises",
        IdField = "creditCode",
        Noun = new("企业", "enterprise"),
        Grain = typeof(IEnterpriseGrain),
        Contribution = typeof(EnterpriseContribution),
        IdOf = p => p.CreditCode,
        WithId = (p, id) => p with { CreditCode = id },
        Validate = EnterpriseRules,
        Contribute = (id, p, version) => p is null
            ? new EnterpriseContribution(id, version, true, "", EnterpriseKind.Enterprise, false, FormationMode.None, null, 0, 0, null, null, null, null, false, false)
            : new EnterpriseContribution(id, version, false, p.Name, p.Kind, p.InBase, p.Organisation.Mode, p.Organisation.OrganisationId,
                p.PartyMembers, p.Employees, p.StationId, p.GroupId, p.InstructorId, p.Township, p.Archive?.Basic ?? false, p.Archive?.Featured ?? false,
                p.Union, p.YouthLeague, p.Location),
        Links =
        [
            new("stationId", EntityKind.Station, c => E(c).StationId),
            new("groupId", EntityKind.Group, c => E(c).GroupId) { Within = "stationId" },
            new("instructorId", EntityKind.Instructor, c => E(c).InstructorId),
            new("organisation.organisationId", EntityKind.Organisation, c => E(c).OrganisationId) { Accepts = CoveredBy },
        ],
        // A standalone organisation is the enterprise's own: no second enterprise is standalone under it.
        Claims = c => E(c) is { Mode: FormationMode.Standalone, OrganisationId: { } organisation }
            ? [new Claim("organisation.organisationId", organisation)]
            : [],
        Filters =
        [
            new("station", c => E(c).StationId),
            new("group", c => E(c).GroupId),
            new("instructor", c => E(c).InstructorId),
            new("organisation", c => E(c).OrganisationId),
            new("township", c => E(c).Township),
            ListFilter.Choice<FormationMode>("mode", c => E(c).Mode),
            ListFilter.Choice<EnterpriseKind>("kind", c => E(c).Kind),
            ListFilter.Flag("inBase", c => E(c).InBase),
        ],
        StationOf = c => E(c).StationId,
        NameOf = c => E(c).Name,
        Reusing = (next, previous) => next with
        {
            CreditCode = previous.CreditCode,
            Name = Reuse(next.Name, previous.Name),
            Industry = Reuse(next.Industry, previous.Industry),
            ExclusionReason = Reuse(next.ExclusionReason, previous.ExclusionReason),
            Organisation = Reuse(next.Organisation, previous.Organisation),
            StationId = Reuse(next.StationId, previous.StationId),
            GroupId = Reuse(next.GroupId, previous.GroupId),
            InstructorId = Reuse(next.InstructorId, previous.InstructorId),
            Location = Reuse(next.Location, previous.Location),
            Township = Reuse(next.Township, previous.Township),
            Archive = Reuse(next.Archive, previous.Archive),
        },
        Columns =
        [
            new("creditCode", "统一社会信用代码", "18 位，含校验码") { Aliases = ["社会信用代码", "信用代码"] },
            new("name", "单位名称", "最多 200 字") { Aliases = ["企业名称", "单位全称", "名称"] },
            Column.Choice<EnterpriseKind>("kind", "单位类型", "企业或社会组织", "企业", "社会组织"),
            new("industry", "所属行业", "可空"),
            Column.Of(CellKind.YesNo, "aboveDesignatedSize", "规模以上", "是 / 否") with { Aliases = ["是否规模以上"] },
            Column.Of(CellKind.Integer, "employees", "在岗职工人数", "整数") with { Aliases = ["从业人员数", "职工人数", "从业人员"] },
            Column.Of(CellKind.Integer, "partyMembers", "党员人数", "整数，不超过职工人数") with { Aliases = ["党员数", "正式党员人数"] },
            Column.Of(CellKind.YesNo, "inBase", "在册运营", "是 / 否；否则须填退出原因"),
            new("exclusionReason", "退出原因", "注销、空壳、迁出等"),
            Column.Choice<FormationMode>("organisation.mode", "组建方式", "未组建、单独组建、联合组建或挂靠组建", "未组建", "单独组建", "联合组建", "挂靠组建"),
            new("organisation.organisationId", "党组织编号", "本县党组织名录中的编号"),
            new("stationId", "指导站编号", "可空"),
            new("groupId", "指导组编号", "须属于所填指导站"),
            new("instructorId", "指导员编号", "可空"),
            new("township", "所在乡镇（街道）", "可空") { Aliases = ["所在乡镇", "乡镇（街道）", "乡镇"] },
            Column.Of(CellKind.Number, "location.lat", "纬度", "WGS-84"),
            Column.Of(CellKind.Number, "location.lon", "经度", "WGS-84"),
            Column.Of(CellKind.YesNo, "archive.basic", "基本档案", "是 / 否"),
            Column.Of(CellKind.YesNo, "archive.featured", "特色档案", "是 / 否；须先有基本档案"),
            Column.Of(CellKind.Integer, "demonstrationPosts", "党员示范岗", "个数"),
            Column.Of(CellKind.Integer, "responsibilityZones", "党员责任区", "个数"),
            Column.Of(CellKind.YesNo, "union", "建立工会", "是 / 否") with { Aliases = ["是否建立工会", "工会组织"] },
            Column.Of(CellKind.YesNo, "youthLeague", "建立共青团组织", "是 / 否") with { Aliases = ["是否建立团组织", "团组织", "共青团组织"] },
        ],
    };

    private static EnterpriseContribution E(Contribution c) => (EnterpriseContribution)c;

    /// <summary>How an enterprise is covered decides which organisations may cover it.</summary>
    private static Said? CoveredBy(Contribution referrer, Contribution target) => (E(referrer).Mode, ((OrganisationContribution)target).Host) switch
    {
        (FormationMode.Standalone, not OrganisationHost.Enterprise) =>
            new("单独组建的企业须属于由其自身组建（host 为 enterprise）的党组织", "a standalone enterprise belongs to an organisation it hosts itself (host enterprise)"),
        (FormationMode.Joint, OrganisationHost.Enterprise or OrganisationHost.Station) =>
            new("联合组建的企业须属于联合、商会、园区或区域党组织", "a joint enterprise belongs to a joint, chamber, park or region organisation"),
        _ => null,
    };

    private static Validation EnterpriseRules(EnterpriseProfile p, DateOnly today)
    {
        var v = new Validation();
        if (CreditCode.Check(p.CreditCode) is { } why) v.Add("creditCode", why);
        v.Text("name", p.Name, 200);
        v.Text("industry", p.Industry, 100, required: false);
        v.Text("township", p.Township, 50, required: false);
        v.Defined("kind", p.Kind);
        v.Count("employees", p.Employees, MaxEmployees);
        v.Count("partyMembers", p.PartyMembers, MaxEmployees);
        if (p.PartyMembers > p.Employees && p.Employees >= 0)
            v.Add("partyMembers", $"不能超过职工人数（{p.Employees}）", $"must not exceed employees ({p.Employees})");
        v.Count("demonstrationPosts", p.DemonstrationPosts, 10_000);
        v.Count("responsibilityZones", p.ResponsibilityZones, 10_000);

        if (p.Organisation is null) v.Add("organisation", Validation.Required);
        else
        {
            var mode = p.Organisation.Mode;
            v.Defined("organisation.mode", mode);
            if (mode == FormationMode.Standalone && p.PartyMembers < MinStandaloneMembers)
                v.Add("organisation.mode",
                    $"单独组建须有至少 {MinStandaloneMembers} 名党员，本企业有 {p.PartyMembers} 名",
                    $"a standalone organisation needs at least {MinStandaloneMembers} party members, this enterprise has {p.PartyMembers}");
            if (mode is FormationMode.Joint or FormationMode.Affiliated)
                v.Identifier("organisation.organisationId", p.Organisation.OrganisationId);
            else if (mode == FormationMode.Standalone)
                v.Identifier("organisation.organisationId", p.Organisation.OrganisationId, required: false);
            else if (p.Organisation.OrganisationId is not null)
                v.Add("organisation.organisationId", "未组建党组织时须为空", "must be empty when there is no organisation");
        }

        if (p.InBase && !string.IsNullOrEmpty(p.ExclusionReason))
            v.Add("exclusionReason", "在册运营的企业不填退出原因", "must be empty for an enterprise in the base");
        v.Text("exclusionReason", p.ExclusionReason, 200, required: !p.InBase);

        v.Identifier("stationId", p.StationId, required: false);
        v.Identifier("groupId", p.GroupId, required: false);
        v.Identifier("instructorId", p.InstructorId, required: false);
        Geo.Check(v, "location", p.Location);
        if (p.Archive is { Featured: true, Basic: false })
            v.Add("archive.featured", "须先建立基本档案", "a featured archive needs a basic archive first");
        return v;
    }
}
