using Beacon.Grains.Figures;
using Beacon.Grains.Live;
using Microsoft.Extensions.Options;

namespace Beacon.Grains;

/// <summary>The county's own settings and counters, durable before whatever depends on them is acknowledged.</summary>
[GenerateSerializer]
public sealed class CountyRegister
{
    [Id(0)] public CountyProfile? Profile { get; set; }
    // Ids 1-5 held the children's ids before they moved to rows of their own (ChildIds); read once to move them.
    [Id(1)] public HashSet<string>? Enterprises { get; set; }
    [Id(2)] public HashSet<string>? Stations { get; set; }
    [Id(3)] public HashSet<string>? Groups { get; set; }
    [Id(4)] public HashSet<string>? Instructors { get; set; }
    [Id(5)] public HashSet<string>? Issues { get; set; }
    [Id(6)] public int IssueCounter { get; set; }
    /// <summary>Counts activations, so that sequence numbers keep growing across restarts even when the ledger was written behind.</summary>
    [Id(7)] public long Epoch { get; set; }
    /// <summary>True while an activation runs: found true at activation, the last one ended without writing its ledger.</summary>
    [Id(8)] public bool Active { get; set; }

    /// <summary>A copy to persist, untouched by changes made while it is being written.</summary>
    public CountyRegister Snapshot() => new() { Profile = Profile, IssueCounter = IssueCounter, Epoch = Epoch, Active = Active };
}

public sealed class CountyGrain : Grain, ICountyGrain, IRemindable
{
    /// <summary>
    /// Wakes the county now and then even when nobody watches it, so that issues falling overdue reach the province's
    /// figures; while the county is active, a timer publishes at the exact deadline.
    /// </summary>
    private const string DeadlineReminder = "deadlines";
    private static readonly TimeSpan DeadlineSweep = TimeSpan.FromHours(1);

    /// <summary>Sequence numbers are epoch × this + publications in that activation: always growing, and consecutive within one.</summary>
    internal const long EpochStride = 1_000_000_000;

    private const int ReconcileConcurrency = 16;

    // Rows of the register and the ledger: a county of 3,000 enterprises keeps about 375 ids (10 KB) per register row
    // and 190 contributions (18 KB) per ledger row. More rows would make each write smaller, but every row is one more
    // read when the county wakes; with 64 ledger rows, 100 such counties took 8 s to show their figures after a restart.
    private const int ChildIdRows = 8;
    internal const int LedgerRows = 16;
    /// <summary>
    /// How often a running county writes one ledger row. The rows only spare a restart from waking every child: a
    /// county writes them all when it deactivates, and one that stopped without doing so reconciles when it next wakes,
    /// whatever its rows say. Rows written while it runs only keep the figures it shows in the seconds before that
    /// reconcile close to the truth. So a busy county lets its rows lag (one every 5 s, oldest change first, each row
    /// rewritten within 80 s) rather than add a database write for every few changes: 100 busy counties add 20 writes
    /// a second, whatever their rate, where one row a second added 100 (4% of what PostgreSQL commits here).
    /// </summary>
    private static readonly TimeSpan LedgerRowInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ReconcileAfterCrashDelay = TimeSpan.FromSeconds(5);

    private readonly IPersistentState<CountyRegister> _register;
    private readonly ChildRegister _children;
    private readonly ShardedState<CountyLedger> _ledger;
    private readonly ShardedState<RecentPage> _recentPages;
    /// <summary>The whole ledger in one row, as versions before the rows wrote it; read once to move it.</summary>
    private readonly IPersistentState<CountyLedger> _singleRowLedger;
    private readonly TimeProvider _time;
    private readonly Publisher _publisher;
    private CountyTally _tally = new(false);
    private CountySummary? _summary;
    private long _seq;
    private IGrainTimer? _deadlineTimer;
    // Reports interleave (see ICountyGrain.ReportAsync), so every write of a state goes through its group commit,
    // and writes a snapshot: the storage provider serialises after its first await, when an interleaved report may
    // already be changing the live register and ledger.
    private readonly GroupCommit _registerWrites;
    private CountyRegister _reg = new();
    private CountyLedger _led = new();
    /// <summary>
    /// <see cref="_led"/>'s contributions again, by the row each is written to, so that writing a row copies its 190
    /// contributions instead of hashing all of the county's 3,000 ids to find them. Changed only with <see cref="_led"/>,
    /// through <see cref="Keep"/> and <see cref="UseRows"/>.
    /// </summary>
    private CountyLedger[] _ledByRow = [];
    private RecentChanges _recent = new(_ => new RecentPage());
    private bool _deactivating;
    private DateTimeOffset _ledgerRowWrittenAt;
    private readonly AwaitedReports _awaited = new();
    private IGrainTimer? _sweepTimer;
    private readonly ILogger<CountyGrain> _logger;
    private string? _code;
    private IProvinceGrain? _province;

    public CountyGrain(
        [PersistentState("register", BeaconStorage.Name)] IPersistentState<CountyRegister> register,
        [PersistentState("ledger", BeaconStorage.Name)] IPersistentState<CountyLedger> singleRowLedger,
        IGrainContext context, IPersistentStateFactory states,
        IOptions<LiveOptions> options, TimeProvider time, ILogger<CountyGrain> logger)
    {
        _register = register;
        _singleRowLedger = singleRowLedger;
        _children = new ChildRegister(context, states, ChildIdRows, logger);
        _ledger = new ShardedState<CountyLedger>(context, states, "ledger", LedgerRows, i => _ledByRow[i].Copy());
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

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _reg = _register.State;
        _children.Load();
        // Each row was written with the contributions it holds, so the rows as stored need no sorting again.
        UseRows([.. Enumerable.Range(0, LedgerRows).Select(i => _ledger.Stored(i).Copy())]);
        _recent = new RecentChanges(_recentPages.Stored);
        await MoveSingleRowStateAsync();
        if (_reg.Profile is not null)
        {
            var endedUnwritten = _reg.Active;
            _reg.Epoch++;
            _reg.Active = true;
            await _registerWrites.WriteAsync();
            _tally = Rebuild(_led, _reg.Profile);
            await this.RegisterOrUpdateReminder(DeadlineReminder, DeadlineSweep, DeadlineSweep);
            // The figures show at once from the rows as written; the children's own answers then correct what the
            // crash lost, a little later so that a restart of many counties is not slowed by their children waking.
            if (endedUnwritten)
                this.RegisterGrainTimer(_ => ReconcileAsync(), new GrainTimerCreationOptions { DueTime = ReconcileAfterCrashDelay, Period = Timeout.InfiniteTimeSpan });
            // A child registered without a contribution was admitted and never heard from: ask it at the first sweep.
            var asked = _time.GetUtcNow() - AwaitedReports.AskAfter;
            foreach (var (kind, id) in _children.All)
                if (_led.Find(kind, id) is null) Expect(kind, id, asked);
        }
        _seq = _reg.Epoch * EpochStride;
    }

    /// <summary>A county last written by a version that kept its ids and ledger in one row each moves them into rows.</summary>
    private async Task MoveSingleRowStateAsync()
    {
        var legacyIds = Enum.GetValues<EntityKind>().Select(kind => (kind, ids: kind switch
        {
            EntityKind.Enterprise => _reg.Enterprises,
            EntityKind.Station => _reg.Stations,
            EntityKind.Group => _reg.Groups,
            EntityKind.Instructor => _reg.Instructors,
            _ => _reg.Issues,
        })).Where(x => x.ids is { Count: > 0 }).ToArray();
        if (legacyIds.Length > 0)
        {
            await _children.ReplaceAsync([.. _children.All, .. legacyIds.SelectMany(x => x.ids!.Select(id => (x.kind, id)))]);
            _reg.Enterprises = _reg.Stations = _reg.Groups = _reg.Instructors = _reg.Issues = null;
            await _registerWrites.WriteAsync();
        }
        if (_singleRowLedger.RecordExists)
        {
            // Versions decide, as with any report: a row written since is never overwritten by the older single row.
            foreach (var c in _singleRowLedger.State.All) Keep(c, out _);
            _ledger.ChangedAll();
            await _ledger.WriteChangedAsync();
            await _singleRowLedger.ClearStateAsync();
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (_reg.Profile is not null && _summary?.Issues.Overdue != _tally.OverdueAt(_time.GetUtcNow())) _publisher.Changed();
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

    public async Task ConfigureAsync(CountyProfile profile)
    {
        if (profile.Code != Code) throw new ArgumentException($"Profile is for {profile.Code}, not {Code}.", nameof(profile));
        var first = _reg.Profile is null;
        var recount = _reg.Profile?.AffiliatedCountsAsCovered != profile.AffiliatedCountsAsCovered;
        _reg.Profile = profile;
        if (first)
        {
            _reg.Epoch = Math.Max(_reg.Epoch, 1);
            _reg.Active = true;
        }
        await _registerWrites.WriteAsync();
        if (first)
        {
            _seq = _reg.Epoch * EpochStride;
            await this.RegisterOrUpdateReminder(DeadlineReminder, DeadlineSweep, DeadlineSweep);
        }
        if (recount) _tally = Rebuild(_led, profile);
        await Province.EnrolCountyAsync(Code, profile.Name);
        _publisher.Changed();
    }

    public async Task<CountySummary> GetSummaryAsync()
    {
        if (_summary is null || _publisher.Pending) await _publisher.PublishNowAsync();
        return _summary!;
    }

    public async Task ReportToProvinceAsync()
    {
        if (_reg.Profile is null) return;
        // A pending change is published now, and publishing reports to the province; otherwise send the last summary.
        if (_summary is null || _publisher.Pending) await _publisher.PublishNowAsync();
        else await Province.ReportAsync(_summary);
    }

    public async Task ReportAsync(Contribution contribution, ChangeNote? note = null)
    {
        _ = Profile;
        var kind = CountyLedger.KindOf(contribution);
        _awaited.Reported(kind, contribution.Id);
        if (!Keep(contribution, out var previous)) return;
        // A page of recent changes is written when it is full (and the current one when the county deactivates):
        // a crash loses at most a page of the feed, never an entity's own history.
        if (note is not null && _recent.Note(note) is { } page && _recent.Page(page).Notes.Count == RecentChanges.PageSize)
            _recentPages.Changed(page);
        if (previous is not null) _tally.Apply(previous, -1);
        _tally.Apply(contribution, +1);
        _publisher.Changed();

        // A new child is durable in the register before it is acknowledged (it was admitted, so usually it is already);
        // children created together share the write.
        await Task.WhenAll(_children.RecordAsync(kind, contribution.Id, contribution.Removed), HoldersChangedAsync(previous, contribution));
    }

    /// <summary>An enterprise that came or went is claimed or released under its credit code, whose holders the province sees.</summary>
    private async Task HoldersChangedAsync(Contribution? previous, Contribution? next)
    {
        if ((next ?? previous) is not EnterpriseContribution enterprise) return;
        var held = next is { Removed: false };
        if (held == previous is { Removed: false }) return;
        var code = GrainFactory.GetGrain<ICreditCodeGrain>(enterprise.Id);
        try
        {
            await (held ? code.ClaimAsync(Code) : code.ReleaseAsync(Code));
        }
        catch (Exception e)
        {
            // The enterprise's own change stands; only the province's flag of a duplicate may be late.
            _logger.LogWarning(e, "County {County} could not record its holding of credit code {CreditCode}", Code, enterprise.Id);
        }
    }

    public Task<IReadOnlyDictionary<string, string[]>> AdmitAsync(EntityKind kind, string id, EntityReferences references)
    {
        var errors = ReferenceErrors(references);
        if (errors.Count > 0) return Task.FromResult(errors);
        Expect(kind, id, _time.GetUtcNow());
        return RegisterAsync();

        async Task<IReadOnlyDictionary<string, string[]>> RegisterAsync()
        {
            await _children.RecordAsync(kind, id, removed: false);
            return errors;
        }
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

    /// <summary>Asks each child waited for too long for its contribution, and takes it as its report.</summary>
    private async Task SweepAsync()
    {
        var now = _time.GetUtcNow();
        foreach (var (kind, id, since) in _awaited.Due(now))
        {
            Contribution? answer;
            try
            {
                answer = await ContributionOf(kind, id);
            }
            catch (Exception e)
            {
                _logger.LogInformation(e, "County {County} could not ask {Kind} {Id} for its contribution; it asks again", Code, kind, id);
                if (now - since >= AwaitedReports.GiveUpAfter) _awaited.Reported(kind, id);
                continue;
            }
            if (answer is not null)
            {
                _logger.LogInformation("County {County} took the contribution of {Kind} {Id} (version {Version}) that was never reported", Code, kind, id, answer.Version);
                await ReportAsync(answer);
            }
            else if (now - since >= AwaitedReports.GiveUpAfter)
            {
                // Admitted and never stored: out of the register, unless it reported meanwhile.
                _awaited.Reported(kind, id);
                if (_led.Find(kind, id) is null) await _children.RecordAsync(kind, id, removed: true);
            }
        }
        if (!_awaited.Any)
        {
            _sweepTimer?.Dispose();
            _sweepTimer = null;
        }
    }

    private bool Registered(EntityKind kind, string id) => _children.Contains(kind, id);

    private IEnumerable<string> RegisteredIds(EntityKind kind) => _children.Ids(kind);

    public Task<IReadOnlyDictionary<string, string[]>> CheckReferencesAsync(EntityReferences references) =>
        Task.FromResult(ReferenceErrors(references));

    private IReadOnlyDictionary<string, string[]> ReferenceErrors(EntityReferences references)
    {
        var errors = new Rules.Validation();
        if (_reg.Profile is null) return errors.Add("county", $"{Code} is not a county of Beacon").Errors;
        if (references.StationId is { } s && !Registered(EntityKind.Station, s))
            errors.Add("stationId", $"station '{s}' does not exist in county {Code}");
        if (references.GroupId is { } g)
        {
            if (!Registered(EntityKind.Group, g)) errors.Add("groupId", $"group '{g}' does not exist in county {Code}");
            else if (references.StationId is { } station && _led.Groups.TryGetValue(g, out var group) && group.StationId != station)
                errors.Add("groupId", $"group '{g}' belongs to station '{group.StationId}', not '{station}'");
        }
        if (references.InstructorId is { } i && !Registered(EntityKind.Instructor, i))
            errors.Add("instructorId", $"instructor '{i}' does not exist in county {Code}");
        return errors.Errors;
    }

    public Task<string?> ReferencedByAsync(EntityKind kind, string id)
    {
        var ledger = _led;
        var users = kind switch
        {
            EntityKind.Station => ledger.Enterprises.Values.Where(e => !e.Removed && e.StationId == id).Select(e => $"enterprise {e.Id}")
                .Concat(ledger.Groups.Values.Where(g => !g.Removed && g.StationId == id).Select(g => $"group {g.Id}"))
                .Concat(ledger.Instructors.Values.Where(i => !i.Removed && i.StationId == id).Select(i => $"instructor {i.Id}")),
            EntityKind.Group => ledger.Enterprises.Values.Where(e => !e.Removed && e.GroupId == id).Select(e => $"enterprise {e.Id}")
                .Concat(ledger.Instructors.Values.Where(i => !i.Removed && i.GroupId == id).Select(i => $"instructor {i.Id}")),
            EntityKind.Instructor => ledger.Enterprises.Values.Where(e => !e.Removed && e.InstructorId == id).Select(e => $"enterprise {e.Id}"),
            // Resolved issues keep their history without the enterprise; open ones would be left with nobody to answer.
            EntityKind.Enterprise => ledger.Issues.Values.Where(i => !i.Removed && i.CreditCode == id && i.State != IssueState.Resolved)
                .Select(i => $"open issue {i.Id}"),
            _ => [],
        };
        var first = users.Take(4).ToArray();
        if (first.Length == 0)
        {
            Expect(kind, id, _time.GetUtcNow());
            return Task.FromResult<string?>(null);
        }
        return Task.FromResult<string?>($"is still referenced by {string.Join(", ", first)}{(first.Length == 4 ? " and others" : "")}");
    }

    public Task<ChangeNote[]> RecentChangesAsync(int limit) => Task.FromResult(_recent.Latest(limit));

    public Task<RegisterPage> QueryAsync(RegisterQuery query) => Task.FromResult(RegisterQueries.Run(_led, query));

    public Task<EnterpriseLink?> FindEnterpriseAsync(string creditCode) => Task.FromResult(FindEnterprise(creditCode));

    private EnterpriseLink? FindEnterprise(string creditCode) =>
        _led.Enterprises.TryGetValue(creditCode, out var e) && !e.Removed ? new EnterpriseLink(e.Id, e.StationId) : null;

    public Task<bool> ExistsAsync(EntityKind kind, string id) => Task.FromResult(Registered(kind, id));

    public Task<string[]> ListAsync(EntityKind kind) => Task.FromResult(RegisteredIds(kind).Order(StringComparer.Ordinal).ToArray());

    public async Task<RaisedIssue> RaiseIssueAsync(string creditCode, IssueCategory category, string text, Actor actor,
        DateTimeOffset? at = null)
    {
        _ = Profile;
        // A refused issue takes no number: the issue's own checks are made here first, from the county's memory.
        if (IssueGrain.RaiseRefusal(Code, creditCode, category, text, actor, FindEnterprise(creditCode), at, _time.GetUtcNow()) is { } refused)
            return new RaisedIssue(null, refused);
        _reg.IssueCounter++;
        var id = $"I{_reg.IssueCounter:D6}";
        // Numbered and registered before the issue stores itself, as every child is admitted.
        Expect(EntityKind.Issue, id, _time.GetUtcNow());
        await Task.WhenAll(_registerWrites.WriteAsync(), _children.RecordAsync(EntityKind.Issue, id, removed: false));
        // The issue asks this county for its profile and the enterprise, and reports to it: all calls that interleave.
        var result = await GrainFactory.GetGrain<IIssueGrain>(Places.TenantKey(Code, id)).RaiseAsync(creditCode, category, text, actor, at);
        return new RaisedIssue(id, result);
    }

    public async Task<ReconcileReport> ReconcileAsync()
    {
        var profile = Profile;
        var before = CountyFigures.Summarize(profile, _tally, _led, _seq, _time.GetUtcNow());
        var old = _led;
        var asked = old.All.ToDictionary(c => (CountyLedger.KindOf(c), c.Id));

        // Ask every child the register or the ledger knows of, removed ones included: the register is durable,
        // the ledger may be lost, and a removal may itself be the report that was wrong.
        var children = Enum.GetValues<EntityKind>().SelectMany(kind =>
            RegisteredIds(kind)
                .Concat(old.All.Where(c => CountyLedger.KindOf(c) == kind).Select(c => c.Id))
                .Distinct()
                .Select(id => (Kind: kind, Id: id)))
            .ToArray();
        // A few at a time: each child that wakes reads its state, and a county has thousands; all at once would
        // exhaust the database's connections.
        // (A semaphore, not Parallel.ForAsync, whose thread-pool callbacks would leave the grain's scheduler.)
        using var slots = new SemaphoreSlim(ReconcileConcurrency);
        var answers = await Task.WhenAll(children.Select(async child =>
        {
            await slots.WaitAsync();
            try { return await ContributionOf(child.Kind, child.Id); }
            finally { slots.Release(); }
        }));

        var fresh = new CountyLedger();
        var corrected = new List<string>();
        for (var i = 0; i < children.Length; i++)
        {
            var (kind, id) = children[i];
            var last = old.Find(kind, id);
            // The child's own answer wins. A child with no state keeps only a tombstone (so a late report from before
            // its removal cannot bring it back); a contribution with no entity behind it is dropped.
            var now = answers[i] ?? (last is { Removed: true } ? last : null);
            if (now is not null) fresh.TryReplace(now, out _);
            if (!Equals(last, now)) corrected.Add($"{kind.ToString().ToLowerInvariant()} {id}");
        }

        // Reports that arrived while the children were being asked (they interleave) may be newer than the answers.
        foreach (var reported in _led.All)
            if (!asked.TryGetValue((CountyLedger.KindOf(reported), reported.Id), out var known) || !ReferenceEquals(known, reported))
                fresh.TryReplace(reported, out _);
        UseRows(RowsOf(fresh));
        _tally = Rebuild(_led, profile);
        foreach (var enterprise in old.Enterprises.Keys.Union(fresh.Enterprises.Keys))
            await HoldersChangedAsync(old.Find(EntityKind.Enterprise, enterprise), fresh.Find(EntityKind.Enterprise, enterprise));
        _ledger.ChangedAll();
        await _children.ReplaceAsync([.. fresh.All.Where(c => !c.Removed).Select(c => (CountyLedger.KindOf(c), c.Id))]);
        await _ledger.WriteChangedAsync();
        await _publisher.PublishNowAsync();
        var differences = SummaryFigures.Differences(before, _summary!);
        return new ReconcileReport(Code, children.Length, [.. corrected.Order(StringComparer.Ordinal)], differences);
    }

    private Task<Contribution?> ContributionOf(EntityKind kind, string id)
    {
        var key = Places.TenantKey(Code, id);
        return kind switch
        {
            EntityKind.Enterprise => GrainFactory.GetGrain<IEnterpriseGrain>(key).GetContributionAsync(),
            EntityKind.Station => GrainFactory.GetGrain<IStationGrain>(key).GetContributionAsync(),
            EntityKind.Group => GrainFactory.GetGrain<IInstructorGroupGrain>(key).GetContributionAsync(),
            EntityKind.Instructor => GrainFactory.GetGrain<IInstructorGrain>(key).GetContributionAsync(),
            EntityKind.Issue => GrainFactory.GetGrain<IIssueGrain>(key).GetContributionAsync(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    public Task SubscribeAsync(ISummaryObserver observer) => _publisher.SubscribeAsync(observer);

    public Task UnsubscribeAsync(ISummaryObserver observer) => _publisher.UnsubscribeAsync(observer);

    private async Task PublishAsync()
    {
        var now = _time.GetUtcNow();
        _summary = CountyFigures.Summarize(Profile, _tally, _led, ++_seq, now);
        var summary = _summary;
        await _publisher.Observers.Notify(o => o.OnCountySummary(summary));
        ScheduleNextDeadline(now);
        await Province.ReportAsync(summary);
    }

    /// <summary>Issues fall overdue with nobody touching them: publish again when the next one does.</summary>
    private void ScheduleNextDeadline(DateTimeOffset now)
    {
        _deadlineTimer?.Dispose();
        _deadlineTimer = null;
        if (_tally.NextDeadlineAfter(now) is not { } next) return;
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
        var now = _time.GetUtcNow();
        var ledgerRows = _deactivating ? int.MaxValue : now - _ledgerRowWrittenAt >= LedgerRowInterval ? 1 : 0;
        if (ledgerRows > 0 && _ledger.AnyChanged) _ledgerRowWrittenAt = now;
        await Task.WhenAll(_ledger.WriteChangedAsync(ledgerRows), _recentPages.WriteChangedAsync(),
            _deactivating ? _children.FoldAsync() : Task.CompletedTask);
        if (_ledger.AnyChanged && !_deactivating) _publisher.WriteLater();
    }

    /// <summary>Keeps a newer contribution in the ledger and in its row, which is then written behind.</summary>
    private bool Keep(Contribution contribution, out Contribution? previous)
    {
        if (!_led.TryReplace(contribution, out previous)) return false;
        var row = _ledger.RowOf(contribution.Id);
        _ledByRow[row].TryReplace(contribution, out _);
        _ledger.Changed(row);
        return true;
    }

    /// <summary>The ledger is its rows taken together.</summary>
    private void UseRows(CountyLedger[] rows)
    {
        _ledByRow = rows;
        _led = new CountyLedger();
        foreach (var row in rows)
            foreach (var c in row.All) _led.TryReplace(c, out _);
    }

    private CountyLedger[] RowsOf(CountyLedger ledger)
    {
        var rows = new CountyLedger[LedgerRows];
        for (var i = 0; i < LedgerRows; i++) rows[i] = new CountyLedger();
        foreach (var c in ledger.All) rows[_ledger.RowOf(c.Id)].TryReplace(c, out _);
        return rows;
    }

    private static CountyTally Rebuild(CountyLedger ledger, CountyProfile profile)
    {
        var tally = new CountyTally(profile.AffiliatedCountsAsCovered);
        foreach (var c in ledger.All) tally.Apply(c, +1);
        return tally;
    }
}
