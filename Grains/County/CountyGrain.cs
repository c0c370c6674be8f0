using Beacon.Grains.Figures;
using Beacon.Grains.Live;
using Beacon.Rules;
using Microsoft.Extensions.Options;

namespace Beacon.Grains;

/// <summary>The county's own settings and counters, durable before whatever depends on them is acknowledged.</summary>
[GenerateSerializer]
public sealed class CountyRegister
{
    [Id(0)] public CountyProfile? Profile { get; set; }
    [Id(1)] public int IssueCounter { get; set; }
    /// <summary>Counts activations, so that sequence numbers keep growing across restarts even when the ledger was written behind.</summary>
    [Id(2)] public long Epoch { get; set; }
    /// <summary>True while an activation runs: found true at activation, the last one ended without writing its ledger.</summary>
    [Id(3)] public bool Active { get; set; }
    /// <summary>The last day whose summary is kept as a snapshot (<see cref="ICountyMonthGrain"/>); null before the first day.</summary>
    [Id(4)] public DateOnly? SnapshotThrough { get; set; }

    /// <summary>A copy to persist, untouched by changes made while it is being written.</summary>
    public CountyRegister Snapshot() => new() { Profile = Profile, IssueCounter = IssueCounter, Epoch = Epoch, Active = Active, SnapshotThrough = SnapshotThrough };

    /// <summary>The next issue's id: the county numbers its issues, and a number is never given twice.</summary>
    public string NumberIssue() => $"I{++IssueCounter:D6}";
}

/// <summary>
/// The tenant. It composes its parts, each with one job: the durable index of its children (<see cref="ChildRegister"/>),
/// their last contributions (<see cref="LedgerRows"/>) and the running tally of its figures, the checks of what they
/// refer to (<see cref="CountyChecks"/>), the children whose reports it waits for (<see cref="AwaitedReports"/>), the
/// reconcile (<see cref="Reconciliation"/>), the feed of recent changes, and publishing (<see cref="Publisher"/>).
/// </summary>
public sealed class CountyGrain : Grain, ICountyGrain, IRemindable
{
    /// <summary>
    /// Wakes the county now and then even when nobody watches it, so that figures that change with time (issues falling
    /// overdue, terms falling due) reach the province; while the county is active, a timer publishes at the deadline.
    /// </summary>
    private const string DeadlineReminder = "deadlines";
    private static readonly TimeSpan DeadlineSweep = TimeSpan.FromHours(1);

    /// <summary>Wakes the county just after China's midnight, so that the day that ended is kept as its snapshot.</summary>
    private const string MidnightReminder = "midnight";

    /// <summary>Sequence numbers are epoch × this + publications in that activation: always growing, and consecutive within one.</summary>
    internal const long EpochStride = 1_000_000_000;

    // A county of 3,000 enterprises keeps about 375 ids (10 KB) per register row.
    private const int ChildIdRows = 8;
    private static readonly TimeSpan ReconcileAfterCrashDelay = TimeSpan.FromSeconds(5);

    private readonly IPersistentState<CountyRegister> _register;
    private readonly ChildRegister _children;
    private readonly LedgerRows _ledger;
    private readonly ShardedState<RecentPage> _recentPages;
    private readonly TimeProvider _time;
    private readonly Publisher _publisher;
    private readonly ILogger<CountyGrain> _logger;
    // Reports interleave (see ICountyGrain.ReportAsync), so every write of a state goes through its group commit,
    // and writes a snapshot: the storage provider serialises after its first await, when an interleaved report may
    // already be changing the live register and ledger.
    private readonly GroupCommit _registerWrites;
    private readonly AwaitedReports _awaited = new();
    private ClaimIndex _claims = new();
    private CountyRegister _reg = new();
    private CountyTally _tally = new(false);
    private CountySummary? _summary;
    private long _seq;
    private IGrainTimer? _deadlineTimer;
    private IGrainTimer? _sweepTimer;
    private RecentChanges _recent = new(_ => new RecentPage());
    private bool _deactivating;
    private string? _code;
    private IProvinceGrain? _province;

    public CountyGrain(
        [PersistentState("register", BeaconStorage.Name)] IPersistentState<CountyRegister> register,
        IGrainContext context, IPersistentStateFactory states,
        IOptions<LiveOptions> options, TimeProvider time, ILogger<CountyGrain> logger)
    {
        _register = register;
        _children = new ChildRegister(context, states, ChildIdRows, logger);
        _ledger = new LedgerRows(context, states);
        _recentPages = new ShardedState<RecentPage>(context, states, "recent", RecentChanges.Pages, i => _recent.Page(i).Copy());
        _time = time;
        _logger = logger;
        _registerWrites = new GroupCommit(() => { _register.State = _reg.Snapshot(); return _register.WriteStateAsync(); });
        _publisher = new Publisher(this, options.Value, time, logger, PublishAsync, WriteBehindAsync);
    }

    private string Code => _code ??= this.GetPrimaryKeyString();
    /// <summary>Made once: every publication reports to it, and GetGrain reflects over the interface on every call.</summary>
    private IProvinceGrain Province => _province ??= GrainFactory.GetGrain<IProvinceGrain>(Places.ProvinceOf(Code));
    private CountyProfile Profile => _reg.Profile ?? throw new InvalidOperationException($"County {Code} is not configured.");
    private CountyLedger Ledger => _ledger.Ledger;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _reg = _register.State;
        _children.Load();
        _ledger.Load();
        _claims = ClaimIndex.Of(Ledger);
        _recent = new RecentChanges(_recentPages.Stored);
        if (_reg.Profile is not null)
        {
            var endedUnwritten = _reg.Active;
            _reg.Epoch++;
            _reg.Active = true;
            // A county that kept no snapshot yet starts with today.
            _reg.SnapshotThrough ??= Validation.Today(_time.GetUtcNow()).AddDays(-1);
            // The activation is marked while the tally is rebuilt, and nothing is published before the mark is durable:
            // a later activation must find the epoch counted and this one running.
            var marked = Task.WhenAll(_registerWrites.WriteAsync(), KeepRemindersAsync());
            _tally = Rebuild(Ledger, _reg.Profile);
            await marked;
            await KeepStoredDayAsync();
            // The figures show at once from the rows as written; the children's own answers then correct what the
            // crash lost, a little later so that a restart of many counties is not slowed by their children waking.
            if (endedUnwritten)
                this.RegisterGrainTimer(_ => ReconcileAsync(), new GrainTimerCreationOptions { DueTime = ReconcileAfterCrashDelay, Period = Timeout.InfiniteTimeSpan });
            // A child registered without a contribution was admitted and never heard from: ask it at the first sweep.
            var asked = _time.GetUtcNow() - AwaitedReports.AskAfter;
            foreach (var (kind, id) in _children.All)
                if (Ledger.Find(kind, id) is null) Expect(kind, id, asked);
        }
        _seq = _reg.Epoch * EpochStride;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (_reg.Profile is null) return Task.CompletedTask;
        // Woken at midnight: a publication now keeps yesterday's last summary (or the activation kept the stored one).
        if (reminderName == MidnightReminder)
        {
            _publisher.Changed();
            return Task.CompletedTask;
        }
        var now = _time.GetUtcNow();
        var today = Validation.Today(now);
        if (_summary?.Issues.Overdue != _tally.OverdueAt(now) || _summary?.Organisations.TermsDue != _tally.TermsDueOn(today) ||
            _summary?.OrgLife.Month != OrganisationalLife.Name(OrganisationalLife.LastClosedMonth(today)) ||
            _summary?.Development?.Overdue != _tally.DevelopmentOverdueOn(today) || _summary?.Development?.Year != today.Year)
            _publisher.Changed();
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_reg.Profile is null || _publisher.KeepsNothingAt(reason)) return;
        // The flush's write-behind writes everything now: every changed ledger row, the page being filled and the
        // register rows, which leave the journal empty.
        _deactivating = true;
        _recentPages.Changed(_recent.Current);
        await _publisher.FlushAsync();
        // Only once the rows are written: a failed write leaves the activation marked running, so the next one reconciles.
        _reg.Active = false;
        await _registerWrites.WriteAsync();
    }

    public Task<CountyProfile?> GetProfileAsync() => Task.FromResult(_reg.Profile);

    public Task ConfigureAsync(CountyProfile profile)
    {
        if (profile.Code != Code) throw new ArgumentException($"Profile is for {profile.Code}, not {Code}.", nameof(profile));
        return ApplyAsync(profile);
    }

    public async Task<ChangeResult> ConfigureAsync(CountyProfile profile, Actor actor)
    {
        if (!actor.MayConfigure(Code))
            return ChangeResult.Forbidden(new($"{actor} 无权设置县 {Code}", $"{actor} may not configure county {Code}"));
        // The county is the grain's: a profile naming another is refused under "code", the body's field.
        var validation = CountyProfiles.Validate(profile with { Code = Code });
        if (profile.Code != Code)
            validation.Add("code", $"须为地址中的县 {Code}", $"must be the county of the address, {Code}");
        if (!validation.IsValid) return ChangeResult.Invalid(validation.Errors);
        var first = _reg.Profile is null;
        await ApplyAsync(profile);
        return new ChangeResult(first ? ChangeOutcome.Created : ChangeOutcome.Updated, 0);
    }

    /// <summary>
    /// Stores the profile, recounts what depends on it (which enterprises count as covered, when an issue falls
    /// overdue) and publishes; the linkage target and the names are read at every publication.
    /// </summary>
    private async Task ApplyAsync(CountyProfile profile)
    {
        var first = _reg.Profile is null;
        var recount = _reg.Profile?.AffiliatedCountsAsCovered != profile.AffiliatedCountsAsCovered
            || _reg.Profile?.OverdueDays != profile.OverdueDays;
        _reg.Profile = profile;
        _reg.SnapshotThrough ??= Validation.Today(_time.GetUtcNow()).AddDays(-1);
        if (first)
        {
            _reg.Epoch = Math.Max(_reg.Epoch, 1);
            _reg.Active = true;
        }
        await _registerWrites.WriteAsync();
        if (first)
        {
            _seq = _reg.Epoch * EpochStride;
            await KeepRemindersAsync();
        }
        if (recount) _tally = Rebuild(Ledger, profile);
        await Province.EnrolCountyAsync(profile);
        _publisher.Changed();
    }

    public async Task<CountySummary> GetSummaryAsync()
    {
        if (_summary is null || _publisher.Pending) await _publisher.PublishNowAsync();
        return _summary!;
    }

    public Task<TodoItem[]> GetTodoAsync(string? station, bool personal) =>
        Task.FromResult(CountyTodo.Build(_tally, Ledger, _time.GetUtcNow(), station, personal));

    public Task<CountyPlaces> GetPlacesAsync() => Task.FromResult(CountyMap.Places(this.GetPrimaryKeyString(), Ledger, _tally));

    public Task<CircleMembers?> GetCircleMembersAsync(string circleId) => Task.FromResult(CountyMap.Members(Ledger, circleId));

    public async Task ReportToProvinceAsync()
    {
        if (_reg.Profile is null) return;
        // A pending change is published now, and publishing reports to the province; otherwise send the last summary.
        if (_summary is null || _publisher.Pending) await _publisher.PublishNowAsync();
        else await Province.ReportAsync(_summary);
    }

    public Task ReportAsync(Contribution contribution, ChangeNote? note = null)
    {
        var registered = Keep(contribution, note, out var holding);
        if (holding is not { } h) return registered;
        var held = HoldAsync(h.Held ? [h.CreditCode] : [], h.Held ? [] : [h.CreditCode]);
        return Task.WhenAll(registered, held);
    }

    /// <summary>
    /// Takes a child's report into the ledger, the figures and the recent changes. The task is the child's entry in the
    /// durable register; <paramref name="holding"/> is an enterprise that came or went, whose credit code the
    /// province's index must hear of.
    /// </summary>
    private Task Keep(Contribution contribution, ChangeNote? note, out (string CreditCode, bool Held)? holding)
    {
        _ = Profile;
        holding = null;
        var kind = Registers.KindOf(contribution);
        _awaited.Reported(kind, contribution.Id);
        if (!_ledger.Keep(contribution, out var previous)) return Task.CompletedTask;
        _claims.Replaced(previous, contribution);
        // A page of recent changes is written when it is full (and the current one when the county deactivates):
        // a crash loses at most a page of the feed, never an entity's own history.
        if (note is not null && _recent.Note(note) is var page && _recent.Page(page).Notes.Count == RecentChanges.PageSize)
            _recentPages.Changed(page);
        if (previous is not null) _tally.Apply(previous, -1);
        _tally.Apply(contribution, +1);
        _publisher.Changed();

        var held = contribution is { Removed: false };
        if (contribution is EnterpriseContribution && held != previous is { Removed: false }) holding = (contribution.Id, held);
        // A child is durable in the register before it is acknowledged (it was admitted, so usually it is already);
        // children created together share the write.
        return _children.RecordAsync(kind, contribution.Id, contribution.Removed);
    }

    /// <summary>Enterprises that came or went, told to the province's index of credit codes in one call.</summary>
    private async Task HoldAsync(string[] held, string[] released)
    {
        try
        {
            await GrainFactory.GetGrain<ICreditCodeIndexGrain>(Places.ProvinceOf(Code)).HoldAsync(Code, held, released);
        }
        catch (Exception e)
        {
            // The enterprises' own changes stand; only the province's flag of a duplicate may be late (the index
            // counts every county's enterprises again when it next wakes).
            _logger.LogWarning(e, "County {County} could not tell its province of {Held} credit codes held and {Released} released",
                Code, held.Length, released.Length);
        }
    }

    public Task<IReadOnlyDictionary<string, Said[]>> CheckReferencesAsync(Contribution proposed) =>
        Task.FromResult(Errors(proposed));

    public Task<IReadOnlyDictionary<string, Said[]>> AdmitAsync(Contribution proposed)
    {
        var errors = Errors(proposed);
        if (errors.Count > 0) return Task.FromResult(errors);
        var kind = Registers.KindOf(proposed);
        Expect(kind, proposed.Id, _time.GetUtcNow());
        return RegisterAsync();

        async Task<IReadOnlyDictionary<string, Said[]>> RegisterAsync()
        {
            await _children.RecordAsync(kind, proposed.Id, removed: false);
            return errors;
        }
    }

    public Task<IReadOnlyDictionary<string, Said[]>[]> CheckAllAsync(Contribution[] proposed)
    {
        if (_reg.Profile is null) return Task.FromResult(proposed.Select(Errors).ToArray());
        // The rows before each, as if admitted: what they are and what they claim.
        var added = new HashSet<(EntityKind, string)>();
        var claimed = new Dictionary<(EntityKind, string), string>();
        var answers = new IReadOnlyDictionary<string, Said[]>[proposed.Length];
        for (var i = 0; i < proposed.Length; i++)
        {
            var p = proposed[i];
            var kind = Registers.KindOf(p);
            answers[i] = CountyChecks.Errors(Code, p, (k, id) => added.Contains((k, id)) || _children.Contains(k, id), Ledger,
                (k, value) => claimed.TryGetValue((k, value), out var holder) ? holder : _claims.HolderOf(k, value));
            if (answers[i].Count > 0) continue;
            added.Add((kind, p.Id));
            foreach (var claim in Registers.Of(kind).Claims(p)) claimed[(kind, claim.Value)] = p.Id;
        }
        return Task.FromResult(answers);
    }

    public async Task<IReadOnlyDictionary<string, Said[]>[]> AdmitAllAsync(Contribution[] proposed)
    {
        var answers = new IReadOnlyDictionary<string, Said[]>[proposed.Length];
        var now = _time.GetUtcNow();
        var writes = new List<Task>();
        for (var i = 0; i < proposed.Length; i++)
        {
            answers[i] = Errors(proposed[i]);
            if (answers[i].Count > 0) continue;
            var kind = Registers.KindOf(proposed[i]);
            if (_children.Contains(kind, proposed[i].Id)) continue;
            Expect(kind, proposed[i].Id, now);
            // Recorded at once in memory, so the rows after it may refer to it; written together.
            writes.Add(_children.RecordAsync(kind, proposed[i].Id, removed: false));
        }
        await Task.WhenAll(writes);
        return answers;
    }

    public Task ReportAllAsync(Contribution[] contributions, ChangeNote[] notes)
    {
        var notesOf = notes.ToDictionary(n => (n.Kind, n.Id));
        var writes = new List<Task>();
        List<string> held = [], released = [];
        foreach (var c in contributions)
        {
            writes.Add(Keep(c, notesOf.GetValueOrDefault((Registers.KindOf(c), c.Id)), out var holding));
            if (holding is { } h) (h.Held ? held : released).Add(h.CreditCode);
        }
        if (held.Count + released.Count > 0) writes.Add(HoldAsync([.. held], [.. released]));
        return Task.WhenAll(writes);
    }

    private IReadOnlyDictionary<string, Said[]> Errors(Contribution proposed) =>
        _reg.Profile is null
            ? new Dictionary<string, Said[]> { ["county"] = [new($"{Code} 不是 Beacon 的县", $"{Code} is not a county of Beacon")] }
            : CountyChecks.Errors(Code, proposed, _children, Ledger, _claims);

    public Task<Said?> ReferencedByAsync(EntityKind kind, string id)
    {
        var why = CountyChecks.ReferencedBy(kind, id, Ledger);
        if (why is null) Expect(kind, id, _time.GetUtcNow());
        return Task.FromResult(why);
    }

    public Task RecheckAsync(EntityKind kind, string id)
    {
        _ = Profile;
        Expect(kind, id, _time.GetUtcNow());
        return Task.CompletedTask;
    }

    private void Expect(EntityKind kind, string id, DateTimeOffset since)
    {
        _awaited.Expect(kind, id, since);
        _sweepTimer ??= this.RegisterGrainTimer(_ => SweepAsync(), new GrainTimerCreationOptions
        {
            DueTime = AwaitedReports.Sweep,
            Period = AwaitedReports.Sweep,
            Interleave = true,
        });
    }

    /// <summary>Asks each child waited for too long for its contribution, a few at a time, and takes it as its report.</summary>
    private async Task SweepAsync()
    {
        var now = _time.GetUtcNow();
        var due = _awaited.Due(now);
        using var slots = new SemaphoreSlim(Reconciliation.Concurrency);
        var answers = await Task.WhenAll(due.Select(async child =>
        {
            await slots.WaitAsync();
            try { return (Asked: true, Answer: await ContributionOf(child.Kind, child.Id)); }
            catch (Exception e)
            {
                _logger.LogInformation(e, "County {County} could not ask {Kind} {Id} for its contribution; it asks again", Code, child.Kind, child.Id);
                return (Asked: false, Answer: (Contribution?)null);
            }
            finally { slots.Release(); }
        }));
        for (var i = 0; i < due.Length; i++)
        {
            var (kind, id, since) = due[i];
            var (asked, answer) = answers[i];
            if (answer is not null)
            {
                _logger.LogInformation("County {County} took the contribution of {Kind} {Id} (version {Version}) that was never reported", Code, kind, id, answer.Version);
                await ReportAsync(answer);
            }
            else if (now - since >= AwaitedReports.GiveUpAfter)
            {
                // Admitted and never stored (or never reachable): out of the register, unless it reported meanwhile.
                _awaited.Reported(kind, id);
                if (asked && Ledger.Find(kind, id) is null) await _children.RecordAsync(kind, id, removed: true);
            }
        }
        if (!_awaited.Any)
        {
            _sweepTimer?.Dispose();
            _sweepTimer = null;
        }
    }

    public Task<ChangeNote[]> RecentChangesAsync(int limit) => Task.FromResult(_recent.Latest(limit));

    public Task<RegisterPage> QueryAsync(RegisterQuery query) => Task.FromResult(RegisterQueries.Run(Ledger, query));

    public Task<EnterpriseLink?> FindEnterpriseAsync(string creditCode) => Task.FromResult(FindEnterprise(creditCode));

    private EnterpriseLink? FindEnterprise(string creditCode) =>
        Ledger.FindLive(EntityKind.Enterprise, creditCode) is EnterpriseContribution e ? new EnterpriseLink(e.Id, e.StationId) : null;

    public Task<bool> ExistsAsync(EntityKind kind, string id) => Task.FromResult(_children.Contains(kind, id));

    public Task<string[]> WhichExistAsync(EntityKind kind, string[] ids) => Task.FromResult(ids.Where(id => _children.Contains(kind, id)).ToArray());

    public Task<Dictionary<string, Dictionary<string, int>>> CountReferencesAsync(EntityKind kind, string[] ids) =>
        Task.FromResult(CountyChecks.CountReferences(kind, ids, Ledger));

    public Task<string[]> ListAsync(EntityKind kind) => Task.FromResult(_children.Ids(kind).Order(StringComparer.Ordinal).ToArray());

    public async Task<RaisedIssue> RaiseIssueAsync(string creditCode, IssueCategory category, string text, Actor actor,
        DateTimeOffset? at = null)
    {
        var profile = Profile;
        var now = _time.GetUtcNow();
        // A refused issue takes no number: every check is made here first, from the county's memory.
        var enterprise = FindEnterprise(creditCode);
        if (IssueGrain.RaiseRefusal(Code, creditCode, category, text, actor, enterprise, at, now) is { } refused)
            return new RaisedIssue(null, refused);
        var id = _reg.NumberIssue();
        // Numbered and registered before the issue stores itself, as every child is admitted.
        Expect(EntityKind.Issue, id, now);
        await Task.WhenAll(_registerWrites.WriteAsync(), _children.RecordAsync(EntityKind.Issue, id, removed: false));
        // The issue is told all it needs and answers what to keep: it does not call back into this county.
        var raised = await GrainFactory.GetGrain<IIssueGrain>(Places.TenantKey(Code, id))
            .RaiseAsync(new IssueRaise(creditCode, category, text, enterprise!.StationId, at ?? now, profile.OverdueDays), actor);
        if (raised.Contribution is { } contribution) await ReportAsync(contribution, raised.Note);
        return new RaisedIssue(id, raised.Result);
    }

    public async Task<ReconcileReport> ReconcileAsync()
    {
        var profile = Profile;
        var before = CountyFigures.Summarize(profile, _tally, Ledger, _seq, _time.GetUtcNow());
        var old = Ledger;
        var (fresh, corrected, asked) = await Reconciliation.RebuildAsync(_children.All, old, () => Ledger, ContributionOf);
        _ledger.Replace(fresh);
        _claims = ClaimIndex.Of(Ledger);
        _tally = Rebuild(Ledger, profile);
        var wasHeld = old.Of(EntityKind.Enterprise).Where(c => !c.Removed).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var isHeld = fresh.Of(EntityKind.Enterprise).Where(c => !c.Removed).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        if (!wasHeld.SetEquals(isHeld)) await HoldAsync([.. isHeld.Except(wasHeld)], [.. wasHeld.Except(isHeld)]);
        await _children.ReplaceAsync([.. fresh.All.Where(c => !c.Removed).Select(c => (Registers.KindOf(c), c.Id))]);
        await _ledger.WriteAllAsync();
        await _publisher.PublishNowAsync();
        var figures = SummaryFigures.Compare(before, _summary!);
        return new ReconcileReport(Code, asked, corrected, [.. figures.Where(f => f.Before != f.After)], figures);
    }

    private Task<Contribution?> ContributionOf(EntityKind kind, string id) =>
        ((IChildGrain)GrainFactory.GetGrain(Registers.Of(kind).Grain, Places.TenantKey(Code, id))).GetContributionAsync();

    public Task SubscribeAsync(ISummaryObserver observer) => _publisher.SubscribeAsync(observer);

    public Task UnsubscribeAsync(ISummaryObserver observer) => _publisher.UnsubscribeAsync(observer);

    /// <summary>
    /// The deadline sweep and China's midnight (every day: the day's last summary becomes its snapshot even if the
    /// county sleeps then), registered only where missing: a registration is a write to the reminder table, and a
    /// restart activates every county at once.
    /// </summary>
    private async Task KeepRemindersAsync()
    {
        var kept = (await this.GetReminders()).Select(r => r.ReminderName).ToHashSet(StringComparer.Ordinal);
        if (!kept.Contains(DeadlineReminder)) await this.RegisterOrUpdateReminder(DeadlineReminder, DeadlineSweep, DeadlineSweep);
        if (kept.Contains(MidnightReminder)) return;
        var now = _time.GetUtcNow();
        await this.RegisterOrUpdateReminder(MidnightReminder, Snapshots.DayTurnsAfter(now) - now + TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
    }

    /// <summary>
    /// At activation the figures are those of the day of the county's last change (its recent changes say when): if
    /// that day has ended and is not kept yet, they are its snapshot. The days after it changed nothing, and read as it.
    /// </summary>
    private async Task KeepStoredDayAsync()
    {
        if (_recent.Latest(1) is not [var last]) return;
        var day = Validation.Today(last.At);
        if (day <= _reg.SnapshotThrough || day >= Validation.Today(_time.GetUtcNow())) return;
        await KeepAsync(new DaySnapshot(day, CountyFigures.Summarize(Profile, _tally, Ledger, _seq, _time.GetUtcNow())));
    }

    /// <summary>
    /// Before a publication replaces it: the last summary of a day that has since ended is that day's snapshot (the
    /// midnight reminder makes the county publish then, so a day without changes is kept too).
    /// </summary>
    private async Task KeepEndedDayAsync(CountySummary? previous, DateTimeOffset now)
    {
        if (previous is null) return;
        var day = Validation.Today(previous.AsOf);
        if (day < Validation.Today(now) && day > _reg.SnapshotThrough) await KeepAsync(new DaySnapshot(day, previous));
    }

    private async Task KeepAsync(DaySnapshot snapshot)
    {
        try
        {
            await GrainFactory.GetGrain<ICountyMonthGrain>(Snapshots.MonthKey(Code, snapshot.Day)).KeepAsync(snapshot);
            if (snapshot.Day > _reg.SnapshotThrough) _reg.SnapshotThrough = snapshot.Day;
            await _registerWrites.WriteAsync();
        }
        catch (Exception e)
        {
            // The day stays unkept, and the next publication or activation keeps it: a snapshot is never worth a lost change.
            _logger.LogWarning(e, "County {County}: the snapshot of {Day} was not kept; it is kept at the next publication", Code, snapshot.Day);
        }
    }

    private async Task PublishAsync()
    {
        var now = _time.GetUtcNow();
        await KeepEndedDayAsync(_summary, now);
        _summary = CountyFigures.Summarize(Profile, _tally, Ledger, ++_seq, now);
        var summary = _summary;
        await _publisher.Observers.Notify(o => o.OnCountySummary(summary));
        ScheduleNextDeadline(now);
        await Province.ReportAsync(summary);
    }

    /// <summary>
    /// Issues and development steps fall overdue and months end with nobody touching them: publish again when the next
    /// issue or step falls overdue or the month turns (China's midnight), whichever comes first, since organisational
    /// life is about the last closed month (and development's year turns with January).
    /// </summary>
    private void ScheduleNextDeadline(DateTimeOffset now)
    {
        _deadlineTimer?.Dispose();
        _deadlineTimer = null;
        var monthTurns = OrganisationalLife.MonthTurnsAfter(now);
        var next = _tally.NextDeadlineAfter(now) is { } deadline && deadline < monthTurns ? deadline : monthTurns;
        if (_tally.NextDevelopmentOverdueAfter(now) is { } step && step < next) next = step;
        var due = next - now + TimeSpan.FromMilliseconds(1);
        // Grain timers take at most ~49 days; a later deadline is looked at again then.
        if (due > TimeSpan.FromDays(30)) due = TimeSpan.FromDays(30);
        _deadlineTimer = this.RegisterGrainTimer(_ => { _publisher.Changed(); return Task.CompletedTask; },
            new GrainTimerCreationOptions { DueTime = due, Period = Timeout.InfiniteTimeSpan });
    }

    /// <summary>
    /// The write-behind: the recent pages and ledger rows changed since the last one, a bounded number of rows while
    /// the county runs (the rest follow), all of them when it deactivates, with the register's journal folded in.
    /// </summary>
    private async Task WriteBehindAsync()
    {
        await Task.WhenAll(_deactivating ? _ledger.WriteAllAsync() : _ledger.WriteBehindAsync(_time.GetUtcNow()), _recentPages.WriteChangedAsync(),
            _deactivating ? _children.FoldAsync() : Task.CompletedTask);
        if (_ledger.AnyUnwritten && !_deactivating) _publisher.WriteLater();
    }

    private static CountyTally Rebuild(CountyLedger ledger, CountyProfile profile)
    {
        var tally = new CountyTally(profile.AffiliatedCountsAsCovered, profile.OverdueDays);
        foreach (var c in ledger.All) tally.Apply(c, +1);
        return tally;
    }
}
