using Beacon.Grains.Figures;
using Beacon.Grains.Live;
using Microsoft.Extensions.Options;
using Orleans.Utilities;

namespace Beacon.Grains;

/// <summary>A province's counties and the latest summary each reported. Persisted behind, so a restart shows them at once.</summary>
[GenerateSerializer]
public sealed class ProvinceState
{
    [Id(0)] public Dictionary<string, string> Counties { get; set; } = [];
    [Id(1)] public Dictionary<string, CountySummary> Rows { get; set; } = [];
    [Id(2)] public long Epoch { get; set; }
    /// <summary>Credit codes held by two or more of the province's counties, and which.</summary>
    [Id(3)] public Dictionary<string, string[]> Duplicates { get; set; } = [];
    /// <summary>Each county's profile as last configured (a county enrolled before profiles were kept has none until asked).</summary>
    [Id(4)] public Dictionary<string, CountyProfile> Profiles { get; set; } = [];

    /// <summary>A copy to persist, untouched by reports that arrive while it is being written; the rows are immutable.</summary>
    public ProvinceState Snapshot() => new()
    {
        Counties = new(Counties), Rows = new(Rows), Epoch = Epoch, Duplicates = new(Duplicates), Profiles = new(Profiles),
    };
}

/// <summary>
/// One prefecture of a province as its grain keeps it in memory: the last comparison built, whether a report has
/// changed it since, its own count of comparisons (its seq) and the gateways observing it.
/// </summary>
internal sealed class PrefectureView(LiveOptions options, ILogger logger)
{
    public PrefectureComparison? Comparison;
    public bool Changed = true;
    public long Built;
    public ObserverManager<ISummaryObserver> Observers { get; } = new(options.ObserverExpiry, logger);

    public bool Watched
    {
        get
        {
            Observers.ClearExpired();
            return Observers.Count > 0;
        }
    }
}

public sealed class ProvinceGrain : Grain, IProvinceGrain
{
    private readonly IPersistentState<ProvinceState> _stored;
    private readonly GroupCommit _writes;
    private readonly TimeProvider _time;
    private readonly Publisher _publisher;
    private readonly LiveOptions _options;
    private readonly ILogger<ProvinceGrain> _logger;
    private readonly Dictionary<string, PrefectureView> _prefectures = new(StringComparer.Ordinal);
    private ProvinceState _state = new();
    private ProvinceComparison? _comparison;
    private long _seq;

    public ProvinceGrain(
        [PersistentState("province", BeaconStorage.Name)] IPersistentState<ProvinceState> state,
        IOptions<LiveOptions> options, TimeProvider time, ILogger<ProvinceGrain> logger)
    {
        _stored = state;
        _time = time;
        _options = options.Value;
        _logger = logger;
        // The write-behind interleaves with reports (see Publisher), so it writes a snapshot.
        _writes = new GroupCommit(() => { _stored.State = _state.Snapshot(); return _stored.WriteStateAsync(); });
        _publisher = new Publisher(this, options.Value, time, logger, PublishAsync, () => _writes.WriteAsync());
    }

    private string Code => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _state = _stored.State;
        if (_state.Counties.Count > 0)
        {
            _state.Epoch++;
            await _writes.WriteAsync();
        }
        _seq = _state.Epoch * CountyGrain.EpochStride;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        _publisher.KeepsNothingAt(reason) ? Task.CompletedTask : _publisher.FlushAsync();

    public async Task EnrolCountyAsync(CountyProfile profile)
    {
        var county = profile.Code;
        if (!Places.IsCountyCode(county) || Places.ProvinceOf(county) != Code)
            throw new ArgumentException($"County {county} is not in province {Code}.", nameof(profile));
        if (_state.Counties.TryGetValue(county, out var known) && known == profile.Name &&
            _state.Profiles.TryGetValue(county, out var kept) && kept == profile) return;
        _state.Counties[county] = profile.Name;
        _state.Profiles[county] = profile;
        if (_state.Epoch == 0) _seq = (_state.Epoch = 1) * CountyGrain.EpochStride;
        await _writes.WriteAsync();
        PrefectureChanged(county);
        _publisher.Changed();
    }

    public async Task<CountyProfile[]> GetCountiesAsync()
    {
        // A county enrolled before the province kept profiles: asked once (its GetProfileAsync interleaves, so the
        // county may be waiting on this province meanwhile), then kept.
        var missing = _state.Counties.Keys.Where(c => !_state.Profiles.ContainsKey(c)).ToArray();
        if (missing.Length > 0)
        {
            var asked = await Task.WhenAll(missing.Select(c => GrainFactory.GetGrain<ICountyGrain>(c).GetProfileAsync()));
            foreach (var profile in asked.OfType<CountyProfile>()) _state.Profiles.TryAdd(profile.Code, profile);
            await _writes.WriteAsync();
        }
        return [.. _state.Profiles.Values.OrderBy(p => p.Code, StringComparer.Ordinal)];
    }

    public Task ReportAsync(CountySummary summary)
    {
        if (!_state.Counties.ContainsKey(summary.County)) return Task.CompletedTask;
        if (_state.Rows.TryGetValue(summary.County, out var last) && last.Seq >= summary.Seq) return Task.CompletedTask;
        _state.Rows[summary.County] = summary;
        PrefectureChanged(summary.County);
        _publisher.Changed();
        return Task.CompletedTask;
    }

    public Task<ProvinceComparison> GetComparisonAsync() => CurrentAsync();

    public Task FlagDuplicatesAsync(DuplicateRegistration[] changed)
    {
        var touched = false;
        foreach (var (creditCode, counties) in changed)
        {
            var known = _state.Duplicates.TryGetValue(creditCode, out var were);
            if (counties.Length < 2)
            {
                if (!known) continue;
                _state.Duplicates.Remove(creditCode);
            }
            else
            {
                if (known && were!.SequenceEqual(counties)) continue;
                _state.Duplicates[creditCode] = counties;
            }
            foreach (var county in counties.Concat(were ?? [])) PrefectureChanged(county);
            touched = true;
        }
        return touched ? DuplicatesChangedAsync() : Task.CompletedTask;
    }

    public Task ReplaceDuplicatesAsync(DuplicateRegistration[] all)
    {
        var next = all.ToDictionary(d => d.CreditCode, d => d.Counties, StringComparer.Ordinal);
        var gone = _state.Duplicates.Where(d => !next.ContainsKey(d.Key)).Select(d => new DuplicateRegistration(d.Key, [])).ToArray();
        return FlagDuplicatesAsync([.. all, .. gone]);
    }

    private async Task DuplicatesChangedAsync()
    {
        // Durable at once: unlike the rows, no county reports the flag again.
        await _writes.WriteAsync();
        _publisher.Changed();
    }

    public async Task<ProvinceComparison?> GetComparisonUnlessAsync(long knownSeq) =>
        await CurrentAsync() is { } current && current.Seq != knownSeq ? current : null;

    private async Task<ProvinceComparison> CurrentAsync()
    {
        // A county enrolled but without a row (its report was lost with an unwritten province state): ask it to
        // report again, without waiting. Counties call the province, so a province waiting on a county could deadlock;
        // the row arrives with the county's report and the next publication carries it.
        foreach (var county in _state.Counties.Keys.Where(c => !_state.Rows.ContainsKey(c)))
            GrainFactory.GetGrain<ICountyGrain>(county).ReportToProvinceAsync().Ignore();
        if (_comparison is null || _publisher.Pending) await _publisher.PublishNowAsync();
        return _comparison!;
    }

    public Task SubscribeAsync(ISummaryObserver observer) => _publisher.SubscribeAsync(observer);

    public Task UnsubscribeAsync(ISummaryObserver observer) => _publisher.UnsubscribeAsync(observer);

    public Task<PrefectureComparison> GetPrefectureComparisonAsync(string prefecture) => CurrentAsync(prefecture);

    public async Task<ProvinceComparison> GetComparisonAsOfAsync(DateOnly day)
    {
        var (rows, at) = await RowsAsOfAsync([.. _state.Counties.Keys], day);
        var name = Places.ProvinceName(Code);
        return new ProvinceComparison(Code, name, 0, at, rows, CountyFigures.Totals(Code, name, Code, name, Code, rows, 0, at), []);
    }

    public async Task<PrefectureComparison> GetPrefectureComparisonAsOfAsync(string prefecture, DateOnly day)
    {
        var name = _state.Profiles.Values.Where(p => Places.PrefectureOf(p.Code) == prefecture)
            .OrderBy(p => p.Code, StringComparer.Ordinal).Select(p => p.PrefectureName).FirstOrDefault() ?? prefecture;
        var (rows, at) = await RowsAsOfAsync([.. _state.Counties.Keys.Where(c => Places.PrefectureOf(c) == prefecture)], day);
        return new PrefectureComparison(prefecture, name, 0, at, rows, CountyFigures.Totals(prefecture, name, prefecture, name, Code, rows, 0, at), []);
    }

    /// <summary>Each county's summary as the day ended (its snapshot, or the last before it), by code; and the day's end.</summary>
    private async Task<(CountySummary[] Rows, DateTimeOffset At)> RowsAsOfAsync(string[] counties, DateOnly day)
    {
        var read = await Task.WhenAll(counties.Select(county => Snapshots.AsOfAsync(GrainFactory, county, day)));
        var at = new DateTimeOffset(day.ToDateTime(new TimeOnly(23, 59, 59)), Rules.Validation.ChinaOffset);
        return ([.. read.OfType<CountySummary>().OrderBy(r => r.County, StringComparer.Ordinal)], at);
    }

    public async Task<PrefectureComparison?> GetPrefectureComparisonUnlessAsync(string prefecture, long knownSeq) =>
        await CurrentAsync(prefecture) is { } current && current.Seq != knownSeq ? current : null;

    public Task SubscribePrefectureAsync(string prefecture, ISummaryObserver observer)
    {
        View(prefecture).Observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public Task UnsubscribePrefectureAsync(string prefecture, ISummaryObserver observer)
    {
        if (_prefectures.TryGetValue(prefecture, out var view)) view.Observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    /// <summary>The prefecture's view, made when first asked for; only the prefectures of this province have one.</summary>
    private PrefectureView View(string prefecture)
    {
        if (!Places.IsPrefectureCode(prefecture) || Places.ProvinceOf(prefecture) != Code)
            throw new ArgumentException($"{prefecture} is not a prefecture of province {Code}.", nameof(prefecture));
        if (!_prefectures.TryGetValue(prefecture, out var view)) _prefectures[prefecture] = view = new PrefectureView(_options, _logger);
        return view;
    }

    /// <summary>A report, enrolment or duplicate touched the county: its prefecture's comparison is built again when next needed.</summary>
    private void PrefectureChanged(string county)
    {
        if (_prefectures.TryGetValue(Places.PrefectureOf(county), out var view)) view.Changed = true;
    }

    private async Task<PrefectureComparison> CurrentAsync(string prefecture)
    {
        var view = View(prefecture);
        // A pending change is published first (which builds the prefectures observed); an unobserved one is built here.
        if (_comparison is null || _publisher.Pending) await CurrentAsync();
        if (view.Changed || view.Comparison is null) Build(prefecture, view, _time.GetUtcNow());
        return view.Comparison!;
    }

    /// <summary>
    /// The prefecture's comparison from the rows the province holds, with the next seq of its own: the same rows,
    /// totals (<see cref="CountyFigures.Totals"/>) and duplicates as the province's, restricted to the prefecture.
    /// </summary>
    private PrefectureComparison Build(string prefecture, PrefectureView view, DateTimeOffset now)
    {
        var rows = _state.Rows.Values.Where(r => Places.PrefectureOf(r.County) == prefecture)
            .OrderBy(r => r.County, StringComparer.Ordinal).ToArray();
        // Its name is the one its counties give it (the first by code), or its code while it has none.
        var name = _state.Profiles.Values.Where(p => Places.PrefectureOf(p.Code) == prefecture)
            .OrderBy(p => p.Code, StringComparer.Ordinal).Select(p => p.PrefectureName).FirstOrDefault()
            ?? rows.Select(r => r.PrefectureName).FirstOrDefault() ?? prefecture;
        var duplicates = _state.Duplicates.Where(d => d.Value.Any(c => Places.PrefectureOf(c) == prefecture))
            .OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => new DuplicateRegistration(d.Key, d.Value)).ToArray();
        var seq = _state.Epoch * CountyGrain.EpochStride + ++view.Built;
        view.Changed = false;
        return view.Comparison = new PrefectureComparison(prefecture, name, seq, now, rows,
            CountyFigures.Totals(prefecture, name, prefecture, name, Code, rows, seq, now), duplicates);
    }

    private async Task PublishAsync()
    {
        var now = _time.GetUtcNow();
        var rows = _state.Rows.Values.OrderBy(r => r.County, StringComparer.Ordinal).ToArray();
        var name = Places.ProvinceName(Code);
        var duplicates = _state.Duplicates.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => new DuplicateRegistration(d.Key, d.Value)).ToArray();
        _comparison = new ProvinceComparison(Code, name, ++_seq, now, rows, CountyFigures.Totals(Code, name, Code, name, Code, rows, _seq, now), duplicates);
        var comparison = _comparison;
        // Only the prefectures someone observes, and only those a report changed: the others are built when read.
        var prefectures = _prefectures.Where(p => p.Value.Changed && p.Value.Watched)
            .Select(p => (p.Value, Comparison: Build(p.Key, p.Value, now))).ToArray();
        await _publisher.Observers.Notify(o => o.OnProvinceComparison(comparison));
        foreach (var (view, prefecture) in prefectures)
            await view.Observers.Notify(o => o.OnPrefectureComparison(prefecture));
    }
}
