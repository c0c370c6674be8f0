using System.Text.Json.Serialization;
using Beacon.Rules;

namespace Beacon;

/// <summary>党委, 党总支, 党支部, 联合党支部.</summary>
public enum OrganisationKind { Committee, GeneralBranch, Branch, JointBranch }

/// <summary>
/// Who hosts an organisation: one enterprise (单独组建), several (联合), a chamber of commerce (商会, 鄞州), a park
/// (园区, 陇西 "1+4+N"), a region (区域型党总支, 陇西's circles) or a guidance station (指导站党支部, 六安).
/// </summary>
public enum OrganisationHost { Enterprise, Joint, Chamber, Park, Region, Station }

/// <summary>A party organisation of the county: where it sits in the tree, who leads it, and when its term ends.</summary>
[GenerateSerializer, Immutable]
public sealed record OrganisationProfile(
    [property: Id(0)] string OrganisationId,
    [property: Id(1), JsonRequired] string Name,
    [property: Id(2), JsonRequired] OrganisationKind Kind,
    [property: Id(3), JsonRequired] OrganisationHost Host,
    [property: Id(4)] string? ParentId = null,
    [property: Id(5)] string? StationId = null,
    [property: Id(6)] string? Secretary = null,
    [property: Id(7)] bool SecretaryIsOwner = false,
    [property: Id(8)] DateOnly? EstablishedOn = null,
    [property: Id(9)] DateOnly? TermStartedOn = null,
    [property: Id(10)] int TermYears = 3);

/// <summary>
/// The meetings of organisational life (组织生活): 三会一课 (支部委员会 committeeMeeting, 党小组会 groupMeeting,
/// 党员大会 memberAssembly, 党课 partyLecture), 主题党日 themedPartyDay and the yearly 组织生活会 lifeMeeting. How often
/// each is due is <see cref="Rules.OrganisationalLife"/>'s.
/// </summary>
public enum OrganisationMeetingKind { CommitteeMeeting, GroupMeeting, MemberAssembly, PartyLecture, ThemedPartyDay, LifeMeeting }

/// <summary>A meeting an organisation held: how many members were expected and how many came.</summary>
[GenerateSerializer, Immutable]
public sealed record OrganisationMeeting(
    [property: Id(0), JsonRequired] DateOnly Date,
    [property: Id(1), JsonRequired] OrganisationMeetingKind Kind,
    [property: Id(2), JsonRequired] int Expected,
    [property: Id(3), JsonRequired] int Attended,
    [property: Id(4), JsonRequired] string Topic);

/// <summary>An organisation's effectiveness as its county committee rates it each year: 好, 较好, 一般, 差.</summary>
public enum EvaluationRating { Good, FairlyGood, Average, Poor }

/// <summary>
/// The county committee's annual evaluation of an organisation's effectiveness (陇西's survey: 26% good, 62% fairly
/// good, 12% average). One per year; a second for the same year is its revision.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OrganisationEvaluation(
    [property: Id(0), JsonRequired] int Year,
    [property: Id(1), JsonRequired] EvaluationRating Rating,
    [property: Id(2)] string? Note = null)
{
    /// <summary>1 for the year's first evaluation, one more for each revision; set by the organisation, not the sender.</summary>
    [Id(3)] public int Revision { get; init; }
    [Id(4)] public DateTimeOffset? EvaluatedAt { get; init; }
    [Id(5)] public string? EvaluatedBy { get; init; }
}

/// <summary>
/// An organisation's meetings, newest first; its evaluations as they stand, newest year first; and the versions of
/// an evaluation that a revision replaced, newest first.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OrganisationActivity(
    [property: Id(0)] OrganisationMeeting[] Meetings,
    [property: Id(1)] OrganisationEvaluation[]? Evaluations = null,
    [property: Id(2)] OrganisationEvaluation[]? EvaluationRevisions = null);

/// <summary>
/// The kinds of meeting an organisation held in one month (<see cref="Rules.OrganisationalLife.MonthIndex(int, int)"/>),
/// one bit per <see cref="OrganisationMeetingKind"/>: what its county needs to tell, for any month, whether it held
/// every meeting due.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record HeldMonth([property: Id(0)] int Month, [property: Id(1)] int Kinds);

/// <param name="ExistsSince">
/// Since when the organisation counts for organisational life: its <c>establishedOn</c>, or the day it entered the
/// register; null for one stored before Beacon kept that day, which counts for every month.
/// </param>
/// <param name="EvaluatedYear">
/// The latest year the organisation was evaluated, and its rating then (<see cref="Evaluation"/>): all the county's
/// figure needs, since it is about the latest year any organisation was evaluated, and one evaluated that year has it
/// as its own latest.
/// </param>
/// <param name="Held">
/// The kinds held per month, oldest first, over the months its county may still ask about
/// (<see cref="Rules.OrganisationalLife.Kept"/>); null in a contribution from before meetings were kept.
/// </param>
[GenerateSerializer, Immutable]
public sealed record OrganisationContribution(
    string Id, long Version, bool Removed,
    [property: Id(0)] string Name,
    [property: Id(1)] OrganisationKind Kind,
    [property: Id(2)] OrganisationHost Host,
    [property: Id(3)] string? ParentId,
    [property: Id(4)] string? StationId,
    [property: Id(5)] DateOnly? TermEndsOn,
    [property: Id(6)] DateOnly? ExistsSince = null,
    [property: Id(7)] HeldMonth[]? Held = null,
    [property: Id(8)] int? EvaluatedYear = null,
    [property: Id(9)] EvaluationRating? Evaluation = null) : Contribution(Id, Version, Removed)
{
    // Records compare arrays by reference; the reconcile must see two reports of the same meetings as the same report.
    public bool Equals(OrganisationContribution? other) =>
        other is not null && base.Equals(other) && Name == other.Name && Kind == other.Kind && Host == other.Host &&
        ParentId == other.ParentId && StationId == other.StationId && TermEndsOn == other.TermEndsOn &&
        ExistsSince == other.ExistsSince && (Held ?? []).AsSpan().SequenceEqual(other.Held ?? []) &&
        EvaluatedYear == other.EvaluatedYear && Evaluation == other.Evaluation;

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Name, ParentId, StationId, TermEndsOn, ExistsSince, Held?.Length ?? 0);
}

public static partial class Registers
{
    /// <summary>
    /// 基层党委 serve five years, 总支 and 支部 three (《中国共产党支部工作条例》); a county may have set others, so
    /// anything from one to five is taken.
    /// </summary>
    public const int MaxTermYears = 5;

    /// <summary>An organisation of today's registers set up before the People's Republic is a typing error.</summary>
    public static readonly DateOnly EarliestEstablished = new(1949, 10, 1);

    public static readonly Register<OrganisationProfile> Organisations = new()
    {
        Kind = EntityKind.Organisation,
        Route = "organisations",
        IdField = "organisationId",
        Noun = new("党组织", "organisation"),
        Grain = typeof(IOrganisationGrain),
        Contribution = typeof(OrganisationContribution),
        IdOf = p => p.OrganisationId,
        WithId = (p, id) => p with { OrganisationId = id },
        Validate = OrganisationRules,
        Contribute = (id, p, version) => new OrganisationContribution(id, version, p is null, p?.Name ?? "",
            p?.Kind ?? OrganisationKind.Branch, p?.Host ?? OrganisationHost.Enterprise, p?.ParentId, p?.StationId,
            p?.TermStartedOn?.AddYears(p.TermYears), p?.EstablishedOn),
        Links =
        [
            new("parentId", EntityKind.Organisation, c => O(c).ParentId) { Tree = true, Accepts = ParentOf },
            new("stationId", EntityKind.Station, c => O(c).StationId),
        ],
        Filters =
        [
            ListFilter.Choice<OrganisationKind>("kind", c => O(c).Kind),
            ListFilter.Choice<OrganisationHost>("host", c => O(c).Host),
            new("parent", c => O(c).ParentId),
            new("station", c => O(c).StationId),
        ],
        StationOf = c => O(c).StationId,
        NameOf = c => O(c).Name,
        Counted = [("enterprises", EntityKind.Enterprise), ("organisations", EntityKind.Organisation)],
        Reusing = (next, previous) => next with
        {
            OrganisationId = previous.OrganisationId,
            Name = Reuse(next.Name, previous.Name),
            ParentId = Reuse(next.ParentId, previous.ParentId),
            StationId = Reuse(next.StationId, previous.StationId),
            Secretary = Reuse(next.Secretary, previous.Secretary),
        },
        Columns =
        [
            new("organisationId", "党组织编号", "1–40 位字母、数字、- 或 _") { Aliases = ["组织编号", "党组织代码"] },
            new("name", "党组织名称", "最多 200 字") { Aliases = ["组织名称", "党组织全称"] },
            Column.Choice<OrganisationKind>("kind", "组织类别", "党委、党总支、党支部或联合党支部", "党委", "党总支", "党支部", "联合党支部"),
            Column.Choice<OrganisationHost>("host", "组建形式", "单独组建、联合组建、商会、园区、区域或指导站", "单独组建", "联合组建", "商会", "园区", "区域", "指导站"),
            new("parentId", "上级党组织编号", "须为本县党委或党总支") { Aliases = ["上级组织编号"] },
            new("stationId", "指导站编号", "指导站党支部必填"),
            new("secretary", "书记", "可空"),
            Column.Of(CellKind.YesNo, "secretaryIsOwner", "书记由出资人担任（一肩挑）", "是 / 否"),
            Column.Of(CellKind.Date, "establishedOn", "成立日期", "日期，如 2026-11-05"),
            Column.Of(CellKind.Date, "termStartedOn", "本届任期开始", "日期，如 2026-11-05"),
            Column.Of(CellKind.Integer, "termYears", "任期（年）", "1–5"),
        ],
    };

    private static OrganisationContribution O(Contribution c) => (OrganisationContribution)c;

    /// <summary>Only a committee or a general branch has organisations under it.</summary>
    private static Said? ParentOf(Contribution child, Contribution parent) =>
        O(parent).Kind is OrganisationKind.Committee or OrganisationKind.GeneralBranch
            ? null
            : new("上级党组织须为党委或党总支", "the parent must be a committee or a general branch");

    private static Validation OrganisationRules(OrganisationProfile p, DateOnly today)
    {
        var v = new Validation();
        v.Identifier("organisationId", p.OrganisationId);
        v.Text("name", p.Name, 200);
        v.Defined("kind", p.Kind);
        v.Defined("host", p.Host);
        v.Identifier("parentId", p.ParentId, required: false);
        if (p.ParentId is not null && p.ParentId == p.OrganisationId)
            v.Add("parentId", "不能是本组织自身", "must not be the organisation itself");
        v.Identifier("stationId", p.StationId, required: p.Host == OrganisationHost.Station);
        v.Text("secretary", p.Secretary, 50, required: p.SecretaryIsOwner);
        if (p.TermYears is < 1 or > MaxTermYears) v.Add("termYears", $"须在 1 到 {MaxTermYears} 之间", $"must be between 1 and {MaxTermYears}");
        if (p.EstablishedOn is { } established)
        {
            if (established < EarliestEstablished) v.Add("establishedOn", $"不能早于 {EarliestEstablished:yyyy-MM-dd}", $"must not be before {EarliestEstablished:yyyy-MM-dd}");
            else if (established > today) v.Add("establishedOn", "不能晚于今天", "must not be in the future");
        }
        if (p.TermStartedOn is { } started)
        {
            if (started < EarliestEstablished) v.Add("termStartedOn", $"不能早于 {EarliestEstablished:yyyy-MM-dd}", $"must not be before {EarliestEstablished:yyyy-MM-dd}");
            else if (started > today) v.Add("termStartedOn", "不能晚于今天", "must not be in the future");
            else if (p.EstablishedOn is { } e && started < e) v.Add("termStartedOn", "不能早于成立日期", "must not be before the organisation was established");
        }
        return v;
    }
}
