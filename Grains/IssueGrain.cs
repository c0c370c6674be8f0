using Beacon.Grains.Rules;

namespace Beacon.Grains;

/// <summary>
/// An issue from raised to resolved: open (possibly assigned to a station), escalated to the county committee,
/// resolved, reopened. Every step lands in its history with who and when.
/// </summary>
public sealed class IssueGrain(
    [PersistentState("issue", BeaconStorage.Name)] IPersistentState<IssueGrain.IssueState> state, TimeProvider time)
    : Grain, IIssueGrain
{
    [GenerateSerializer]
    public sealed class IssueState
    {
        [Id(0)] public IssueRecord? Issue { get; set; }
    }

    private string County => Places.SplitTenantKey(this.GetPrimaryKeyString()).County;
    private string Id => Places.SplitTenantKey(this.GetPrimaryKeyString()).Id;
    private ICountyGrain CountyGrain => GrainFactory.GetGrain<ICountyGrain>(County);

    /// <summary>Records taken over from earlier registers may be dated in the past, never in the future.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    public async Task<ChangeResult> RaiseAsync(string creditCode, IssueCategory category, string text, string actor, DateTimeOffset? at = null)
    {
        if (state.State.Issue is not null) return ChangeResult.Invalid("id", $"issue {Id} was raised already");
        var validation = RegisterRules.Issue(creditCode, category, text);
        if (!validation.IsValid) return ChangeResult.Invalid(validation.Errors);
        var profile = await CountyGrain.GetProfileAsync();
        if (profile is null) return ChangeResult.Invalid("county", $"{County} is not a county of Beacon");
        if (!await CountyGrain.ExistsAsync(EntityKind.Enterprise, creditCode))
            return ChangeResult.Invalid("creditCode", $"enterprise {creditCode} is not in the register of county {County}");

        var now = at ?? time.GetUtcNow();
        if (now > time.GetUtcNow() + ClockSkew) return ChangeResult.Invalid("at", "must not be in the future");
        var raised = new IssueStep("raise", actor, now, text);
        return await SaveAsync(new IssueRecord(Id, creditCode, category, text, Beacon.IssueState.Open, null, now,
            now.AddDays(profile.OverdueDays), null, [raised], 0), created: true);
    }

    public async Task<ChangeResult> AssignAsync(string stationId, string actor, DateTimeOffset? at = null)
    {
        if (state.State.Issue is not { } issue) return ChangeResult.NotFound;
        if (issue.State == Beacon.IssueState.Resolved) return ChangeResult.Invalid("state", "the issue is resolved; reopen it first");
        if (string.IsNullOrEmpty(stationId)) return ChangeResult.Invalid("stationId", "is required");
        if (StepTime(issue, at) is not { } when) return ChangeResult.Invalid("at", "must lie between the issue's last step and now");
        var references = await CountyGrain.CheckReferencesAsync(new EntityReferences(StationId: stationId));
        if (references.Count > 0) return ChangeResult.Invalid(references);
        return await StepAsync(issue with { StationId = stationId }, new IssueStep("assign", actor, when, StationId: stationId));
    }

    /// <summary>When a step happened: now, or a recorded time no earlier than the step before and not in the future.</summary>
    private DateTimeOffset? StepTime(IssueRecord issue, DateTimeOffset? at)
    {
        var now = time.GetUtcNow();
        if (at is not { } when) return now;
        return when > now + ClockSkew || when < issue.History[^1].At ? null : when;
    }

    public Task<ChangeResult> EscalateAsync(string reason, string actor)
    {
        if (state.State.Issue is not { } issue) return Task.FromResult(ChangeResult.NotFound);
        if (Invalid("reason", reason) is { } invalid) return Task.FromResult(invalid);
        if (issue.State != Beacon.IssueState.Open)
            return Task.FromResult(ChangeResult.Invalid("state", $"only an open issue can be escalated; this one is {issue.State.ToString().ToLowerInvariant()}"));
        return StepAsync(issue with { State = Beacon.IssueState.Escalated }, new IssueStep("escalate", actor, time.GetUtcNow(), reason));
    }

    public Task<ChangeResult> ResolveAsync(string resolution, string actor, DateTimeOffset? at = null)
    {
        if (state.State.Issue is not { } issue) return Task.FromResult(ChangeResult.NotFound);
        if (Invalid("resolution", resolution) is { } invalid) return Task.FromResult(invalid);
        if (issue.State == Beacon.IssueState.Resolved) return Task.FromResult(ChangeResult.Invalid("state", "the issue is resolved already"));
        if (StepTime(issue, at) is not { } now) return Task.FromResult(ChangeResult.Invalid("at", "must lie between the issue's last step and now"));
        return StepAsync(issue with { State = Beacon.IssueState.Resolved, ResolvedAt = now }, new IssueStep("resolve", actor, now, resolution));
    }

    public async Task<ChangeResult> ReopenAsync(string reason, string actor)
    {
        if (state.State.Issue is not { } issue) return ChangeResult.NotFound;
        if (Invalid("reason", reason) is { } invalid) return invalid;
        if (issue.State != Beacon.IssueState.Resolved) return ChangeResult.Invalid("state", "only a resolved issue can be reopened");
        var profile = await CountyGrain.GetProfileAsync();
        var now = time.GetUtcNow();
        return await StepAsync(
            issue with { State = Beacon.IssueState.Open, ResolvedAt = null, Deadline = now.AddDays(profile?.OverdueDays ?? 30) },
            new IssueStep("reopen", actor, now, reason));
    }

    public Task<IssueRecord?> GetAsync() => Task.FromResult(state.State.Issue);

    public Task<Contribution?> GetContributionAsync() => Task.FromResult<Contribution?>(state.State.Issue is { } i ? ContributionOf(i) : null);

    private static ChangeResult? Invalid(string field, string text)
    {
        var v = new Validation();
        v.Text(field, text, 2000);
        return v.IsValid ? null : ChangeResult.Invalid(v.Errors);
    }

    private Task<ChangeResult> StepAsync(IssueRecord next, IssueStep step) =>
        SaveAsync(next with { History = [.. next.History, step] }, created: false);

    private async Task<ChangeResult> SaveAsync(IssueRecord next, bool created)
    {
        next = next with { Version = next.Version + 1 };
        state.State.Issue = next;
        await state.WriteStateAsync();
        await CountyGrain.ReportAsync(ContributionOf(next));
        return new ChangeResult(created ? ChangeOutcome.Created : ChangeOutcome.Updated, next.Version);
    }

    private static IssueContribution ContributionOf(IssueRecord i) =>
        new(i.Id, i.Version, false, i.State, i.StationId, i.RaisedAt, i.Deadline, i.ResolvedAt);
}
