using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Beacon.Gateway.Security;
using Beacon.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit.Abstractions;
using HubException = Microsoft.AspNetCore.SignalR.HubException;
using static Beacon.IntegrationTests.Infrastructure.InMemoryClusterFixture;

namespace Beacon.IntegrationTests;

/// <summary>
/// The whole access matrix through the real gateway: every route of <see cref="Routes.All"/> (one concrete request each,
/// more where the rules tell cases apart) and the hub subscriptions (the county, its prefecture, its province), against
/// every role with a scope inside and outside the county, its prefecture and its province, each answer checked against the expected code from the small rule table below — never from
/// product code. A row reports all its wrong cells at once, then checks that no county it may not write changed.
/// </summary>
[Collection(InMemoryClusterCollection.Name)]
public sealed class RoleMatrixTests(InMemoryClusterFixture fixture, ITestOutputHelper output)
{
    private BeaconCluster Cluster => fixture.Cluster;

    // ---- Who asks ----

    /// <summary>A token's claims (no role: no token at all), and the county its requests are sent to.</summary>
    public sealed record Row(string Role, string? Scope, string? Station, string Target)
    {
        public bool Anonymous => Role == "none";
        public override string ToString() =>
            Anonymous ? $"no token -> {Target}" : $"{Role} {Scope}{(Station is null ? "" : $" station {Station}")} -> {Target}";
    }

    private static readonly Row[] Rows =
    [
        // Scope inside the target county 621122 (陇西县, station LX-01).
        new(Roles.CountyAdmin, $"county:{Longxi}", null, Longxi),
        new(Roles.StationStaff, $"county:{Longxi}", "LX-01", Longxi),
        new(Roles.StationStaff, $"county:{Longxi}", "LX-02", Longxi),
        new(Roles.ProvinceOverseer, $"province:{Gansu}", null, Longxi),
        new(Roles.ProvinceOverseer, $"prefecture:{Dingxi}", null, Longxi),
        new(Roles.ProvinceAdmin, $"province:{Gansu}", null, Longxi),
        new(Roles.Display, $"county:{Longxi}", null, Longxi),
        new(Roles.Display, $"prefecture:{Dingxi}", null, Longxi),
        new(Roles.Display, $"province:{Gansu}", null, Longxi),
        new("none", null, null, Longxi),
        // County roles with a province scope: no token the token command mints, and no wider rights if one is forged.
        new(Roles.CountyAdmin, $"province:{Gansu}", null, Longxi),
        new(Roles.StationStaff, $"province:{Gansu}", "LX-01", Longxi),
        new(Roles.CountyAdmin, $"prefecture:{Dingxi}", null, Longxi),
        // A province's administrator with a narrower scope, and an overseer with a county's: no token the command mints.
        new(Roles.ProvinceAdmin, $"county:{Longxi}", null, Longxi),
        new(Roles.ProvinceAdmin, $"prefecture:{Dingxi}", null, Longxi),
        new(Roles.ProvinceOverseer, $"county:{Longxi}", null, Longxi),
        // Scope outside it: another county, another prefecture, another province.
        new(Roles.CountyAdmin, $"county:{Qingshui}", null, Longxi),
        new(Roles.StationStaff, $"county:{Qingshui}", "LX-01", Longxi),
        new(Roles.ProvinceOverseer, "province:340000", null, Longxi),
        new(Roles.ProvinceOverseer, $"prefecture:{Tianshui}", null, Longxi),
        new(Roles.ProvinceOverseer, "prefecture:341500", null, Longxi),
        new(Roles.ProvinceAdmin, "province:340000", null, Longxi),
        new(Roles.Display, $"county:{Qingshui}", null, Longxi),
        new(Roles.Display, $"prefecture:{Tianshui}", null, Longxi),
        new(Roles.Display, "province:340000", null, Longxi),
        // 陇西县's own people sent at 620521 (清水县).
        new(Roles.CountyAdmin, $"county:{Longxi}", null, Qingshui),
        new(Roles.StationStaff, $"county:{Longxi}", "LX-01", Qingshui),
    ];

    /// <summary>定西市, the prefecture of 陇西县; 天水市, that of 清水县.</summary>
    private const string Dingxi = "621100";
    private const string Tianshui = "620500";

    public static TheoryData<int, string> Matrix()
    {
        var data = new TheoryData<int, string>();
        for (var i = 0; i < Rows.Length; i++) data.Add(i, Rows[i].ToString());
        return data;
    }

    // ---- The rules, as a table ----

    /// <summary>What a request needs.</summary>
    public enum Need
    {
        /// <summary>Read a county: its committee, its station staff (any station), its province's overseer.</summary>
        Read,
        /// <summary>Read a province's comparison: that province's overseer (not a prefecture's).</summary>
        ReadProvince,
        /// <summary>Read a prefecture's comparison: the overseer of that prefecture or of its province.</summary>
        ReadPrefecture,
        /// <summary>Read the county's profile and targets: whoever may read the county, and its province's administrator.</summary>
        ReadProfile,
        /// <summary>Create or configure the county: its province's administrator.</summary>
        Configure,
        /// <summary>List the province's counties: its administrator and its province-scoped overseer.</summary>
        ListCounties,
        /// <summary>Write to the county at all, whatever the entries (an import, whose rows are checked one by one): its committee and any of its station staff.</summary>
        Write,
        /// <summary>The county committee: reconcile, the audit (/changes), assessments, organisations' evaluations, resolving an escalated issue.</summary>
        Committee,
        /// <summary>Enterprises and issues of the home station, its meetings and reports, its instructors' visits, its organisations' meetings: the committee or that station's staff.</summary>
        HomeStation,
        /// <summary>Anything else that changes the county: stations, groups, instructors, and enterprises/issues of no or another station.</summary>
        CommitteeOnly,
        /// <summary>Read the county's people (applicants' names and birth years) at all: its committee and its station staff, each held to their station; never an overseer.</summary>
        ReadPersonal,
        /// <summary>Read one person of the home station: the committee or that station's staff.</summary>
        ReadHomePersonal,
        /// <summary>Watch the target county live: any role whose scope takes it in.</summary>
        WatchCounty,
        /// <summary>Watch the target's prefecture live: a display or overseer of that prefecture or of its province.</summary>
        WatchPrefecture,
        /// <summary>Watch the target's province live: a display or overseer of that province.</summary>
        WatchProvince,
        /// <summary>The county's accounts (station staff, county screens): its committee.</summary>
        ManageCountyAccounts,
        /// <summary>The province's accounts (county admins, overseers, wider screens): the province's administrator.</summary>
        ManageProvinceAccounts,
    }

    private static string ProvinceOf(string county) => county[..2] + "0000";
    private static string PrefectureOf(string county) => county[..4] + "00";

    private static bool Allowed(Row row, Need need, string homeStation)
    {
        var (kind, code) = row.Scope!.Split(':') is [var k, var c] ? (k, c) : throw new ArgumentException(row.Scope);
        var inCounty = kind == "county" && code == row.Target;
        var inPrefecture = kind == "prefecture" && code == PrefectureOf(row.Target);
        var inProvince = kind == "province" && code == ProvinceOf(row.Target);
        var committee = row.Role == Roles.CountyAdmin && inCounty;
        var overseer = row.Role == Roles.ProvinceOverseer;
        var watcher = row.Role is Roles.Display or Roles.ProvinceOverseer;
        return need switch
        {
            Need.Read => row.Role is Roles.CountyAdmin or Roles.StationStaff && inCounty || overseer && (inPrefecture || inProvince),
            Need.ReadProvince => overseer && inProvince,
            Need.ReadPrefecture => overseer && (inPrefecture || inProvince),
            Need.ReadProfile => Allowed(row, Need.Read, homeStation) || Allowed(row, Need.Configure, homeStation),
            Need.Configure => row.Role == Roles.ProvinceAdmin && inProvince,
            Need.ListCounties => row.Role is Roles.ProvinceAdmin or Roles.ProvinceOverseer && inProvince,
            Need.Write => row.Role is Roles.CountyAdmin or Roles.StationStaff && inCounty,
            Need.Committee or Need.CommitteeOnly => committee,
            Need.HomeStation or Need.ReadHomePersonal => committee || row.Role == Roles.StationStaff && inCounty && row.Station == homeStation,
            Need.ReadPersonal => committee || row.Role == Roles.StationStaff && inCounty && row.Station is not null,
            Need.WatchCounty => row.Role == Roles.Display && (inCounty || inPrefecture || inProvince) || Allowed(row, Need.Read, homeStation),
            Need.WatchPrefecture => watcher && (inPrefecture || inProvince),
            Need.WatchProvince => watcher && inProvince,
            Need.ManageCountyAccounts => committee,
            Need.ManageProvinceAccounts => row.Role == Roles.ProvinceAdmin && inProvince,
            _ => throw new ArgumentOutOfRangeException(nameof(need)),
        };
    }

    private static int Expected(Row row, Need need, int success, string homeStation) =>
        row.Anonymous ? 401 : Allowed(row, need, homeStation) ? success : 403;

    /// <summary>
    /// Whether the rules let the row's token change anything at all in <paramref name="county"/> (a write that sends
    /// the county what it holds already changes nothing).
    /// </summary>
    private static bool MayChangeSomething(Row row, string county, Context context) =>
        county == row.Target && !row.Anonymous &&
        Cells(context).Any(c => c.Route.IsWrite && c.Changes && Allowed(row, c.Need, context.HomeStation));

    // ---- The cells ----

    /// <summary>One concrete request: which route, where, with what, what it needs, what it answers on success and whether it changes anything.</summary>
    public sealed record Cell(string Name, ApiRoute Route, string Path, JsonNode? Body, Need Need, int Success, bool Changes = true);

    /// <summary>What a row's setup made in its target county, with fresh ids so that rows never meet.</summary>
    public sealed record Context(string County, string Suffix, string HomeStation, string Month,
        string StationToChange, string Group, string ActiveInstructor, string InstructorToChange,
        string HomeEnterprise, string LooseEnterprise, string EnterpriseToMove, string EnterpriseToDelete,
        string OpenIssue, string EscalatedIssue, string ResolvedIssue, string IssueToResolve, string LooseIssue,
        string LooseEnterpriseToDelete, string HomeOrganisation, JsonObject Profile,
        string LooseOrganisation, string HomeApplicant, string ApplicantToDelete);

    private static string Today(int daysBack) => DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-daysBack)).ToString("yyyy-MM-dd");

    private static JsonObject Enterprise(string code, string name, string? station)
    {
        var body = TestEnterprises.New(code, name);
        if (station is not null) body["stationId"] = station;
        return body;
    }

    private static JsonObject Station(string id, string name, string township) =>
        new() { ["stationId"] = id, ["name"] = name, ["townships"] = new JsonArray(township), ["chief"] = "王站长" };

    private static JsonObject Group(string id, string station) =>
        new() { ["groupId"] = id, ["name"] = $"矩阵指导组{id}", ["stationId"] = station };

    private static JsonObject Instructor(string id, string station) =>
        new() { ["instructorId"] = id, ["name"] = "矩阵指导员", ["fullTime"] = true, ["sourceUnit"] = "组织", ["stationId"] = station };

    private static JsonObject Training(string id, int attendances = 30) =>
        new() { ["trainingId"] = id, ["name"] = $"矩阵培训班{id}", ["kind"] = "secretaries", ["startsOn"] = Today(5), ["days"] = 2, ["hours"] = 16, ["attendances"] = attendances };

    private static JsonObject Honour(string id, string awardedBy = "县委") =>
        new() { ["honourId"] = id, ["name"] = $"矩阵典型{id}", ["kind"] = "exemplar", ["year"] = DateTime.UtcNow.Year, ["awardedBy"] = awardedBy };

    private static JsonObject ContactPoint(string id, string organisation, string position = "县委书记") =>
        new() { ["contactPointId"] = id, ["cadre"] = "矩阵领导", ["position"] = position, ["since"] = Today(30), ["organisationId"] = organisation };

    private static JsonObject Account(string user, string role, string? scope, string? station = null) =>
        new() { ["user"] = user, ["password"] = "矩阵-account-2026", ["role"] = role, ["scope"] = scope, ["stationId"] = station };

    private static JsonObject Circle(string id, string centre, int walk = 15) =>
        new() { ["circleId"] = id, ["name"] = $"矩阵活动圈{id}", ["centreCreditCode"] = centre, ["activityCentre"] = new JsonObject { ["name"] = "矩阵活动中心", ["areaM2"] = 300 }, ["walkMinutes"] = walk };

    public static List<Cell> Cells(Context c)
    {
        var s = c.Suffix;
        var t = c.County;
        Cell C(string name, ApiRoute route, Need need, int success, string? id = null, JsonNode? body = null) =>
            new(name, route, route.Path(t, id, ProvinceOf(t), PrefectureOf(t)), body, need, success);

        return
        [
            C("county profile", Routes.CountyProfile, Need.ReadProfile, 200),
            // The profile it has: allowed or not, the county stays as it is.
            C("configure the county", Routes.ConfigureCounty, Need.Configure, 200, body: c.Profile.DeepClone()) with { Changes = false },
            C("the province's counties", Routes.ProvinceCounties, Need.ListCounties, 200),
            C("county summary", Routes.Summary, Need.Read, 200),
            C("reconcile", Routes.Reconcile, Need.Committee, 200),
            C("county changes (audit)", Routes.Changes, Need.Committee, 200),
            C("county to-do", Routes.Todo, Need.Read, 200),
            C("county trend", Routes.Trend, Need.WatchCounty, 200) is var trend ? trend with { Path = trend.Path + "?figure=orgCoverage" } : null!,
            C("province comparison", Routes.Comparison, Need.ReadProvince, 200),
            C("province comparison as CSV", Routes.ComparisonCsv, Need.ReadProvince, 200),
            C("province comparison as Excel", Routes.ComparisonXlsx, Need.ReadProvince, 200),
            C("province trend", Routes.ProvinceTrend, Need.WatchProvince, 200) is var pt ? pt with { Path = pt.Path + "?figure=orgCoverage" } : null!,
            C("prefecture trend", Routes.PrefectureTrend, Need.WatchPrefecture, 200) is var ft ? ft with { Path = ft.Path + "?figure=orgCoverage" } : null!,
            C("province comparison's changes", Routes.ComparisonChanges, Need.ReadProvince, 200) is var pc ? pc with { Path = pc.Path + "?figure=orgCoverage" } : null!,
            C("prefecture comparison's changes", Routes.PrefectureComparisonChanges, Need.ReadPrefecture, 200) is var fc ? fc with { Path = fc.Path + "?figure=orgCoverage" } : null!,
            C("prefecture comparison", Routes.PrefectureComparison, Need.ReadPrefecture, 200),
            C("prefecture comparison as CSV", Routes.PrefectureComparisonCsv, Need.ReadPrefecture, 200),
            C("prefecture comparison as Excel", Routes.PrefectureComparisonXlsx, Need.ReadPrefecture, 200),
            // No month: the current one, the only month with figures until daily snapshots are kept.
            C("county report", Routes.CountyReport, Need.Read, 200),
            C("prefecture report", Routes.PrefectureReport, Need.ReadPrefecture, 200),
            C("province report", Routes.ProvinceReport, Need.ReadProvince, 200),

            // Who may import is decided before the file is read: a JSON body is refused as no workbook (400), an import
            // that is not there is not found (404), and neither changes anything.
            C("the county's accounts", Routes.CountyAccounts, Need.ManageCountyAccounts, 200) with { Changes = false },
            C("create a station staff account", Routes.CreateCountyAccount, Need.ManageCountyAccounts, 201, body: Account($"st{s}".ToLowerInvariant(), Roles.StationStaff, null, c.HomeStation)) with { Changes = false },
            C("create a county screen account", Routes.CreateCountyAccount, Need.ManageCountyAccounts, 201, body: Account($"sc{s}".ToLowerInvariant(), Roles.Display, null)) with { Changes = false },
            C("end a county account that is not there", Routes.EndCountyAccount, Need.ManageCountyAccounts, 404, "no-such-account") with { Changes = false },
            C("the province's accounts", Routes.ProvinceAccounts, Need.ManageProvinceAccounts, 200) with { Changes = false },
            C("create a county admin account", Routes.CreateProvinceAccount, Need.ManageProvinceAccounts, 201, body: Account($"ca{s}".ToLowerInvariant(), Roles.CountyAdmin, $"county:{t}")) with { Changes = false },
            C("end a province account that is not there", Routes.EndProvinceAccount, Need.ManageProvinceAccounts, 404, "no-such-account") with { Changes = false },
            C("preview an import (a JSON body is no workbook)", Routes.Import, Need.Write, 400, body: new JsonObject { ["register"] = "enterprises" }) with { Changes = false },
            C("read an import that is not there", Routes.ImportStatus, Need.Write, 404, "no-such-import") with { Changes = false },
            C("apply an import that is not there", Routes.ApplyImport, Need.Write, 404, "no-such-import") with { Changes = false },

            .. Routes.Workbooks.SelectMany(r => new[]
            {
                C($"{r} template as Excel", Routes.Template(r), Need.Read, 200),
                C($"{r} as Excel", Routes.Workbook(r), Routes.PersonalRegisters.Contains(r) ? Need.ReadPersonal : Need.Read, 200),
            }),

            C("list enterprises", Routes.List("enterprises"), Need.Read, 200),
            C("create an enterprise of the home station", Routes.Create("enterprises"), Need.HomeStation, 201,
                body: Enterprise(TestEnterprises.NewCreditCode(t), $"矩阵新建站内企业{s}", c.HomeStation)),
            C("create an enterprise of no station", Routes.Create("enterprises"), Need.CommitteeOnly, 201,
                body: Enterprise(TestEnterprises.NewCreditCode(t), $"矩阵新建站外企业{s}", null)),
            C("read an enterprise", Routes.Get("enterprises"), Need.Read, 200, c.HomeEnterprise),
            C("replace an enterprise of the home station", Routes.Replace("enterprises"), Need.HomeStation, 200, c.HomeEnterprise,
                Enterprise(c.HomeEnterprise, $"矩阵站内企业{s}（改）", c.HomeStation)),
            C("replace an enterprise of no station", Routes.Replace("enterprises"), Need.CommitteeOnly, 200, c.LooseEnterprise,
                Enterprise(c.LooseEnterprise, $"矩阵站外企业{s}（改）", null)),
            C("move an enterprise out of the home station", Routes.Replace("enterprises"), Need.CommitteeOnly, 200, c.EnterpriseToMove,
                Enterprise(c.EnterpriseToMove, $"矩阵迁出企业{s}", null)),
            C("enterprise history", Routes.History("enterprises"), Need.Read, 200, c.HomeEnterprise),

            C("list stations", Routes.List("stations"), Need.Read, 200),
            C("create a station", Routes.Create("stations"), Need.CommitteeOnly, 201,
                body: Station($"SN{s}", $"矩阵新建指导站{s}", $"矩阵新镇{s}")),
            C("read a station", Routes.Get("stations"), Need.Read, 200, c.HomeStation),
            C("replace a station", Routes.Replace("stations"), Need.CommitteeOnly, 200, c.StationToChange,
                Station(c.StationToChange, $"矩阵指导站{s}（改）", $"矩阵镇{s}")),
            C("station history", Routes.History("stations"), Need.Read, 200, c.HomeStation),

            C("list groups", Routes.List("groups"), Need.Read, 200),
            C("create a group", Routes.Create("groups"), Need.CommitteeOnly, 201, body: Group($"GN{s}", c.HomeStation)),
            C("read a group", Routes.Get("groups"), Need.Read, 200, c.Group),
            C("replace a group", Routes.Replace("groups"), Need.CommitteeOnly, 200, c.Group, Group(c.Group, c.HomeStation)),
            C("group history", Routes.History("groups"), Need.Read, 200, c.Group),

            C("list instructors", Routes.List("instructors"), Need.Read, 200),
            C("create an instructor", Routes.Create("instructors"), Need.CommitteeOnly, 201, body: Instructor($"IN{s}", c.HomeStation)),
            C("read an instructor", Routes.Get("instructors"), Need.Read, 200, c.ActiveInstructor),
            C("replace an instructor", Routes.Replace("instructors"), Need.CommitteeOnly, 200, c.InstructorToChange,
                Instructor(c.InstructorToChange, c.HomeStation)),
            C("instructor history", Routes.History("instructors"), Need.Read, 200, c.ActiveInstructor),

            C("record a meeting of the home station", Routes.StationMeetings, Need.HomeStation, 201, c.HomeStation,
                new JsonObject { ["date"] = Today(1), ["kind"] = "staffMeeting", ["attendees"] = 8, ["topic"] = $"矩阵例会{s}" }),
            C("report for the home station", Routes.StationReports, Need.HomeStation, 201, c.HomeStation,
                new JsonObject { ["month"] = c.Month, ["summary"] = $"矩阵月报{s}", ["issuesForCounty"] = new JsonArray() }),
            C("station activity", Routes.StationActivity, Need.Read, 200, c.HomeStation),
            C("record a visit of a home-station instructor", Routes.InstructorVisits, Need.HomeStation, 201, c.ActiveInstructor,
                new JsonObject { ["creditCode"] = c.HomeEnterprise, ["date"] = Today(2), ["note"] = $"矩阵走访{s}" }),
            C("assess an instructor", Routes.InstructorAssessments, Need.Committee, 201, c.ActiveInstructor,
                new JsonObject { ["kind"] = "daily", ["period"] = Today(3)[..7], ["score"] = 85, ["rating"] = "competent" }),
            C("instructor activity", Routes.InstructorActivity, Need.Read, 200, c.ActiveInstructor),
            C("record a meeting of a home-station organisation", Routes.OrganisationMeetings, Need.HomeStation, 201, c.HomeOrganisation,
                new JsonObject { ["date"] = Today(1), ["kind"] = "committeeMeeting", ["expected"] = 9, ["attended"] = 8, ["topic"] = $"矩阵支委会{s}" }),
            C("organisation activity", Routes.OrganisationActivity, Need.Read, 200, c.HomeOrganisation),
            // Last year's, so that the matrix's rows never make the year the county's figure is about.
            C("evaluate an organisation", Routes.OrganisationEvaluations, Need.Committee, 201, c.HomeOrganisation,
                new JsonObject { ["year"] = DateTime.UtcNow.Year - 1, ["rating"] = "fairlyGood", ["note"] = $"矩阵评定{s}" }),

            C("raise an issue at a home-station enterprise", Routes.RaiseIssue, Need.HomeStation, 201,
                body: new JsonObject { ["creditCode"] = c.HomeEnterprise, ["category"] = "financing", ["text"] = $"矩阵问题{s}" }),
            C("raise an issue at an enterprise of no station", Routes.RaiseIssue, Need.CommitteeOnly, 201,
                body: new JsonObject { ["creditCode"] = c.LooseEnterprise, ["category"] = "labour", ["text"] = $"矩阵站外问题{s}" }),
            C("list issues", Routes.ListIssues, Need.Read, 200),
            C("read an issue", Routes.GetIssue, Need.Read, 200, c.OpenIssue),
            C("issue history", Routes.IssueHistory, Need.Read, 200, c.OpenIssue),
            C("assign a home-station issue to the home station", Routes.AssignIssue, Need.HomeStation, 200, c.OpenIssue,
                new JsonObject { ["stationId"] = c.HomeStation }),
            C("escalate a home-station issue", Routes.EscalateIssue, Need.HomeStation, 200, c.OpenIssue,
                new JsonObject { ["reason"] = "指导站无法协调" }),
            C("resolve an escalated home-station issue", Routes.ResolveIssue, Need.Committee, 200, c.EscalatedIssue,
                new JsonObject { ["resolution"] = "县委非公工委协调解决" }),
            C("resolve an open home-station issue", Routes.ResolveIssue, Need.HomeStation, 200, c.IssueToResolve,
                new JsonObject { ["resolution"] = "指导站协调解决" }),
            C("reopen a resolved home-station issue", Routes.ReopenIssue, Need.HomeStation, 200, c.ResolvedIssue,
                new JsonObject { ["reason"] = "企业反映问题仍在" }),
            C("assign an issue of no station to the home station", Routes.AssignIssue, Need.CommitteeOnly, 200, c.LooseIssue,
                new JsonObject { ["stationId"] = c.HomeStation }),
            C("escalate an issue of no station", Routes.EscalateIssue, Need.CommitteeOnly, 200, c.LooseIssue,
                new JsonObject { ["reason"] = "无指导站" }),

            // Applicants are personal: an overseer, who reads the county's figures, reads none; station staff their station's.
            C("list applicants", Routes.List("applicants"), Need.ReadPersonal, 200),
            C("create an applicant of the home station", Routes.Create("applicants"), Need.HomeStation, 201,
                body: TestApplicants.New($"AN{s}", c.HomeOrganisation, c.HomeStation)),
            C("create an applicant of no station", Routes.Create("applicants"), Need.CommitteeOnly, 201,
                body: TestApplicants.New($"AL{s}", c.LooseOrganisation, null)),
            C("read an applicant of the home station", Routes.Get("applicants"), Need.ReadHomePersonal, 200, c.HomeApplicant),
            C("replace an applicant of the home station", Routes.Replace("applicants"), Need.HomeStation, 200, c.HomeApplicant,
                TestApplicants.New(c.HomeApplicant, c.HomeOrganisation, c.HomeStation, name: $"矩阵申请人{s}（改）")),
            C("applicant history", Routes.History("applicants"), Need.ReadHomePersonal, 200, c.HomeApplicant),
            C("delete an applicant of the home station", Routes.Delete("applicants"), Need.HomeStation, 204, c.ApplicantToDelete),

            // The county's own records: its committee keeps them, everyone who reads the county reads them.
            C("list trainings", Routes.List("trainings"), Need.Read, 200),
            C("create a training", Routes.Create("trainings"), Need.CommitteeOnly, 201, body: Training($"TN{s}")),
            C("read a training", Routes.Get("trainings"), Need.Read, 200, $"TR{s}"),
            C("replace a training", Routes.Replace("trainings"), Need.CommitteeOnly, 200, $"TR{s}", Training($"TR{s}", 45)),
            C("training history", Routes.History("trainings"), Need.Read, 200, $"TR{s}"),
            C("delete a training", Routes.Delete("trainings"), Need.CommitteeOnly, 204, $"TD{s}"),
            C("list honours", Routes.List("honours"), Need.Read, 200),
            C("create an honour", Routes.Create("honours"), Need.CommitteeOnly, 201, body: Honour($"HN{s}")),
            C("read an honour", Routes.Get("honours"), Need.Read, 200, $"HR{s}"),
            C("replace an honour", Routes.Replace("honours"), Need.CommitteeOnly, 200, $"HR{s}", Honour($"HR{s}", "县委组织部")),
            C("honour history", Routes.History("honours"), Need.Read, 200, $"HR{s}"),
            C("delete an honour", Routes.Delete("honours"), Need.CommitteeOnly, 204, $"HD{s}"),
            C("list contact points", Routes.List("contactPoints"), Need.Read, 200),
            C("create a contact point", Routes.Create("contactPoints"), Need.CommitteeOnly, 201, body: ContactPoint($"CN{s}", c.HomeOrganisation)),
            C("read a contact point", Routes.Get("contactPoints"), Need.Read, 200, $"CR{s}"),
            C("replace a contact point", Routes.Replace("contactPoints"), Need.CommitteeOnly, 200, $"CR{s}", ContactPoint($"CR{s}", c.HomeOrganisation, "县长")),
            C("contact point history", Routes.History("contactPoints"), Need.Read, 200, $"CR{s}"),
            C("delete a contact point", Routes.Delete("contactPoints"), Need.CommitteeOnly, 204, $"CD{s}"),
            C("list circles", Routes.List("circles"), Need.Read, 200),
            C("create a circle", Routes.Create("circles"), Need.CommitteeOnly, 201, body: Circle($"QN{s}", c.HomeEnterprise)),
            C("read a circle", Routes.Get("circles"), Need.Read, 200, $"QR{s}"),
            C("replace a circle", Routes.Replace("circles"), Need.CommitteeOnly, 200, $"QR{s}", Circle($"QR{s}", c.HomeEnterprise, 20)),
            C("circle history", Routes.History("circles"), Need.Read, 200, $"QR{s}"),
            C("delete a circle", Routes.Delete("circles"), Need.CommitteeOnly, 204, $"QD{s}"),
            C("a circle's members", Routes.CircleMembers, Need.Read, 200, $"QR{s}"),
            C("the county's map", Routes.Map, Need.WatchCounty, 200),
            C("plan stations", Routes.PlanStations, Need.Committee, 200, body: new JsonObject { ["stations"] = 2, ["maxKm"] = 5 }) with { Changes = false },

            C("delete an enterprise of the home station", Routes.Delete("enterprises"), Need.HomeStation, 204, c.EnterpriseToDelete),
            C("delete an enterprise of no station", Routes.Delete("enterprises"), Need.CommitteeOnly, 204, c.LooseEnterpriseToDelete),
            C("delete a station", Routes.Delete("stations"), Need.CommitteeOnly, 204, c.StationToChange),
            C("delete a group", Routes.Delete("groups"), Need.CommitteeOnly, 204, c.Group),
            C("delete an instructor", Routes.Delete("instructors"), Need.CommitteeOnly, 204, c.InstructorToChange),
        ];
    }

    private static readonly Context Example = new(Longxi, "x", "LX-01", "2020-01", "S", "G", "IA", "ID",
        "E1", "E2", "E3", "E4", "I1", "I2", "I3", "I4", "I5", "E5", "O1", new JsonObject { ["name"] = "陇西县", ["prefectureName"] = "定西市" },
        "O2", "A1", "A2");

    [Fact]
    public void The_matrix_sends_a_request_to_every_route_of_the_contract()
    {
        var walked = Cells(Example).Select(c => c.Route).ToHashSet();
        var missing = Routes.All.Where(r => !walked.Contains(r)).ToArray();
        Assert.True(missing.Length == 0, "Routes the matrix never sends to:\n" + string.Join("\n", missing.Select(r => r.ToString())));
        Assert.Equal(124, Routes.All.Count);
        Assert.Equal(Routes.All.Count, Routes.All.Distinct().Count());
    }

    // ---- The walk ----

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Every_route_and_subscription_answers_as_the_rules_say(int index, string row_)
    {
        var row = Rows[index];
        Assert.Equal(row.ToString(), row_);
        var suffix = $"{index:D2}{Guid.NewGuid():N}"[..8].ToUpperInvariant();
        var context = await SetUpAsync(row.Target, suffix, month: $"{2001 + index}-{1 + index % 12:D2}");
        var token = row.Anonymous ? null : Tokens.Issue(TestTokens.Options, row.Role, Scope.Parse(row.Scope)!,
            $"role-matrix {index} {suffix}", station: row.Station);

        // What the counties hold before the walk; only counties the token may change at all may change.
        var counties = new[] { Longxi, Qingshui };
        var before = new Dictionary<string, Dictionary<string, string>>();
        foreach (var county in counties) before[county] = await SnapshotAsync(county);

        var mismatches = new List<string>();
        var cells = Cells(context);
        var report = new StringBuilder();
        foreach (var cell in cells)
        {
            var expected = Expected(row, cell.Need, cell.Success, context.HomeStation);
            var answer = await Cluster.SendAsync(new HttpMethod(cell.Route.Method), cell.Path, token, cell.Body);
            var got = (int)answer.Status;
            report.AppendLine($"{got} {(got == expected ? "  " : "!=")} {expected}  {cell.Name}: {cell.Route.Method} {cell.Path}");
            if (got != expected)
                mismatches.Add($"{cell.Name}: {cell.Route.Method} {cell.Path} answered {got}, expected {expected}. Body: {Brief(answer.Body)}");
            else if (got is 401 or 403 && ProblemDetailsFault(answer, got) is { } fault)
                mismatches.Add($"{cell.Name}: {cell.Route.Method} {cell.Path} answered {got} but {fault}. Body: {Brief(answer.Body)}");
        }

        foreach (var (name, need, scope) in new[]
                 {
                     ("subscribe to the county", Need.WatchCounty, $"county:{row.Target}"),
                     ("subscribe to its prefecture", Need.WatchPrefecture, $"prefecture:{PrefectureOf(row.Target)}"),
                     ("subscribe to its province", Need.WatchProvince, $"province:{ProvinceOf(row.Target)}"),
                 })
        {
            var expected = Expected(row, need, 200, context.HomeStation);
            var (got, detail) = await SubscribeAsync(token, scope);
            report.AppendLine($"{got} {(got == expected ? "  " : "!=")} {expected}  hub: {name} Subscribe(\"{scope}\")");
            if (got != expected) mismatches.Add($"hub: {name}: Subscribe(\"{scope}\") gave {got} ({detail}), expected {expected}");
        }

        foreach (var county in counties.Where(c => !MayChangeSomething(row, c, context)))
        {
            var after = await SnapshotAsync(county);
            foreach (var key in before[county].Keys.Union(after.Keys).Order())
                if (before[county].GetValueOrDefault(key) != after.GetValueOrDefault(key))
                    mismatches.Add($"county {county}, which this token may not change, changed: {key}\n  before: " +
                        $"{Brief(before[county].GetValueOrDefault(key), 600)}\n  after:  {Brief(after.GetValueOrDefault(key), 600)}");
        }

        output.WriteLine($"{row}: {cells.Count} requests, 3 subscriptions, {mismatches.Count} wrong\n{report}");
        Assert.True(mismatches.Count == 0,
            $"{row}: {mismatches.Count} of {cells.Count + 3} cells wrong:\n" + string.Join("\n", mismatches.Select(m => "- " + m)));
    }

    private static string Brief(string? body, int max = 300) =>
        body is null ? "(none)" : body.Length <= max ? body : body[..max] + "…";

    /// <summary>Null when the answer is a ProblemDetails (RFC 9457) with the status given; otherwise what is wrong with it.</summary>
    internal static string? ProblemDetailsFault(Answer answer, int status)
    {
        if (answer.MediaType != "application/problem+json") return $"its Content-Type is {answer.MediaType ?? "(none)"}, not application/problem+json";
        try
        {
            if (JsonNode.Parse(answer.Body) is not JsonObject problem) return "its body is not a JSON object";
            if (problem["status"]?.GetValue<int>() != status) return $"its status member is {problem["status"]?.ToJsonString() ?? "missing"}";
            if (problem["title"] is null) return "it has no title";
            return null;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            return $"its body is not a ProblemDetails ({e.Message})";
        }
    }

    /// <summary>200 subscribed, 403 refused as forbidden, 401 not even connected; anything else is reported as 0 with what happened.</summary>
    private async Task<(int Status, string Detail)> SubscribeAsync(string? token, string scope)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(Cluster.BaseAddress, Routes.Hub), o =>
            {
                if (token is not null) o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();
        await using var _ = connection;
        try
        {
            await connection.StartAsync();
        }
        catch (HttpRequestException e) when (e.StatusCode == HttpStatusCode.Unauthorized)
        {
            return (401, "connection refused with 401");
        }
        catch (Exception e)
        {
            return (e.Message.Contains("401") ? 401 : 0, $"connecting: {e.GetType().Name}: {e.Message}");
        }
        try
        {
            await connection.InvokeAsync("Subscribe", scope);
            return (200, "subscribed");
        }
        catch (HubException e) when (e.Message.Contains("forbidden", StringComparison.OrdinalIgnoreCase))
        {
            return (403, e.Message);
        }
        catch (Exception e)
        {
            return (0, $"{e.GetType().Name}: {e.Message}");
        }
    }

    // ---- Setup and snapshots, through the county's own committee ----

    private static string AdminToken(string county, string why) =>
        Tokens.Issue(TestTokens.Options, Roles.CountyAdmin, Scope.Parse($"county:{county}")!, $"role-matrix {why} {Guid.NewGuid():N}");

    private async Task<Context> SetUpAsync(string county, string s, string month)
    {
        var admin = AdminToken(county, "setup");
        var api = $"/api/counties/{county}";

        async Task<JsonObject> Must(string method, string path, JsonNode? body, HttpStatusCode status) =>
            (await Cluster.SendAsync(new HttpMethod(method), path, admin, body)).Expect(status) is { Body.Length: > 0 } a ? a.Object : [];

        var home = county == Longxi ? "LX-01" : $"H{s}";
        if (county != Longxi)
            await Must("POST", $"{api}/stations", Station(home, $"矩阵主指导站{s}", $"矩阵主镇{s}"), HttpStatusCode.Created);
        await Must("POST", $"{api}/stations", Station($"S{s}", $"矩阵指导站{s}", $"矩阵镇{s}"), HttpStatusCode.Created);
        await Must("POST", $"{api}/groups", Group($"G{s}", home), HttpStatusCode.Created);
        await Must("POST", $"{api}/instructors", Instructor($"IA{s}", home), HttpStatusCode.Created);
        await Must("POST", $"{api}/instructors", Instructor($"ID{s}", home), HttpStatusCode.Created);
        await Must("POST", $"{api}/organisations", TestOrganisations.New($"MO{s}", $"矩阵党支部{s}", stationId: home), HttpStatusCode.Created);
        await Must("POST", $"{api}/organisations", TestOrganisations.New($"MN{s}", $"矩阵站外党支部{s}"), HttpStatusCode.Created);
        await Must("POST", $"{api}/applicants", TestApplicants.New($"AH{s}", $"MO{s}", home, name: $"矩阵申请人{s}"), HttpStatusCode.Created);
        await Must("POST", $"{api}/applicants", TestApplicants.New($"AD{s}", $"MO{s}", home, name: $"矩阵待删申请人{s}"), HttpStatusCode.Created);

        foreach (var id in new[] { $"TR{s}", $"TD{s}" }) await Must("POST", $"{api}/trainings", Training(id), HttpStatusCode.Created);
        foreach (var id in new[] { $"HR{s}", $"HD{s}" }) await Must("POST", $"{api}/honours", Honour(id), HttpStatusCode.Created);
        foreach (var id in new[] { $"CR{s}", $"CD{s}" }) await Must("POST", $"{api}/contactPoints", ContactPoint(id, $"MO{s}"), HttpStatusCode.Created);

        async Task<string> NewEnterprise(string name, string? station)
        {
            var code = TestEnterprises.NewCreditCode(county);
            await Must("POST", $"{api}/enterprises", Enterprise(code, name, station), HttpStatusCode.Created);
            return code;
        }
        var homeEnterprise = await NewEnterprise($"矩阵站内企业{s}", home);
        var looseEnterprise = await NewEnterprise($"矩阵站外企业{s}", null);
        var toMove = await NewEnterprise($"矩阵待迁企业{s}", home);
        var toDelete = await NewEnterprise($"矩阵待删企业{s}", home);
        foreach (var id in new[] { $"QR{s}", $"QD{s}" }) await Must("POST", $"{api}/circles", Circle(id, homeEnterprise), HttpStatusCode.Created);
        // Its own, without issues: an enterprise with open issues cannot be removed.
        var looseToDelete = await NewEnterprise($"矩阵站外待删企业{s}", null);

        async Task<string> Raise(string code) =>
            (await Must("POST", $"{api}/issues", new JsonObject { ["creditCode"] = code, ["category"] = "policy", ["text"] = $"矩阵预置问题{s}" },
                HttpStatusCode.Created))["id"]!.GetValue<string>();
        var open = await Raise(homeEnterprise);
        var escalated = await Raise(homeEnterprise);
        await Must("POST", $"{api}/issues/{escalated}/escalate", new JsonObject { ["reason"] = "预置升级" }, HttpStatusCode.OK);
        var resolved = await Raise(homeEnterprise);
        await Must("POST", $"{api}/issues/{resolved}/resolve", new JsonObject { ["resolution"] = "预置解决" }, HttpStatusCode.OK);
        var toResolve = await Raise(homeEnterprise);
        var loose = await Raise(looseEnterprise);

        var profile = (await Cluster.GetAsync($"/api/counties/{county}", admin)).Expect(HttpStatusCode.OK).Object;
        return new Context(county, s, home, month, $"S{s}", $"G{s}", $"IA{s}", $"ID{s}",
            homeEnterprise, looseEnterprise, toMove, toDelete, open, escalated, resolved, toResolve, loose, looseToDelete, $"MO{s}", profile,
            $"MN{s}", $"AH{s}", $"AD{s}");
    }

    /// <summary>A county as its committee sees it: summary, every register's first page and total, the audit, activity.</summary>
    private async Task<Dictionary<string, string>> SnapshotAsync(string county)
    {
        var admin = AdminToken(county, "snapshot");
        var api = $"/api/counties/{county}";
        var snapshot = new Dictionary<string, string>();
        async Task<JsonNode> Read(string key, string path)
        {
            var node = (await Cluster.GetAsync(path, admin)).Expect(HttpStatusCode.OK).Json;
            snapshot[key] = node.ToJsonString();
            return node;
        }

        var summary = (await Cluster.SummaryAsync(county, admin));
        snapshot["summary"] = JsonFigures.WithoutSeq(summary).ToJsonString();
        await Read("profile", $"/api/counties/{county}");
        await Read("changes", $"{api}/changes?limit=100");
        JsonNode? stations = null;
        foreach (var register in Routes.Registers.Concat(Routes.PersonalRegisters).Append("issues"))
        {
            var page = await Read(register, $"{api}/{register}?sort=-id&limit=200");
            if (register == "stations") stations = page;
        }
        foreach (var station in stations!["items"]!.AsArray())
        {
            var id = station!["stationId"]!.GetValue<string>();
            await Read($"station {id} activity", $"{api}/stations/{id}/activity");
        }
        await Read("instructor T0001 activity", $"{api}/instructors/T0001/activity");
        // The organisations a station keeps, and their meetings (which only station staff and the committee record).
        var organisations = await Read("organisations", $"{api}/organisations?sort=-id&limit=200");
        foreach (var organisation in organisations["items"]!.AsArray().Where(o => o!["stationId"] is not null))
        {
            var id = organisation!["organisationId"]!.GetValue<string>();
            await Read($"organisation {id} activity", $"{api}/organisations/{id}/activity");
        }
        return snapshot;
    }
}
