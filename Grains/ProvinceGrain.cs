using Beacon.Grains.Figures;
using Beacon.Grains.Live;
using Microsoft.Extensions.Options;

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

public sealed class ProvinceGrain : Grain, IProvinceGrain
{
    private readonly IPersistentState<ProvinceState> _stored;
    private readonly GroupCommit _writes;
    private readonly TimeProvider _time;
    private readonly Publisher _publisher;
    private ProvinceState _state = new();
    private ProvinceComparison? _comparison;
    private long _seq;

    public ProvinceGrain(
        [PersistentState("province", BeaconStorage.Name)] IPersistentState<ProvinceState> state,
        IOptions<LiveOptions> options, TimeProvider time, ILogger<ProvinceGrain> logger)
    {
        _stored = state;
        _time = time;
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
        _publisher.Changed();
        return Task.CompletedTask;
    }

    public Task<ProvinceComparison> GetComparisonAsync() => CurrentAsync();

    public async Task FlagDuplicateAsync(string creditCode, string[] counties)
    {
        if (counties.Any(c => Places.ProvinceOf(c) != Code))
            throw new ArgumentException($"Not every county of [{string.Join(", ", counties)}] is in province {Code}.", nameof(counties));
        var known = _state.Duplicates.TryGetValue(creditCode, out var were);
        if (counties.Length < 2)
        {
            if (!known) return;
            _state.Duplicates.Remove(creditCode);
        }
        else
        {
            if (known && were!.SequenceEqual(counties)) return;
            _state.Duplicates[creditCode] = counties;
        }
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

    private async Task PublishAsync()
    {
        var now = _time.GetUtcNow();
        var rows = _state.Rows.Values.OrderBy(r => r.County, StringComparer.Ordinal).ToArray();
        var name = Places.ProvinceName(Code);
        var duplicates = _state.Duplicates.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => new DuplicateRegistration(d.Key, d.Value)).ToArray();
        _comparison = new ProvinceComparison(Code, name, ++_seq, now, rows, CountyFigures.Totals(Code, name, Code, name, Code, rows, _seq, now), duplicates);
        var comparison = _comparison;
        await _publisher.Observers.Notify(o => o.OnProvinceComparison(comparison));
    }
}
