using System.Text.Json.Serialization;
using Beacon.Rules;

namespace Beacon;

public enum Gender { Female, Male }

/// <summary>Where an applicant stands on the path: 入党申请人, 积极分子, 发展对象, 预备党员, 正式党员, or withdrawn.</summary>
public enum ApplicantStage { Applicant, Activist, Candidate, Probationary, Full, Withdrawn }

/// <summary>
/// A person on the way to membership (发展党员), developed by an organisation of the county: an enterprise's, or a
/// station's branch (六安 takes applications through its station branches). The dates are the steps taken; the rules
/// they keep are <see cref="Development"/>'s. The station is the one that hosts the applicant: whose staff keep and
/// see the record (names and birth years are personal, <see cref="Register.Personal"/>); it must be the developing
/// organisation's station where that organisation has one.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ApplicantProfile(
    [property: Id(0)] string ApplicantId,
    [property: Id(1), JsonRequired] string Name,
    [property: Id(2), JsonRequired] Gender Gender,
    [property: Id(3), JsonRequired] int BirthYear,
    [property: Id(4), JsonRequired] string OrganisationId,
    [property: Id(5), JsonRequired] DateOnly AppliedOn,
    [property: Id(6)] string? CreditCode = null,
    [property: Id(7)] string? StationId = null,
    [property: Id(8)] DateOnly? TalkedOn = null,
    [property: Id(9)] DateOnly? ActivistOn = null,
    [property: Id(10)] DateOnly? CandidateOn = null,
    [property: Id(11)] DateOnly? ProbationaryOn = null,
    [property: Id(12)] int? ExtendedMonths = null,
    [property: Id(13)] DateOnly? FullOn = null,
    [property: Id(14)] DateOnly? WithdrawnOn = null);

/// <param name="Due">
/// The day the next step is due by (<see cref="Development.DueOn"/>), so that the county counts it overdue as the days
/// pass with no report.
/// </param>
[GenerateSerializer, Immutable]
public sealed record ApplicantContribution(
    string Id, long Version, bool Removed,
    [property: Id(0)] string Name,
    [property: Id(1)] string OrganisationId,
    [property: Id(2)] string? StationId,
    [property: Id(3)] string? CreditCode,
    [property: Id(4)] ApplicantStage Stage,
    [property: Id(5)] DateOnly? ProbationaryOn,
    [property: Id(6)] DateOnly? FullOn,
    [property: Id(7)] DateOnly? Due) : Contribution(Id, Version, Removed);

public static partial class Registers
{
    public static readonly Register<ApplicantProfile> Applicants = new()
    {
        Kind = EntityKind.Applicant,
        Route = "applicants",
        IdField = "applicantId",
        Noun = new("发展党员", "applicant"),
        Grain = typeof(IApplicantGrain),
        Contribution = typeof(ApplicantContribution),
        // Names and birth years: the county committee and the hosting station's staff only; overseers read the counts.
        Personal = true,
        IdOf = p => p.ApplicantId,
        WithId = (p, id) => p with { ApplicantId = id },
        Validate = ApplicantRules,
        Contribute = (id, p, version) => p is null
            ? new ApplicantContribution(id, version, true, "", "", null, null, ApplicantStage.Applicant, null, null, null)
            : new ApplicantContribution(id, version, false, p.Name, p.OrganisationId, p.StationId, p.CreditCode,
                Development.Stage(p), p.ProbationaryOn, p.FullOn, Development.DueOn(p)),
        Links =
        [
            new("stationId", EntityKind.Station, c => A(c).StationId),
            // The developing organisation's station, where it has one, is the applicant's: its staff keep the record.
            new("organisationId", EntityKind.Organisation, c => A(c).OrganisationId) { Within = "stationId", Accepts = HostedBy, Blocks = OnThePath },
            new("creditCode", EntityKind.Enterprise, c => A(c).CreditCode) { Blocks = OnThePath },
        ],
        Filters =
        [
            new("station", c => A(c).StationId),
            new("organisation", c => A(c).OrganisationId),
            new("creditCode", c => A(c).CreditCode),
            ListFilter.Choice<ApplicantStage>("stage", c => A(c).Stage),
        ],
        StationOf = c => A(c).StationId,
        NameOf = c => A(c).Name,
        Reusing = (next, previous) => next with
        {
            ApplicantId = previous.ApplicantId,
            Name = Reuse(next.Name, previous.Name),
            OrganisationId = Reuse(next.OrganisationId, previous.OrganisationId),
            CreditCode = Reuse(next.CreditCode, previous.CreditCode),
            StationId = Reuse(next.StationId, previous.StationId),
        },
        Columns =
        [
            new("applicantId", "编号", "1–40 位字母、数字、- 或 _") { Aliases = ["人员编号", "发展对象编号"] },
            new("name", "姓名", "最多 50 字"),
            Column.Choice<Gender>("gender", "性别", "女或男", "女", "男"),
            Column.Of(CellKind.Integer, "birthYear", "出生年份", "如 1995；申请时须年满 18 岁") with { Aliases = ["出生年"] },
            new("organisationId", "党组织编号", "本县党组织名录中的编号") { Aliases = ["发展党组织编号", "所在党组织编号"] },
            new("stationId", "指导站编号", "党组织属于指导站时必填"),
            new("creditCode", "统一社会信用代码", "所在企业，可空") { Aliases = ["社会信用代码", "信用代码"] },
            Column.Of(CellKind.Date, "appliedOn", "申请入党日期", "日期，如 2026-11-05") with { Aliases = ["递交入党申请书日期", "申请日期"] },
            Column.Of(CellKind.Date, "talkedOn", "谈话日期", "申请后 30 天内") with { Aliases = ["谈话时间", "派人谈话日期"] },
            Column.Of(CellKind.Date, "activistOn", "确定积极分子日期", "不早于谈话") with { Aliases = ["确定为入党积极分子日期", "列为入党积极分子时间"] },
            Column.Of(CellKind.Date, "candidateOn", "确定发展对象日期", "确定积极分子满 1 年后") with { Aliases = ["列为发展对象时间", "确定为发展对象日期"] },
            Column.Of(CellKind.Date, "probationaryOn", "接收预备党员日期", "不早于确定发展对象") with { Aliases = ["入党时间", "接收为预备党员日期", "支部大会通过日期"] },
            Column.Of(CellKind.Integer, "extendedMonths", "延长预备期（月）", "6–12，可空") with { Aliases = ["延长预备期", "延长预备期月数"] },
            Column.Of(CellKind.Date, "fullOn", "转正日期", "预备期（及延长期）满后") with { Aliases = ["转为正式党员日期", "转正时间"] },
            Column.Of(CellKind.Date, "withdrawnOn", "退出日期", "不再发展时填写") with { Aliases = ["终止发展日期"] },
        ],
    };

    private static ApplicantContribution A(Contribution c) => (ApplicantContribution)c;

    /// <summary>A person withdrawn or a full member no longer holds the organisation or enterprise they were developed in.</summary>
    private static bool OnThePath(Contribution c) => A(c).Stage is not (ApplicantStage.Withdrawn or ApplicantStage.Full);

    /// <summary>
    /// An organisation of a station (a station's branch, or one the station links) hosts its applicants there: the
    /// applicant must name that station, so that the station's staff, and no other's, keep and see the record. A name
    /// of another station is <see cref="Link.Within"/>'s to refuse.
    /// </summary>
    private static Said? HostedBy(Contribution applicant, Contribution organisation) =>
        ((OrganisationContribution)organisation).StationId is { } station && A(applicant).StationId is null
            ? new($"党组织属于指导站“{station}”：须填写指导站编号（stationId）“{station}”",
                $"the organisation belongs to station '{station}': stationId must be '{station}'")
            : null;

    private static Validation ApplicantRules(ApplicantProfile p, DateOnly today)
    {
        var v = new Validation();
        v.Identifier("applicantId", p.ApplicantId);
        v.Text("name", p.Name, 50);
        v.Identifier("organisationId", p.OrganisationId);
        v.Identifier("stationId", p.StationId, required: false);
        if (p.CreditCode is not null && Rules.CreditCode.Check(p.CreditCode) is { } why) v.Add("creditCode", why);
        Development.Check(v, p, today);
        return v;
    }
}
