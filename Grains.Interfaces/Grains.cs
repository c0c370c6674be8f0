using Orleans.Concurrency;
namespace Beacon;

/// <summary>Receives live figures. Gateways implement it and forward to their SignalR groups.</summary>
public interface ISummaryObserver : IGrainObserver
{
    [OneWay] Task OnCountySummary(CountySummary summary);
    [OneWay] Task OnProvinceComparison(ProvinceComparison comparison);
    [OneWay] Task OnPrefectureComparison(PrefectureComparison comparison);
}

/// <summary>
/// A province: its counties (by prefecture, as their codes say), each county's profile and latest summary; it answers
/// the province's comparison and its prefectures'. Key: the province code.
/// </summary>
public interface IProvinceGrain : IGrainWithStringKey
{
    /// <summary>A county configured, new or again: the province lists it with this profile.</summary>
    Task EnrolCountyAsync(CountyProfile profile);
    /// <summary>The county tenants of the province, by code, as each was last configured.</summary>
    Task<CountyProfile[]> GetCountiesAsync();
    /// <summary>A county's newest summary; an older or repeated one (by <c>Seq</c>) changes nothing.</summary>
    Task ReportAsync(CountySummary summary);
    Task<ProvinceComparison> GetComparisonAsync();
    /// <summary>
    /// The comparison <see cref="GetComparisonAsync"/> would answer now, or null if its <c>Seq</c> is
    /// <paramref name="knownSeq"/>: a caller that keeps the last one asks without bringing it again.
    /// </summary>
    Task<ProvinceComparison?> GetComparisonUnlessAsync(long knownSeq);
    Task SubscribeAsync(ISummaryObserver observer);
    Task UnsubscribeAsync(ISummaryObserver observer);
    /// <summary>The comparison of one prefecture of this province: its counties' rows and their totals.</summary>
    Task<PrefectureComparison> GetPrefectureComparisonAsync(string prefecture);

    /// <summary>
    /// The province's counties as <paramref name="day"/> ended, from their snapshots (a county with none by then is
    /// left out), and their totals; no duplicates (they are today's). Interleaves: it reads the county list before
    /// its first wait and nothing of the province's after.
    /// </summary>
    [AlwaysInterleave]
    Task<ProvinceComparison> GetComparisonAsOfAsync(DateOnly day);

    /// <summary>As <see cref="GetComparisonAsOfAsync"/>, for one prefecture's counties.</summary>
    [AlwaysInterleave]
    Task<PrefectureComparison> GetPrefectureComparisonAsOfAsync(string prefecture, DateOnly day);
    /// <summary>As <see cref="GetPrefectureComparisonAsync"/>, or null if its <c>Seq</c> is <paramref name="knownSeq"/>.</summary>
    Task<PrefectureComparison?> GetPrefectureComparisonUnlessAsync(string prefecture, long knownSeq);
    /// <summary>
    /// Observes one prefecture: the observer gets its comparison at each publication of the province that changed
    /// it (and nothing of the province's own). A prefecture nobody observes is computed only when it is read.
    /// Subscribing again renews the subscription.
    /// </summary>
    Task SubscribePrefectureAsync(string prefecture, ISummaryObserver observer);
    Task UnsubscribePrefectureAsync(string prefecture, ISummaryObserver observer);
    /// <summary>
    /// Credit codes whose holders changed: the counties of this province whose registers hold each, flagged when there
    /// are two or more (fewer clears the flag). The comparison lists them, since each county counts the enterprise and
    /// the totals count it twice.
    /// </summary>
    Task FlagDuplicatesAsync(DuplicateRegistration[] changed);
    /// <summary>Every credit code this province's counties hold twice or more, replacing the flags kept (the index woke and counted them all).</summary>
    Task ReplaceDuplicatesAsync(DuplicateRegistration[] all);
}

/// <summary>
/// Which counties of a province hold each credit code: a credit code names one legal entity in the whole country, so
/// two counties holding it is a mistake (a move not recorded, a branch taken for its parent) that their province must
/// see. Key: the province code. Reached only by counties, when enterprises come and go.
/// </summary>
public interface ICreditCodeIndexGrain : IGrainWithStringKey
{
    /// <summary>The county's enterprises that came (<paramref name="held"/>) and went (<paramref name="released"/>).</summary>
    Task HoldAsync(string county, string[] held, string[] released);
}

/// <summary>The tenant. Key: the county code.</summary>
public interface ICountyGrain : IGrainWithStringKey
{
    // The reads marked [AlwaysInterleave] answer synchronously from the county's memory, so they cannot observe a
    // change half made; interleaving keeps them from queueing behind a reconcile, and children's writes behind them.
    [AlwaysInterleave]
    Task<CountyProfile?> GetProfileAsync();
    /// <summary>Configures the county as Beacon itself (demo data, tests): the profile is taken as it is.</summary>
    Task ConfigureAsync(CountyProfile profile);
    /// <summary>
    /// Creates the county or changes its profile and targets, for <paramref name="actor"/>: refused unless the actor
    /// may configure it (<see cref="Actor.MayConfigure"/>) and the profile keeps the rules (<see cref="CountyProfiles.Validate"/>).
    /// Created the first time, updated after; the figures follow at the next publication.
    /// </summary>
    Task<ChangeResult> ConfigureAsync(CountyProfile profile, Actor actor);
    Task<CountySummary> GetSummaryAsync();

    /// <summary>
    /// What is due or late in the county now, the latest first (<see cref="TodoItem"/>): of one station only when
    /// <paramref name="station"/> is given, and applicants' steps only when <paramref name="personal"/> says the caller sees them.
    /// </summary>
    Task<TodoItem[]> GetTodoAsync(string? station, bool personal);
    /// <summary>The county's places for its map (<see cref="CountyPlaces"/>), from the children's last reports.</summary>
    [AlwaysInterleave]
    Task<CountyPlaces> GetPlacesAsync();
    /// <summary>A circle's members now, or null when the county has no such circle.</summary>
    [AlwaysInterleave]
    Task<CircleMembers?> GetCircleMembersAsync(string circleId);
    /// <summary>Sends the current summary to the province again (which asks when it has lost a county's row).</summary>
    [OneWay] Task ReportToProvinceAsync();
    /// <summary>
    /// A child's contribution; kept only if its version is newer than the last one from that child. The note, when
    /// given, goes into the county's recent changes. Interleaves with other calls: its bookkeeping is synchronous,
    /// and children created at the same time then share one write of the register.
    /// </summary>
    [AlwaysInterleave]
    Task ReportAsync(Contribution contribution, ChangeNote? note = null);
    [AlwaysInterleave]
    Task<ChangeNote[]> RecentChangesAsync(int limit);
    [AlwaysInterleave]
    Task<RegisterPage> QueryAsync(RegisterQuery query);
    [AlwaysInterleave]
    Task<EnterpriseLink?> FindEnterpriseAsync(string creditCode);
    /// <summary>
    /// What is wrong, by field, with a child's contribution as it would be after a change: what it refers to that this
    /// county does not hold or does not accept (<see cref="Register.Links"/>), and what it claims that another child
    /// holds (<see cref="Register.Claims"/>).
    /// </summary>
    [AlwaysInterleave]
    Task<IReadOnlyDictionary<string, Said[]>> CheckReferencesAsync(Contribution proposed);
    /// <summary>
    /// A child about to store itself for the first time: checked as by <see cref="CheckReferencesAsync"/>, and when
    /// nothing is wrong the child is in the county's durable register before this returns, so that a crash between the
    /// child's own write and its report cannot leave it stored and unknown. The county asks a child it admitted for
    /// its contribution if no report follows.
    /// </summary>
    [AlwaysInterleave]
    Task<IReadOnlyDictionary<string, Said[]>> AdmitAsync(Contribution proposed);
    /// <summary>
    /// An import's rows, checked as <see cref="CheckReferencesAsync"/> checks one, in order, each as if the rows before
    /// it that are accepted were already in the county (an organisation whose parent comes earlier in the file, two rows
    /// claiming one township). Nothing is recorded: this is the preview's.
    /// </summary>
    [AlwaysInterleave]
    Task<IReadOnlyDictionary<string, Said[]>[]> CheckAllAsync(Contribution[] proposed);
    /// <summary>
    /// <see cref="AdmitAsync"/> for a batch of an import's rows, in order: the new ones accepted are in the durable
    /// register, in one write, before this returns; the others are checked as by <see cref="CheckReferencesAsync"/>.
    /// </summary>
    [AlwaysInterleave]
    Task<IReadOnlyDictionary<string, Said[]>[]> AdmitAllAsync(Contribution[] proposed);
    /// <summary><see cref="ReportAsync"/> for a batch of an import's rows: one publication, one write of the register.</summary>
    [AlwaysInterleave]
    Task ReportAllAsync(Contribution[] contributions, ChangeNote[] notes);
    /// <summary>
    /// Why the entity cannot be removed (who still refers to it), or null; null also tells the county the removal is
    /// coming, so that it asks the entity again if no report of it follows.
    /// </summary>
    [AlwaysInterleave]
    Task<Said?> ReferencedByAsync(EntityKind kind, string id);
    /// <summary>
    /// A change to the child may have been stored without its report reaching the county (the caller saw the call fail,
    /// not refused): the county asks the child for its contribution shortly, and until it answers.
    /// </summary>
    [AlwaysInterleave]
    Task RecheckAsync(EntityKind kind, string id);
    [AlwaysInterleave]
    Task<bool> ExistsAsync(EntityKind kind, string id);
    /// <summary>Which of the ids the county holds (an import's preview reads only those, not a grain for every new row).</summary>
    [AlwaysInterleave]
    Task<string[]> WhichExistAsync(EntityKind kind, string[] ids);
    /// <summary>For each entry of a register, how many live children refer to it, by <see cref="Register.Counted"/> name.</summary>
    [AlwaysInterleave]
    Task<Dictionary<string, Dictionary<string, int>>> CountReferencesAsync(EntityKind kind, string[] ids);
    [AlwaysInterleave]
    Task<string[]> ListAsync(EntityKind kind);
    /// <summary>
    /// Raises an issue at one of the county's enterprises under the county's next number; a refused issue takes none.
    /// <paramref name="at"/> dates an issue taken over from an earlier register.
    /// </summary>
    Task<RaisedIssue> RaiseIssueAsync(string creditCode, IssueCategory category, string text, Actor actor, DateTimeOffset? at = null);
    /// <summary>Rebuilds the figures from every registered child's current contribution and says what differed.</summary>
    Task<ReconcileReport> ReconcileAsync();
    Task SubscribeAsync(ISummaryObserver observer);
    Task UnsubscribeAsync(ISummaryObserver observer);
}

/// <summary>A child of a county, of any register. Key: <c>county/id</c>.</summary>
public interface IChildGrain : IGrainWithStringKey
{
    /// <summary>What this child adds to its county's figures now (for reconcile), or null if it never stored itself.</summary>
    Task<Contribution?> GetContributionAsync();
}

/// <summary>A register entity of a county. Key: <c>county/id</c>.</summary>
public interface IRegisterGrain<TProfile> : IChildGrain where TProfile : class
{
    /// <summary>Creates or replaces; validated against the rules and the county's other registers first.</summary>
    Task<ChangeResult> PutAsync(TProfile profile, Actor actor);
    /// <summary>
    /// An import's row: <see cref="PutAsync"/> with what it refers to and claims already checked by the county for its
    /// batch (<see cref="ICountyGrain.AdmitAllAsync"/>), and its report left to the batch
    /// (<see cref="ICountyGrain.ReportAllAsync"/>). A profile equal to the stored one writes nothing: <see cref="ChangeOutcome.Unchanged"/>.
    /// </summary>
    Task<StagedChange> PutAdmittedAsync(TProfile profile, Actor actor);
    Task<Versioned<TProfile>?> GetAsync();
    Task<ChangeResult> DeleteAsync(Actor actor);
    /// <summary>Every change, oldest first: who, when, before and after.</summary>
    Task<RegisterChange<TProfile>[]> GetHistoryAsync();
}

/// <summary>
/// A full page of a register entity's history, moved out of the entity so that the entity's own write stays small.
/// Reached only through its entity, which is how a county never reads another's. Key: <c>county/id/kind/n</c>.
/// </summary>
public interface IHistoryPageGrain<TProfile> : IGrainWithStringKey where TProfile : class
{
    /// <summary>
    /// Stores the page's changes, oldest first. The entity does so before it drops them from its own state, and again
    /// only if that write of its own failed.
    /// </summary>
    Task SealAsync(RegisterChange<TProfile>[] changes);
    Task<RegisterChange<TProfile>[]> GetChangesAsync();
}

public interface IEnterpriseGrain : IRegisterGrain<EnterpriseProfile>;

public interface IStationGrain : IRegisterGrain<StationProfile>
{
    Task<ChangeResult> RecordMeetingAsync(StationMeeting meeting, Actor actor);
    Task<ChangeResult> SubmitMonthlyReportAsync(MonthlyReport report, Actor actor);
    Task<StationActivity?> GetActivityAsync();
}

public interface IInstructorGroupGrain : IRegisterGrain<InstructorGroupProfile>;

public interface IApplicantGrain : IRegisterGrain<ApplicantProfile>;

public interface ITrainingGrain : IRegisterGrain<TrainingProfile>;

public interface IHonourGrain : IRegisterGrain<HonourProfile>;

public interface IContactPointGrain : IRegisterGrain<ContactPointProfile>;

public interface ICircleGrain : IRegisterGrain<CircleProfile>;

public interface IOrganisationGrain : IRegisterGrain<OrganisationProfile>
{
    /// <summary>Records a meeting of its organisational life; the county hears of it, since its figure counts them.</summary>
    Task<ChangeResult> RecordMeetingAsync(OrganisationMeeting meeting, Actor actor);
    /// <summary>
    /// Several meetings at once (the demo's months of them), each checked as <see cref="RecordMeetingAsync"/> checks
    /// one: all are kept with one write and one report, or none, the first refused naming its field.
    /// </summary>
    Task<ChangeResult> RecordMeetingsAsync(OrganisationMeeting[] meetings, Actor actor);
    /// <summary>
    /// The county committee's evaluation of the organisation for a year; a second for the same year is its revision,
    /// the one it replaces kept. The county hears of it: its figure counts the latest year's ratings.
    /// </summary>
    Task<ChangeResult> EvaluateAsync(OrganisationEvaluation evaluation, Actor actor);
    /// <summary>Its meetings, newest first, and its evaluations.</summary>
    Task<OrganisationActivity?> GetActivityAsync();
}

public interface IInstructorGrain : IRegisterGrain<InstructorProfile>
{
    Task<ChangeResult> RecordVisitAsync(Visit visit, Actor actor);
    /// <summary>Records an assessment; an annual one also sets the instructor's rating, which the county counts.</summary>
    Task<ChangeResult> AssessAsync(Assessment assessment, Actor actor);
    Task<InstructorActivity?> GetActivityAsync();
}

/// <summary>
/// A full page of an issue's steps, moved out of the issue so that a step's write stays small however often the issue
/// is reopened. Reached only through its issue. Key: <c>county/issue-id/n</c>.
/// </summary>
public interface IIssueStepsPageGrain : IGrainWithStringKey
{
    /// <summary>Stores the page's steps, oldest first: before the issue drops them, and again only if that write failed.</summary>
    Task SealAsync(IssueStep[] steps);
    Task<IssueStep[]> GetStepsAsync();
}

/// <summary>An issue's lifecycle and history. Key: <c>county/issue-id</c>.</summary>
public interface IIssueGrain : IChildGrain
{
    /// <summary>
    /// Raised by its county, which has numbered it and checked the raise: the issue stores itself and answers its
    /// contribution to the county rather than reporting it, so no call goes back to the county that is waiting.
    /// </summary>
    Task<RaisedStep> RaiseAsync(IssueRaise raise, Actor actor);
    Task<ChangeResult> AssignAsync(string stationId, Actor actor, DateTimeOffset? at = null);
    Task<ChangeResult> EscalateAsync(string reason, Actor actor);
    Task<ChangeResult> ResolveAsync(string resolution, Actor actor, DateTimeOffset? at = null);
    Task<ChangeResult> ReopenAsync(string reason, Actor actor);
    Task<IssueRecord?> GetAsync();
}

/// <summary>An issue's first step as its county takes it: the outcome, and what to keep when it succeeded.</summary>
[GenerateSerializer, Immutable]
public sealed record RaisedStep(
    [property: Id(0)] ChangeResult Result,
    [property: Id(1)] IssueContribution? Contribution = null,
    [property: Id(2)] ChangeNote? Note = null);
