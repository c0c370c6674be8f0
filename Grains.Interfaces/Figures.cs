using System.Text.Json;
using System.Text.Json.Nodes;

namespace Beacon;

public enum Better { Higher, Lower, Neither }

/// <summary>How a figure's value reads: a whole count, a rate (a fraction, with its numerator and denominator), or a decimal.</summary>
public enum FigureFormat { Count, Rate, Decimal }

/// <summary>
/// One figure of the catalogue: its key, its label, where its value, numerator, denominator and target stand in a
/// county summary's JSON (dotted camelCase paths), its format and which way is better. Paths, not code, so that the
/// pages read the same entries as the exports and the reconcile (<see cref="FigureCatalogue.Read"/>).
/// </summary>
public sealed record Figure(string Key, Said Label, string Value, FigureFormat Format = FigureFormat.Count, Better Better = Better.Neither)
{
    public string? Numerator { get; init; }
    public Said? NumeratorLabel { get; init; }
    public string? Denominator { get; init; }
    public Said? DenominatorLabel { get; init; }
    public string? Target { get; init; }
}

/// <summary>One figure read out of a summary.</summary>
public sealed record FigureValue(Figure Figure, double? Value, double? Numerator, double? Denominator, double? Target);

/// <summary>
/// Every figure Beacon shows, named once. The county summary carries each (a test walks this list and finds each one
/// in a summary, the exports and the reconcile report); the comparison table, the exports, the screens and the
/// reconcile report read this list rather than naming figures of their own.
/// </summary>
public static class FigureCatalogue
{
    private static Figure Rate(string key, string zh, string en, string value, string numerator, string numeratorZh, string numeratorEn,
        string denominator, string denominatorZh, string denominatorEn, Better better = Better.Higher) =>
        new(key, new(zh, en), value, FigureFormat.Rate, better)
        {
            Numerator = numerator, NumeratorLabel = new(numeratorZh, numeratorEn),
            Denominator = denominator, DenominatorLabel = new(denominatorZh, denominatorEn),
        };

    private static Figure Count(string key, string zh, string en, string value, Better better = Better.Neither) => new(key, new(zh, en), value, FigureFormat.Count, better);

    private static readonly Said Base = new("在册运营企业（基数）", "Enterprises in the base");

    public static readonly IReadOnlyList<Figure> All =
    [
        Count("registered", "在册企业", "Registered enterprises", "registered"),
        Count("base", Base.Zh, Base.En, "base"),
        Rate("orgCoverage", "党的组织覆盖率（组建率）", "Organisation coverage", "orgCoverage",
            "orgCovered", "党组织覆盖企业", "Enterprises with an organisation", "base", Base.Zh, Base.En),
        Rate("standaloneRate", "单独组建率", "Standalone rate", "standaloneRate",
            "standalone", "单独组建企业", "Standalone enterprises", "base", Base.Zh, Base.En),
        Count("joint", "联合组建企业", "Jointly covered enterprises", "joint"),
        Count("affiliated", "挂靠组建企业", "Affiliated enterprises", "affiliated"),
        Rate("workCoverage", "党的工作覆盖率", "Work coverage", "workCoverage",
            "workCovered", "党的工作覆盖企业", "Enterprises with party work", "base", Base.Zh, Base.En),
        Rate("membersShare", "党员占从业人员比例", "Members among employees", "membersShare",
            "partyMembers", "党员", "Party members", "employees", "从业人员", "Employees"),
        Rate("linkage", "指导站联系率（全县）", "Station linkage (county)", "linkage.rate",
            "linkage.linked", "指导站联系企业", "Enterprises linked by a station", "linkage.area", Base.Zh, Base.En) with { Target = "linkage.target" },
        Count("stations", "指导站", "Stations", "stations"),
        new("stationsMeetingTarget", new("联系率达标指导站", "Stations meeting the target"), "stationsMeetingTarget", FigureFormat.Count, Better.Higher)
            { Denominator = "stations", DenominatorLabel = new("指导站", "Stations") },
        Count("groups", "指导组", "Groups", "groups"),
        new("groupsBelowStrength", new("专职不足2人的指导组", "Groups below 2 full-time"), "instructors.groupsBelowStrength", FigureFormat.Count, Better.Lower)
            { Denominator = "groups", DenominatorLabel = new("指导组", "Groups") },
        Count("instructorsFullTime", "专职指导员", "Full-time instructors", "instructors.fullTime"),
        Count("instructorsPartTime", "兼职指导员", "Part-time instructors", "instructors.partTime"),
        Count("enterprisesGuided", "指导员联系企业", "Enterprises with an instructor", "instructors.enterprisesGuided"),
        new("enterprisesPerInstructor", new("人均联系企业", "Enterprises per instructor"), "instructors.enterprisesPerInstructor", FigureFormat.Decimal)
        {
            Numerator = "instructors.enterprisesGuided", NumeratorLabel = new("指导员联系企业", "Enterprises with an instructor"),
            Denominator = "instructors.total", DenominatorLabel = new("指导员", "Instructors"),
        },
        new("fullTimeBelowDutyDays", new("每周在岗不足3天的专职指导员", "Full-time instructors on duty under 3 days a week"),
            "instructors.fullTimeBelowDutyDays", FigureFormat.Count, Better.Lower)
            { Denominator = "instructors.fullTime", DenominatorLabel = new("专职指导员", "Full-time instructors") },
        Count("issuesRaised", "累计受理问题", "Issues raised", "issues.raised"),
        Count("issuesOpen", "待解决问题", "Issues open", "issues.open", Better.Lower),
        Count("issuesEscalated", "已上报县委问题", "Issues escalated", "issues.escalated"),
        Count("issuesResolved", "已解决问题", "Issues resolved", "issues.resolved"),
        new("issuesOverdue", new("超期问题", "Issues overdue"), "issues.overdue", FigureFormat.Count, Better.Lower)
            { Denominator = "issues.open", DenominatorLabel = new("待解决问题", "Issues open") },
        Rate("resolutionRate", "问题解决率", "Resolution rate", "issues.resolutionRate",
            "issues.resolved", "已解决问题", "Issues resolved", "issues.raised", "累计受理问题", "Issues raised"),
        new("medianDaysToResolve", new("解决天数中位数", "Median days to resolve"), "issues.medianDaysToResolve", FigureFormat.Decimal, Better.Lower),
        Rate("basicArchives", "基本档案建档率", "Basic archives", "archives.basicRate",
            "archives.basic", "建立基本档案企业", "Enterprises with a basic archive", "base", Base.Zh, Base.En),
        Rate("featuredArchives", "特色档案建档率", "Featured archives", "archives.featuredRate",
            "archives.featured", "建立特色档案企业", "Enterprises with a featured archive", "base", Base.Zh, Base.En),
        Count("ratedExcellent", "考核优秀", "Rated excellent", "assessments.excellent"),
        Count("ratedCompetent", "考核称职", "Rated competent", "assessments.competent"),
        Count("ratedBasicallyCompetent", "考核基本称职", "Rated basically competent", "assessments.basicallyCompetent"),
        Count("ratedIncompetent", "考核不称职", "Rated incompetent", "assessments.incompetent", Better.Lower),
        Count("stationBranchMembers", "指导站党支部党员", "Members in station branches", "stationBranchMembers"),
        new("surfacedMembers", new("亮明身份的口袋党员", "Hidden members who showed themselves"), "stationBranchSurfaced", FigureFormat.Count, Better.Neither)
            { Denominator = "stationBranchMembers", DenominatorLabel = new("指导站党支部党员", "Members in station branches") },
        Count("organisations", "党组织", "Party organisations", "organisations.total"),
        Count("committees", "党委", "Committees", "organisations.byKind.committee"),
        Count("generalBranches", "党总支", "General branches", "organisations.byKind.generalBranch"),
        Count("branches", "党支部", "Branches", "organisations.byKind.branch"),
        Count("jointBranches", "联合党支部", "Joint branches", "organisations.byKind.jointBranch"),
        Count("hostedByEnterprises", "单独组建的党组织", "Organisations hosted by one enterprise", "organisations.byHost.enterprise"),
        Count("hostedJointly", "联合组建的党组织", "Joint organisations", "organisations.byHost.joint"),
        Count("hostedByChambers", "商会党组织", "Chamber organisations", "organisations.byHost.chamber"),
        Count("hostedByParks", "园区党组织", "Park organisations", "organisations.byHost.park"),
        Count("hostedByRegions", "区域党组织", "Regional organisations", "organisations.byHost.region"),
        Count("hostedByStations", "指导站党支部", "Station branches", "organisations.byHost.station"),
        new("termsDue", new("90天内到期或已到期换届的党组织", "Organisations due for election within 90 days"), "organisations.termsDue", FigureFormat.Count, Better.Lower)
            { Denominator = "organisations.total", DenominatorLabel = new("党组织", "Party organisations") },
        Rate("orgLife", "组织生活达标率（上月）", "Organisational life (last month)", "orgLife.rate",
            "orgLife.compliant", "按规定开展组织生活的党组织", "Organisations that held every meeting due",
            "orgLife.organisations", "应开展组织生活的党组织", "Organisations due to hold them"),
        Count("developmentApplicants", "入党申请人", "Applicants", "development.applicants"),
        Count("developmentActivists", "入党积极分子", "Activists", "development.activists"),
        Count("developmentCandidates", "发展对象", "Candidates", "development.candidates"),
        Count("developmentProbationary", "预备党员", "Probationary members", "development.probationary"),
        Count("newProbationaryThisYear", "本年发展党员（接收预备党员）", "New probationary members this year", "development.newProbationaryThisYear", Better.Higher),
        Count("newFullThisYear", "本年预备党员转正", "New full members this year", "development.newFullThisYear", Better.Higher),
        Count("developmentOverdue", "发展党员超期未办步骤", "Development steps overdue", "development.overdue", Better.Lower),
        Rate("stationMeetings", "上月召开例会的指导站比例", "Stations that held last month's meeting", "stationWork.meetingRate",
            "stationWork.heldMeeting", "上月召开例会的指导站", "Stations that held their monthly meeting",
            "stationWork.stations", "指导站", "Stations"),
        Rate("stationReports", "上月报送月报的指导站比例", "Stations that sent last month's report", "stationWork.reportRate",
            "stationWork.sentReport", "报送上月月报的指导站", "Stations that sent their monthly report",
            "stationWork.stations", "指导站", "Stations"),
        new("stationsOutsideStrength", new("专职指导员不在6至10人的指导站", "Stations outside 6–10 full-time instructors"),
            "stationWork.outsideStrength", FigureFormat.Count, Better.Lower)
            { Denominator = "stations", DenominatorLabel = new("指导站", "Stations") },
        Rate("evaluationsGood", "党组织年度评定为“好”的比例", "Organisations rated good (latest year)", "evaluations.goodShare",
            "evaluations.good", "评定为“好”的党组织", "Organisations rated good",
            "evaluations.evaluated", "当年参加评定的党组织", "Organisations evaluated that year"),
        Count("evaluationsFairlyGood", "评定为“较好”的党组织", "Organisations rated fairly good", "evaluations.fairlyGood"),
        Count("evaluationsAverage", "评定为“一般”的党组织", "Organisations rated average", "evaluations.average"),
        Count("evaluationsPoor", "评定为“差”的党组织", "Organisations rated poor", "evaluations.poor", Better.Lower),
        Count("trainingSessions", "本年培训班次", "Training classes this year", "training.sessions", Better.Higher),
        Count("trainingAttendances", "本年培训人次", "Training attendances this year", "training.attendances", Better.Higher),
        Count("honours", "荣誉（示范点、典型、先锋、和谐企业）", "Honours", "honours.total", Better.Higher),
        Count("demonstrationSites", "示范点", "Demonstration sites", "honours.byKind.demonstrationSite", Better.Higher),
        Count("exemplars", "典型", "Exemplars", "honours.byKind.exemplar", Better.Higher),
        Count("pioneerOrganisations", "先锋党组织", "Pioneer organisations", "honours.byKind.pioneerOrganisation", Better.Higher),
        Count("pioneerPosts", "先锋岗", "Pioneer posts", "honours.byKind.pioneerPost", Better.Higher),
        Count("harmoniousEnterprises", "和谐企业", "Harmonious enterprises", "honours.byKind.harmoniousEnterprise", Better.Higher),
        Count("contactPoints", "领导干部联系点", "Leading cadres' contact points", "contactPoints", Better.Higher),
        Rate("unionRate", "建立工会的企业比例", "Enterprises with a union", "massOrganisations.unionRate",
            "massOrganisations.unions", "建立工会的企业", "Enterprises with a union", "base", Base.Zh, Base.En),
        Rate("youthLeagueRate", "建立共青团组织的企业比例", "Enterprises with a Youth League organisation", "massOrganisations.youthLeagueRate",
            "massOrganisations.youthLeague", "建立共青团组织的企业", "Enterprises with a Youth League organisation", "base", Base.Zh, Base.En),
        Count("circles", "一刻钟党建活动圈", "15-minute activity circles", "circles.circles", Better.Higher),
        Rate("circleShare", "活动圈覆盖企业比例", "Base enterprises within an activity circle", "circles.share",
            "circles.enterprisesWithin", "活动圈内的企业", "Enterprises within a circle", "base", Base.Zh, Base.En),
        Count("circleMembers", "活动圈内企业党员", "Party members within the circles", "circles.partyMembersWithin", Better.Higher),
    ];

    public static Figure Of(string key) => ByKey.TryGetValue(key, out var f) ? f : throw new KeyNotFoundException($"No figure '{key}' in the catalogue.");

    public static bool TryOf(string key, out Figure figure) => ByKey.TryGetValue(key, out figure!);

    private static readonly Dictionary<string, Figure> ByKey = All.ToDictionary(f => f.Key, StringComparer.Ordinal);

    /// <summary>The summary as the paths read it: camelCase, as the public JSON writes it.</summary>
    public static readonly JsonSerializerOptions SummaryJson = new(JsonSerializerDefaults.Web);

    public static JsonNode ToJson(CountySummary summary) => JsonSerializer.SerializeToNode(summary, SummaryJson)!;

    /// <summary>Every figure of a summary, in catalogue order.</summary>
    public static FigureValue[] Read(CountySummary summary) => Read(ToJson(summary));

    /// <summary>One figure of a summary.</summary>
    public static FigureValue Read(CountySummary summary, Figure figure) => Read(ToJson(summary), figure);

    public static FigureValue Read(JsonNode summary, Figure f) =>
        new(f, Number(summary, f.Value), Number(summary, f.Numerator), Number(summary, f.Denominator), Number(summary, f.Target));

    public static FigureValue[] Read(JsonNode summary) => [.. All.Select(f => Read(summary, f))];

    /// <summary>The number at a dotted path; null where the path is null, absent or not a number.</summary>
    public static double? Number(JsonNode summary, string? path)
    {
        if (path is null) return null;
        JsonNode? at = summary;
        foreach (var part in path.Split('.'))
        {
            at = at is JsonObject o ? o[part] : null;
            if (at is null) return null;
        }
        return at is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;
    }
}
