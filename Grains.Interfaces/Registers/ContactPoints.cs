using System.Text.Json.Serialization;
using Beacon.Rules;

namespace Beacon;

/// <summary>
/// 领导干部联系点: a leading cadre's standing contact with an enterprise or an organisation of the county (鄞州 146),
/// since a day. Cadres' names and posts are public, as the county publishes them.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ContactPointProfile(
    [property: Id(0)] string ContactPointId,
    [property: Id(1), JsonRequired] string Cadre,
    [property: Id(2), JsonRequired] string Position,
    [property: Id(3), JsonRequired] DateOnly Since,
    [property: Id(4)] string? CreditCode = null,
    [property: Id(5)] string? OrganisationId = null);

[GenerateSerializer, Immutable]
public sealed record ContactPointContribution(
    string Id, long Version, bool Removed,
    [property: Id(0)] string Cadre,
    [property: Id(1)] string? CreditCode,
    [property: Id(2)] string? OrganisationId) : Contribution(Id, Version, Removed);

public static partial class Registers
{
    public static readonly Register<ContactPointProfile> ContactPoints = new()
    {
        Kind = EntityKind.ContactPoint,
        Route = "contactPoints",
        IdField = "contactPointId",
        Noun = new("联系点", "contact point"),
        Grain = typeof(IContactPointGrain),
        Contribution = typeof(ContactPointContribution),
        IdOf = p => p.ContactPointId,
        WithId = (p, id) => p with { ContactPointId = id },
        Validate = ContactPointRules,
        Contribute = (id, p, version) => p is null
            ? new ContactPointContribution(id, version, true, "", null, null)
            : new ContactPointContribution(id, version, false, p.Cadre, p.CreditCode, p.OrganisationId),
        Links =
        [
            new("creditCode", EntityKind.Enterprise, c => P(c).CreditCode),
            new("organisationId", EntityKind.Organisation, c => P(c).OrganisationId),
        ],
        Filters =
        [
            new("creditCode", c => P(c).CreditCode),
            new("organisation", c => P(c).OrganisationId),
        ],
        NameOf = c => P(c).Cadre,
        Reusing = (next, previous) => next with
        {
            ContactPointId = previous.ContactPointId,
            Cadre = Reuse(next.Cadre, previous.Cadre),
            Position = Reuse(next.Position, previous.Position),
            CreditCode = Reuse(next.CreditCode, previous.CreditCode),
            OrganisationId = Reuse(next.OrganisationId, previous.OrganisationId),
        },
        Columns =
        [
            new("contactPointId", "联系点编号", "1–40 位字母、数字、- 或 _") { Aliases = ["编号"] },
            new("cadre", "联系领导", "姓名，最多 50 字") { Aliases = ["领导干部", "联系领导姓名"] },
            new("position", "职务", "最多 100 字") { Aliases = ["领导职务"] },
            new("creditCode", "统一社会信用代码", "联系企业；与党组织编号至少填一项") { Aliases = ["社会信用代码", "信用代码"] },
            new("organisationId", "党组织编号", "联系党组织；与信用代码至少填一项"),
            Column.Of(CellKind.Date, "since", "建立联系日期", "日期，如 2026-11-05") with { Aliases = ["联系时间", "建立日期"] },
        ],
    };

    private static ContactPointContribution P(Contribution c) => (ContactPointContribution)c;

    private static Validation ContactPointRules(ContactPointProfile p, DateOnly today)
    {
        var v = new Validation();
        v.Identifier("contactPointId", p.ContactPointId);
        v.Text("cadre", p.Cadre, 50);
        v.Text("position", p.Position, 100);
        v.Date("since", p.Since, today);
        if (p.CreditCode is not null && Rules.CreditCode.Check(p.CreditCode) is { } why) v.Add("creditCode", why);
        v.Identifier("organisationId", p.OrganisationId, required: false);
        if (p.CreditCode is null && p.OrganisationId is null)
            v.Add("creditCode", "须填写联系的企业（creditCode）或党组织（organisationId）", "names the enterprise (creditCode) or organisation (organisationId) contacted");
        return v;
    }
}
