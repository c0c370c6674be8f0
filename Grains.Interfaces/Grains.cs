using Orleans.Concurrency;
namespace Beacon;

/// <summary>Receives live figures. Gateways implement it and forward to their SignalR groups.</summary>
public interface ISummaryObserver : IGrainObserver
{
    [OneWay] Task OnCountySummary(CountySummary summary);
    [OneWay] Task OnProvinceComparison(ProvinceComparison comparison);
}

/// <summary>A province: its counties and each county's latest summary. Key: the province code.</summary>
public interface IProvinceGrain : IGrainWithStringKey
{
    Task EnrolCountyAsync(string county, string name);
    /// <summary>A county's newest summary; an older or repeated one (by <c>Seq</c>) changes nothing.</summary>
    Task ReportAsync(CountySummary summary);
    Task<ProvinceComparison> GetComparisonAsync();
    Task SubscribeAsync(ISummaryObserver observer);
    Task UnsubscribeAsync(ISummaryObserver observer);
}

/// <summary>The tenant. Key: the county code.</summary>
public interface ICountyGrain : IGrainWithStringKey
{
    Task<CountyProfile?> GetProfileAsync();
    Task ConfigureAsync(CountyProfile profile);
    Task<CountySummary> GetSummaryAsync();
    /// <summary>Sends the current summary to the province again (which asks when it has lost a county's row).</summary>
    [OneWay] Task ReportToProvinceAsync();
    /// <summary>A child's contribution; kept only if its version is newer than the last one from that child.</summary>
    Task ReportAsync(Contribution contribution);
    /// <summary>Which of the given references do not exist in this county, by field name.</summary>
    Task<IReadOnlyDictionary<string, string[]>> CheckReferencesAsync(EntityReferences references);
    /// <summary>Why the entity cannot be removed (who still refers to it), or null.</summary>
    Task<string?> ReferencedByAsync(EntityKind kind, string id);
    Task<bool> ExistsAsync(EntityKind kind, string id);
    Task<string[]> ListAsync(EntityKind kind);
    Task<string> NextIssueIdAsync();
    /// <summary>Rebuilds the figures from every registered child's current contribution and says what differed.</summary>
    Task<ReconcileReport> ReconcileAsync();
    Task SubscribeAsync(ISummaryObserver observer);
    Task UnsubscribeAsync(ISummaryObserver observer);
}

public enum EntityKind { Enterprise, Station, Group, Instructor, Issue }

[GenerateSerializer, Immutable]
public sealed record EntityReferences(
    [property: Id(0)] string? StationId = null,
    [property: Id(1)] string? GroupId = null,
    [property: Id(2)] string? InstructorId = null);

/// <summary>A register entity of a county. Key: <c>county/id</c>.</summary>
public interface IRegisterGrain<TProfile> : IGrainWithStringKey
{
    /// <summary>Creates or replaces; validated against the rules and the county's other registers first.</summary>
    Task<ChangeResult> PutAsync(TProfile profile, string actor);
    Task<Versioned<TProfile>?> GetAsync();
    Task<ChangeResult> DeleteAsync(string actor);
    /// <summary>What this entity adds to its county's figures now (for reconcile).</summary>
    Task<Contribution?> GetContributionAsync();
}

public interface IEnterpriseGrain : IRegisterGrain<EnterpriseProfile>;

public interface IStationGrain : IRegisterGrain<StationProfile>
{
    Task<ChangeResult> RecordMeetingAsync(StationMeeting meeting, string actor);
    Task<ChangeResult> SubmitMonthlyReportAsync(MonthlyReport report, string actor);
    Task<StationActivity?> GetActivityAsync();
}

public interface IInstructorGroupGrain : IRegisterGrain<InstructorGroupProfile>;

public interface IInstructorGrain : IRegisterGrain<InstructorProfile>
{
    Task<ChangeResult> RecordVisitAsync(Visit visit, string actor);
    /// <summary>Records an assessment; an annual one also sets the instructor's rating, which the county counts.</summary>
    Task<ChangeResult> AssessAsync(Assessment assessment, string actor);
    Task<InstructorActivity?> GetActivityAsync();
}

/// <summary>An issue's lifecycle and history. Key: <c>county/issue-id</c>.</summary>
public interface IIssueGrain : IGrainWithStringKey
{
    /// <summary><paramref name="at"/> records when it happened, for issues taken over from earlier records; now if null.</summary>
    Task<ChangeResult> RaiseAsync(string creditCode, IssueCategory category, string text, string actor, DateTimeOffset? at = null);
    Task<ChangeResult> AssignAsync(string stationId, string actor, DateTimeOffset? at = null);
    Task<ChangeResult> EscalateAsync(string reason, string actor);
    Task<ChangeResult> ResolveAsync(string resolution, string actor, DateTimeOffset? at = null);
    Task<ChangeResult> ReopenAsync(string reason, string actor);
    Task<IssueRecord?> GetAsync();
    Task<Contribution?> GetContributionAsync();
}
