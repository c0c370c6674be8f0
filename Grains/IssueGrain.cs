using Beacon.Grains.Entities;
using Beacon.Rules;

namespace Beacon.Grains;

/// <summary>
/// An issue from raised to resolved: open (possibly assigned to a station), escalated to the county committee,
/// resolved, reopened. Every step lands in its history with who and when.
/// </summary>
public sealed class IssueGrain(
    [PersistentState("issue", BeaconStorage.Name)] IPersistentState<IssueGrain.IssueState> state, TimeProvider time)
    : Grain, IIssueGrain
{
    /// <summary>
    /// The issue as it stands, with the steps after its sealed pages (all of them until the first page is sealed).
    /// </summary>
    [GenerateSerializer]
    public sealed class IssueState
    {
        [Id(0)] public IssueRecord? Issue { get; set; }
        /// <summary>Pages of <see cref="PageSize"/> steps sealed into <see cref="IIssueStepsPageGrain"/>, numbered from 0.</summary>
        [Id(1)] public int SealedPages { get; set; }
    }

    /// <summary>
    /// Steps an issue keeps in its own record (<see cref="SealedPages"/>): the write stays bounded however often an
    /// issue goes round (an issue reopened every week for years).
    /// </summary>
    internal const int PageSize = SealedPages.Size;

    /// <summary>Records taken over from earlier registers may be dated in the past, never in the future.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    private CountyChild? _child;
    private CountyChild Child => _child ??= new CountyChild(this, GrainFactory);
    private string County => Child.County;
    private string Id => Child.Id;
    private ICountyGrain CountyGrain => Child.CountyGrain;

    public async Task<RaisedStep> RaiseAsync(IssueRaise raise, Actor actor)
    {
        if (state.State.Issue is not null) return new(ChangeResult.Invalid("id", $"问题 {Id} 已受理", $"issue {Id} was raised already"));
        // The station that links the enterprise handles its issues until someone assigns the issue elsewhere.
        var raised = new IssueStep("raise", actor.Label, raise.At, raise.Text, raise.StationId);
        var issue = new IssueRecord(Id, raise.CreditCode, raise.Category, raise.Text, Beacon.IssueState.Open, raise.StationId, raise.At,
            raise.At.AddDays(raise.OverdueDays), null, [raised], 1, OpenedAt: raise.At);
        await StoreAsync(issue, state.State.SealedPages);
        return new(new ChangeResult(ChangeOutcome.Created, 1), IssueContribution.Of(issue), Note(issue, raised));
    }

    /// <summary>
    /// Why an issue cannot be raised at the enterprise (which <paramref name="enterprise"/> is, or null if the county's
    /// register lacks it) on <paramref name="at"/> (null for now), or null. The county asks it before it numbers the
    /// issue, so a refused issue takes no number.
    /// </summary>
    internal static ChangeResult? RaiseRefusal(string county, string creditCode, IssueCategory category, string text, Actor actor,
        EnterpriseLink? enterprise, DateTimeOffset? at, DateTimeOffset now)
    {
        var validation = ActivityRules.Issue(creditCode, category, text);
        if (!validation.IsValid) return ChangeResult.Invalid(validation.Errors);
        if (enterprise is null)
            return ChangeResult.Invalid("creditCode", $"企业 {creditCode} 不在县 {county} 的名录中", $"enterprise {creditCode} is not in the register of county {county}");
        if (!actor.MayChange(county, EntityKind.Issue, false, null, enterprise.StationId))
            return ChangeResult.Forbidden(new($"{actor} 无权为企业 {creditCode} 受理问题", $"{actor} may not raise issues for enterprise {creditCode}"));
        if (at > now + ClockSkew) return ChangeResult.Invalid("at", "不能晚于现在", "must not be in the future");
        if (at < new DateTimeOffset(Validation.Earliest, TimeOnly.MinValue, TimeSpan.Zero))
            return ChangeResult.Invalid("at", $"不能早于 {Validation.Earliest:yyyy-MM-dd}", $"must not be before {Validation.Earliest:yyyy-MM-dd}");
        return null;
    }

    public async Task<ChangeResult> AssignAsync(string stationId, Actor actor, DateTimeOffset? at = null)
    {
        if (state.State.Issue is not { } issue) return ChangeResult.NotFound;
        if (await Refusal(issue, actor, stationId) is { } refused) return refused;
        if (issue.State == Beacon.IssueState.Resolved) return ChangeResult.Invalid("state", "问题已解决，请先重新打开", "the issue is resolved; reopen it first");
        if (string.IsNullOrEmpty(stationId)) return ChangeResult.Invalid("stationId", Validation.Required);
        if (StepTime(issue, at) is not { } when) return ChangeResult.Invalid("at", StepTimeRule);
        var assigned = issue with { StationId = stationId };
        var references = await CountyGrain.CheckReferencesAsync(IssueContribution.Of(assigned) with { Version = issue.Version + 1 });
        if (references.Count > 0) return ChangeResult.Invalid(references);
        return await StepAsync(assigned, new IssueStep("assign", actor.Label, when, StationId: stationId));
    }

    public async Task<ChangeResult> EscalateAsync(string reason, Actor actor)
    {
        if (state.State.Issue is not { } issue) return ChangeResult.NotFound;
        if (await Refusal(issue, actor) is { } refused) return refused;
        if (Invalid("reason", reason) is { } invalid) return invalid;
        if (issue.State != Beacon.IssueState.Open)
            return ChangeResult.Invalid("state", $"只有待解决的问题可以上报，本问题为 {JsonNames.Of(issue.State)}",
                $"only an open issue can be escalated; this one is {JsonNames.Of(issue.State)}");
        return await StepAsync(issue with { State = Beacon.IssueState.Escalated }, new IssueStep("escalate", actor.Label, time.GetUtcNow(), reason));
    }

    public async Task<ChangeResult> ResolveAsync(string resolution, Actor actor, DateTimeOffset? at = null)
    {
        if (state.State.Issue is not { } issue) return ChangeResult.NotFound;
        if (await Refusal(issue, actor) is { } refused) return refused;
        // Escalated means the station could not solve it: from then on it is the county committee's.
        if (issue.State == Beacon.IssueState.Escalated && !actor.MayAdminister(County))
            return ChangeResult.Forbidden(new($"{actor} 无权解决已上报县委的问题", $"{actor} may not resolve an issue escalated to the county committee"));
        if (Invalid("resolution", resolution) is { } invalid) return invalid;
        if (issue.State == Beacon.IssueState.Resolved) return ChangeResult.Invalid("state", "问题已解决", "the issue is resolved already");
        if (StepTime(issue, at) is not { } now) return ChangeResult.Invalid("at", StepTimeRule);
        return await StepAsync(issue with { State = Beacon.IssueState.Resolved, ResolvedAt = now }, new IssueStep("resolve", actor.Label, now, resolution));
    }

    public async Task<ChangeResult> ReopenAsync(string reason, Actor actor)
    {
        if (state.State.Issue is not { } issue) return ChangeResult.NotFound;
        if (await Refusal(issue, actor) is { } refused) return refused;
        if (Invalid("reason", reason) is { } invalid) return invalid;
        if (issue.State != Beacon.IssueState.Resolved) return ChangeResult.Invalid("state", "只有已解决的问题可以重新打开", "only a resolved issue can be reopened");
        var profile = await CountyGrain.GetProfileAsync();
        var now = time.GetUtcNow();
        return await StepAsync(
            issue with { State = Beacon.IssueState.Open, ResolvedAt = null, Deadline = now.AddDays(profile?.OverdueDays ?? 30), OpenedAt = now },
            new IssueStep("reopen", actor.Label, now, reason));
    }

    public async Task<IssueRecord?> GetAsync()
    {
        var issue = state.State.Issue;
        if (issue is null || state.State.SealedPages == 0) return issue;
        return issue with { History = await SealedPages.ReadAllAsync(state.State.SealedPages, n => Page(n).GetStepsAsync(), issue.History) };
    }

    public Task<Contribution?> GetContributionAsync() => Task.FromResult<Contribution?>(state.State.Issue is { } i ? IssueContribution.Of(i) : null);

    /// <summary>
    /// Whether the actor may act on this issue: its station is the one it is assigned to, or else the station of the
    /// enterprise that raised it; <paramref name="nextStation"/> is where an assignment would move it.
    /// </summary>
    private async Task<ChangeResult?> Refusal(IssueRecord issue, Actor actor, string? nextStation = null)
    {
        var station = issue.StationId ?? (await CountyGrain.FindEnterpriseAsync(issue.CreditCode))?.StationId;
        return actor.MayChange(County, EntityKind.Issue, true, station, nextStation ?? station)
            ? null
            : ChangeResult.Forbidden(new($"{actor} 无权处理问题 {Id}{(nextStation is null ? "" : $"或将其分派给指导站 {nextStation}")}",
                $"{actor} may not act on issue {Id}{(nextStation is null ? "" : $" or assign it to station {nextStation}")}"));
    }

    private static readonly Said StepTimeRule = new("须在问题上一步与现在之间", "must lie between the issue's last step and now");

    /// <summary>When a step happened: now, or a recorded time no earlier than the step before and not in the future.</summary>
    private DateTimeOffset? StepTime(IssueRecord issue, DateTimeOffset? at)
    {
        var now = time.GetUtcNow();
        if (at is not { } when) return now;
        return when > now + ClockSkew || when < issue.History[^1].At ? null : when;
    }

    private static ChangeResult? Invalid(string field, string text)
    {
        var v = new Validation();
        v.Text(field, text, 2000);
        return v.IsValid ? null : ChangeResult.Invalid(v.Errors);
    }

    /// <summary>A step after the first; a full current page is sealed first (<see cref="SealedPages"/>).</summary>
    private async Task<ChangeResult> StepAsync(IssueRecord next, IssueStep step)
    {
        var (rest, sealedPages) = await SealedPages.SealFullAsync(next.History, state.State.SealedPages, (n, page) => Page(n).SealAsync(page));
        return await SaveAsync(next with { History = [.. rest, step] }, step, sealedPages);
    }

    private async Task<ChangeResult> SaveAsync(IssueRecord next, IssueStep step, int sealedPages)
    {
        next = next with { Version = next.Version + 1 };
        await StoreAsync(next, sealedPages);
        await CountyGrain.ReportAsync(IssueContribution.Of(next), Note(next, step));
        return new ChangeResult(ChangeOutcome.Updated, next.Version);
    }

    /// <summary>Writes the issue; a step whose write failed is not half taken.</summary>
    private async Task StoreAsync(IssueRecord next, int sealedPages)
    {
        var before = (state.State.Issue, state.State.SealedPages);
        (state.State.Issue, state.State.SealedPages) = (next, sealedPages);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            (state.State.Issue, state.State.SealedPages) = before;
            throw;
        }
    }

    private ChangeNote Note(IssueRecord issue, IssueStep step) => new(EntityKind.Issue, Id, issue.Version, step.Action, step.By, step.At);

    private IIssueStepsPageGrain Page(int n) => GrainFactory.GetGrain<IIssueStepsPageGrain>($"{this.GetPrimaryKeyString()}/{n}");

}

/// <summary>One sealed page of an issue's steps, oldest first.</summary>
[GenerateSerializer]
public sealed class IssueStepsPage
{
    [Id(0)] public IssueStep[] Steps { get; set; } = [];
}

public sealed class IssueStepsPageGrain(
    [PersistentState("issue-steps-page", BeaconStorage.Name)] IPersistentState<IssueStepsPage> page)
    : Grain, IIssueStepsPageGrain
{
    public async Task SealAsync(IssueStep[] steps)
    {
        page.State.Steps = steps;
        await page.WriteStateAsync();
        // Only the issue's history route reads a sealed page again: it need not stay in memory until then.
        DeactivateOnIdle();
    }

    public Task<IssueStep[]> GetStepsAsync() => Task.FromResult(page.State.Steps);
}
