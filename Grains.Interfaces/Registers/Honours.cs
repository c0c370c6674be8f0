using System.Text.Json.Serialization;
using Beacon.Rules;

namespace Beacon;

/// <summary>示范点, 典型, 先锋号 (an organisation's or a post's), 和谐企业.</summary>
public enum HonourKind { DemonstrationSite, Exemplar, PioneerOrganisation, PioneerPost, HarmoniousEnterprise }

/// <summary>
/// One honour awarded in a year by a body (县委, 市委组织部 …): to an enterprise, to an organisation, or to a person
/// (an exemplar may name neither). The name is what was honoured, as the award reads.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record HonourProfile(
    [property: Id(0)] string HonourId,
    [property: Id(1), JsonRequired] string Name,
    [property: Id(2), JsonRequired] HonourKind Kind,
    [property: Id(3), JsonRequired] int Year,
    [property: Id(4), JsonRequired] string AwardedBy,
    [property: Id(5)] string? CreditCode = null,
    [property: Id(6)] string? OrganisationId = null);

[GenerateSerializer, Immutable]
public sealed record HonourContribution(
    string Id, long Version, bool Removed,
    [property: Id(0)] string Name,
    [property: Id(1)] HonourKind Kind,
    [property: Id(2)] int Year,
    [property: Id(3)] string? CreditCode,
    [property: Id(4)] string? OrganisationId) : Contribution(Id, Version, Removed);

public static partial class Registers
{
    public static readonly Register<HonourProfile> Honours = new()
    {
        Kind = EntityKind.Honour,
        Route = "honours",
        IdField = "honourId",
        Noun = new("荣誉", "honour"),
        Grain = typeof(IHonourGrain),
        Contribution = typeof(HonourContribution),
        IdOf = p => p.HonourId,
        WithId = (p, id) => p with { HonourId = id },
        Validate = HonourRules,
        Contribute = (id, p, version) => p is null
            ? new HonourContribution(id, version, true, "", HonourKind.DemonstrationSite, 0, null, null)
            : new HonourContribution(id, version, false, p.Name, p.Kind, p.Year, p.CreditCode, p.OrganisationId),
        // What was honoured stays while the honour is on the register: remove the honour first.
        Links =
        [
            new("creditCode", EntityKind.Enterprise, c => H(c).CreditCode),
            new("organisationId", EntityKind.Organisation, c => H(c).OrganisationId),
        ],
        Filters =
        [
            ListFilter.Choice<HonourKind>("kind", c => H(c).Kind),
            new("year", c => H(c).Year.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("creditCode", c => H(c).CreditCode),
            new("organisation", c => H(c).OrganisationId),
        ],
        NameOf = c => H(c).Name,
        Reusing = (next, previous) => next with
        {
            HonourId = previous.HonourId,
            Name = Reuse(next.Name, previous.Name),
            AwardedBy = Reuse(next.AwardedBy, previous.AwardedBy),
            CreditCode = Reuse(next.CreditCode, previous.CreditCode),
            OrganisationId = Reuse(next.OrganisationId, previous.OrganisationId),
        },
        Columns =
        [
            new("honourId", "荣誉编号", "1–40 位字母、数字、- 或 _") { Aliases = ["编号"] },
            new("name", "荣誉对象", "获表彰的单位、组织或个人，最多 200 字") { Aliases = ["表彰对象", "名称"] },
            Column.Choice<HonourKind>("kind", "荣誉类别", "示范点、典型、先锋党组织、先锋岗或和谐企业",
                "示范点", "典型", "先锋党组织", "先锋岗", "和谐企业"),
            Column.Of(CellKind.Integer, "year", "授予年度", "如 2026") with { Aliases = ["年度", "表彰年度"] },
            new("awardedBy", "授予单位", "最多 100 字") { Aliases = ["表彰单位", "命名单位"] },
            new("creditCode", "统一社会信用代码", "获表彰企业，可空") { Aliases = ["社会信用代码", "信用代码"] },
            new("organisationId", "党组织编号", "获表彰党组织，可空"),
        ],
    };

    private static HonourContribution H(Contribution c) => (HonourContribution)c;

    private static Validation HonourRules(HonourProfile p, DateOnly today)
    {
        var v = new Validation();
        v.Identifier("honourId", p.HonourId);
        v.Text("name", p.Name, 200);
        v.Defined("kind", p.Kind);
        v.Between("year", p.Year, Validation.Earliest.Year, today.Year);
        v.Text("awardedBy", p.AwardedBy, 100);
        if (p.CreditCode is not null && Rules.CreditCode.Check(p.CreditCode) is { } why) v.Add("creditCode", why);
        v.Identifier("organisationId", p.OrganisationId, required: false);
        // A pioneer organisation is an organisation of the register; a site, a post or a harmonious enterprise is in an enterprise or an organisation.
        if (p.Kind == HonourKind.PioneerOrganisation && p.OrganisationId is null)
            v.Add("organisationId", "先锋党组织须填写党组织编号", "a pioneer organisation names its organisation");
        else if (p.Kind is HonourKind.DemonstrationSite or HonourKind.PioneerPost or HonourKind.HarmoniousEnterprise
                 && p.CreditCode is null && p.OrganisationId is null)
            v.Add("creditCode", "须填写所在企业（creditCode）或党组织（organisationId）", "names its enterprise (creditCode) or organisation (organisationId)");
        return v;
    }
}
