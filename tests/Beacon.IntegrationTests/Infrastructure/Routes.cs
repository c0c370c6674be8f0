namespace Beacon.IntegrationTests.Infrastructure;

/// <summary>One route of the public HTTP contract: its method and template, as the OpenAPI document names them.</summary>
public sealed record ApiRoute(string Method, string Template)
{
    /// <summary>A write changes something (POST, PUT, DELETE); a read does not (GET).</summary>
    public bool IsWrite => Method != "GET";

    /// <summary>The template with its placeholders filled in: <c>{county}</c>, <c>{prefecture}</c>, <c>{province}</c>, <c>{id}</c>.</summary>
    public string Path(string? county = null, string? id = null, string? province = null, string? prefecture = null)
    {
        var path = Template;
        if (county is not null) path = path.Replace("{county}", county);
        if (prefecture is not null) path = path.Replace("{prefecture}", prefecture);
        if (province is not null) path = path.Replace("{province}", province);
        if (id is not null) path = path.Replace("{id}", Uri.EscapeDataString(id)).Replace("{user}", Uri.EscapeDataString(id));
        if (path.Contains('{')) throw new ArgumentException($"{this}: a placeholder is left in {path}");
        return path;
    }

    public override string ToString() => $"{Method} {Template}";
}

/// <summary>
/// Every route of the public contract (DESIGN.md, "The public contract"), once: the role matrix walks each of them
/// and the OpenAPI test finds each of them in the document.
/// </summary>
public static class Routes
{
    public static readonly string[] Registers = ["enterprises", "stations", "groups", "instructors", "trainings", "honours", "contactPoints", "circles"];

    /// <summary>The registers of personal entries (names and birth years): the county committee and the hosting station only.</summary>
    public static readonly string[] PersonalRegisters = ["applicants"];

    public static readonly ApiRoute CountyProfile = new("GET", "/api/counties/{county}");
    public static readonly ApiRoute ConfigureCounty = new("PUT", "/api/counties/{county}");
    public static readonly ApiRoute ProvinceCounties = new("GET", "/api/provinces/{province}/counties");

    public static readonly ApiRoute Summary = new("GET", "/api/counties/{county}/summary");
    public static readonly ApiRoute Reconcile = new("POST", "/api/counties/{county}/reconcile");
    public static readonly ApiRoute Changes = new("GET", "/api/counties/{county}/changes");
    public static readonly ApiRoute Todo = new("GET", "/api/counties/{county}/todo");
    public static readonly ApiRoute Trend = new("GET", "/api/counties/{county}/trend");

    public static ApiRoute List(string register) => new("GET", $"/api/counties/{{county}}/{register}");
    public static ApiRoute Create(string register) => new("POST", $"/api/counties/{{county}}/{register}");
    public static ApiRoute Get(string register) => new("GET", $"/api/counties/{{county}}/{register}/{{id}}");
    public static ApiRoute Replace(string register) => new("PUT", $"/api/counties/{{county}}/{register}/{{id}}");
    public static ApiRoute Delete(string register) => new("DELETE", $"/api/counties/{{county}}/{register}/{{id}}");
    public static ApiRoute History(string register) => new("GET", $"/api/counties/{{county}}/{register}/{{id}}/history");

    /// <summary>Every register of profiles in <c>Registers.All</c> (issues have their own API), each with the two workbook routes.</summary>
    public static readonly string[] Workbooks = ["enterprises", "stations", "groups", "instructors", "organisations", "applicants", "trainings", "honours", "contactPoints", "circles"];
    public static ApiRoute Template(string register) => new("GET", $"/api/counties/{{county}}/{register}/template.xlsx");
    public static ApiRoute Workbook(string register) => new("GET", $"/api/counties/{{county}}/{register}.xlsx");

    public static readonly ApiRoute StationMeetings = new("POST", "/api/counties/{county}/stations/{id}/meetings");
    public static readonly ApiRoute StationReports = new("POST", "/api/counties/{county}/stations/{id}/reports");
    public static readonly ApiRoute StationActivity = new("GET", "/api/counties/{county}/stations/{id}/activity");
    public static readonly ApiRoute InstructorVisits = new("POST", "/api/counties/{county}/instructors/{id}/visits");
    public static readonly ApiRoute InstructorAssessments = new("POST", "/api/counties/{county}/instructors/{id}/assessments");
    public static readonly ApiRoute InstructorActivity = new("GET", "/api/counties/{county}/instructors/{id}/activity");
    public static readonly ApiRoute OrganisationMeetings = new("POST", "/api/counties/{county}/organisations/{id}/meetings");
    public static readonly ApiRoute OrganisationActivity = new("GET", "/api/counties/{county}/organisations/{id}/activity");
    public static readonly ApiRoute OrganisationEvaluations = new("POST", "/api/counties/{county}/organisations/{id}/evaluations");

    public static readonly ApiRoute RaiseIssue = new("POST", "/api/counties/{county}/issues");
    public static readonly ApiRoute ListIssues = new("GET", "/api/counties/{county}/issues");
    public static readonly ApiRoute GetIssue = new("GET", "/api/counties/{county}/issues/{id}");
    public static readonly ApiRoute IssueHistory = new("GET", "/api/counties/{county}/issues/{id}/history");
    public static readonly ApiRoute AssignIssue = new("POST", "/api/counties/{county}/issues/{id}/assign");
    public static readonly ApiRoute EscalateIssue = new("POST", "/api/counties/{county}/issues/{id}/escalate");
    public static readonly ApiRoute ResolveIssue = new("POST", "/api/counties/{county}/issues/{id}/resolve");
    public static readonly ApiRoute ReopenIssue = new("POST", "/api/counties/{county}/issues/{id}/reopen");

    public static readonly ApiRoute Comparison = new("GET", "/api/provinces/{province}/comparison");
    public static readonly ApiRoute ComparisonCsv = new("GET", "/api/provinces/{province}/comparison.csv");
    public static readonly ApiRoute ComparisonXlsx = new("GET", "/api/provinces/{province}/comparison.xlsx");
    public static readonly ApiRoute ComparisonChanges = new("GET", "/api/provinces/{province}/comparison/changes");
    public static readonly ApiRoute PrefectureComparisonChanges = new("GET", "/api/prefectures/{prefecture}/comparison/changes");
    public static readonly ApiRoute ProvinceTrend = new("GET", "/api/provinces/{province}/trend");
    public static readonly ApiRoute PrefectureTrend = new("GET", "/api/prefectures/{prefecture}/trend");

    public static readonly ApiRoute PrefectureComparison = new("GET", "/api/prefectures/{prefecture}/comparison");
    public static readonly ApiRoute PrefectureComparisonCsv = new("GET", "/api/prefectures/{prefecture}/comparison.csv");
    public static readonly ApiRoute PrefectureComparisonXlsx = new("GET", "/api/prefectures/{prefecture}/comparison.xlsx");

    public static readonly ApiRoute CountyReport = new("GET", "/api/counties/{county}/report.xlsx");
    public static readonly ApiRoute PrefectureReport = new("GET", "/api/prefectures/{prefecture}/report.xlsx");
    public static readonly ApiRoute ProvinceReport = new("GET", "/api/provinces/{province}/report.xlsx");

    public static readonly ApiRoute Import = new("POST", "/api/counties/{county}/imports");
    public static readonly ApiRoute ImportStatus = new("GET", "/api/counties/{county}/imports/{id}");
    public static readonly ApiRoute ApplyImport = new("POST", "/api/counties/{county}/imports/{id}/apply");

    public static readonly ApiRoute CountyAccounts = new("GET", "/api/counties/{county}/accounts");
    public static readonly ApiRoute CreateCountyAccount = new("POST", "/api/counties/{county}/accounts");
    public static readonly ApiRoute EndCountyAccount = new("DELETE", "/api/counties/{county}/accounts/{user}");
    public static readonly ApiRoute ProvinceAccounts = new("GET", "/api/provinces/{province}/accounts");
    public static readonly ApiRoute CreateProvinceAccount = new("POST", "/api/provinces/{province}/accounts");
    public static readonly ApiRoute EndProvinceAccount = new("DELETE", "/api/provinces/{province}/accounts/{user}");

    public static readonly ApiRoute Map = new("GET", "/api/counties/{county}/map");
    public static readonly ApiRoute CircleMembers = new("GET", "/api/counties/{county}/circles/{id}/members");
    public static readonly ApiRoute PlanStations = new("POST", "/api/counties/{county}/plans/stations");

    /// <summary>All 124 routes.</summary>
    public static readonly IReadOnlyList<ApiRoute> All =
    [
        CountyProfile, ConfigureCounty, ProvinceCounties,
        Summary, Reconcile, Changes, Todo, Trend,
        .. Registers.SelectMany<string, ApiRoute>(r => [List(r), Create(r), Get(r), Replace(r), Delete(r), History(r)]),
        .. PersonalRegisters.SelectMany<string, ApiRoute>(r => [List(r), Create(r), Get(r), Replace(r), Delete(r), History(r)]),
        StationMeetings, StationReports, StationActivity, InstructorVisits, InstructorAssessments, InstructorActivity,
        OrganisationMeetings, OrganisationActivity, OrganisationEvaluations,
        RaiseIssue, ListIssues, GetIssue, IssueHistory, AssignIssue, EscalateIssue, ResolveIssue, ReopenIssue,
        Comparison, ComparisonCsv, ComparisonXlsx, ProvinceTrend, PrefectureTrend, ComparisonChanges, PrefectureComparisonChanges,
        PrefectureComparison, PrefectureComparisonCsv, PrefectureComparisonXlsx,
        CountyReport, PrefectureReport, ProvinceReport,
        Import, ImportStatus, ApplyImport,
        Map, CircleMembers, PlanStations,
        CountyAccounts, CreateCountyAccount, EndCountyAccount, ProvinceAccounts, CreateProvinceAccount, EndProvinceAccount,
        .. Workbooks.SelectMany<string, ApiRoute>(r => [Template(r), Workbook(r)]),
    ];

    /// <summary>The SignalR hub and the scopes a client may subscribe to there.</summary>
    public const string Hub = "/hubs/live";
}
