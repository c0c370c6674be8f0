using Beacon.Grains.Rules;

namespace Beacon.Grains.Registers;

/// <summary>
/// A register entry as persisted: the profile (null once removed), the version every change increments, and the
/// history of changes, kept in the same record so that an audited change still costs one write.
/// </summary>
[GenerateSerializer]
public sealed class RegisterEntry<TProfile> where TProfile : class
{
    [Id(0)] public TProfile? Value { get; set; }
    [Id(1)] public long Version { get; set; }
    [Id(2)] public DateTimeOffset UpdatedAt { get; set; }
    [Id(3)] public List<RegisterChange<TProfile>> History { get; set; } = [];
}

/// <summary>
/// What every register entity does: check the actor and the rules, check references with its county, write its own
/// state with the change in its history, and only then acknowledge and report its new contribution to the county.
/// A refused change writes nothing.
/// </summary>
public abstract class RegisterGrain<TProfile>(IPersistentState<RegisterEntry<TProfile>> entry, TimeProvider time)
    : Grain, IRegisterGrain<TProfile> where TProfile : class
{
    /// <summary>Older changes than this many are dropped from an entity's history; the county's audit keeps its own.</summary>
    private const int HistoryLimit = 200;

    /// <summary>The current entry, for subclasses that keep more than the profile.</summary>
    protected RegisterEntry<TProfile> Entry => entry.State;
    protected TimeProvider Time => time;
    protected string County => Places.SplitTenantKey(this.GetPrimaryKeyString()).County;
    protected string Id => Places.SplitTenantKey(this.GetPrimaryKeyString()).Id;
    protected ICountyGrain CountyGrain => GrainFactory.GetGrain<ICountyGrain>(County);

    protected abstract EntityKind Kind { get; }
    /// <summary>The JSON name of the field that carries the id.</summary>
    protected abstract string IdField { get; }
    protected abstract string IdOf(TProfile profile);
    /// <summary>The station the entity belongs to, which decides what station staff may change.</summary>
    protected abstract string? StationOf(TProfile profile);
    protected abstract Validation Validate(TProfile profile);
    protected abstract EntityReferences ReferencesOf(TProfile profile);
    /// <summary>What the profile adds to the county's figures; <paramref name="profile"/> is null once removed.</summary>
    protected abstract Contribution ContributionOf(TProfile? profile, long version);

    public async Task<ChangeResult> PutAsync(TProfile profile, Actor actor)
    {
        if (profile is null) return ChangeResult.Invalid("body", "is required");
        var current = entry.State.Value;
        if (!actor.MayChange(County, Kind, current is not null, current is null ? null : StationOf(current), StationOf(profile)))
            return ChangeResult.Forbidden($"{actor} may not change {Kind.ToString().ToLowerInvariant()} {Id} of county {County} this way");
        var validation = Validate(profile);
        if (IdOf(profile) != Id) validation.Add(IdField, $"must be '{Id}', the id in the address");
        if (!validation.IsValid) return ChangeResult.Invalid(validation.Errors);

        // References the entity already had are still valid (nothing referenced can be removed), so an update that
        // keeps them needs no round trip to the county: most updates change figures, not links.
        var wanted = ReferencesOf(profile);
        if (current is null || ReferencesOf(current) != wanted)
        {
            var references = await CountyGrain.CheckReferencesAsync(wanted);
            if (references.Count > 0) return ChangeResult.Invalid(references);
        }

        var action = current is null ? "create" : "update";
        await SaveAsync(profile, actor, action);
        return new ChangeResult(current is null ? ChangeOutcome.Created : ChangeOutcome.Updated, entry.State.Version);
    }

    public Task<Versioned<TProfile>?> GetAsync() => Task.FromResult(
        entry.State.Value is { } value ? new Versioned<TProfile>(value, entry.State.Version, entry.State.UpdatedAt) : null);

    public async Task<ChangeResult> DeleteAsync(Actor actor)
    {
        if (entry.State.Value is not { } current) return ChangeResult.NotFound;
        if (!actor.MayChange(County, Kind, true, StationOf(current), StationOf(current)))
            return ChangeResult.Forbidden($"{actor} may not remove {Kind.ToString().ToLowerInvariant()} {Id} of county {County}");
        if (await CountyGrain.ReferencedByAsync(Kind, Id) is { } why) return ChangeResult.Invalid(IdField, why);
        // The version survives the removal, so a later re-creation still outranks every report from before.
        await SaveAsync(null, actor, "delete");
        return new ChangeResult(ChangeOutcome.Deleted, entry.State.Version);
    }

    public Task<RegisterChange<TProfile>[]> GetHistoryAsync() => Task.FromResult(entry.State.History.ToArray());

    public Task<Contribution?> GetContributionAsync() => Task.FromResult<Contribution?>(
        entry.State.Version == 0 ? null : ContributionOf(entry.State.Value, entry.State.Version));

    /// <summary>The one way a profile changes: state and history in one write, then the county hears of it.</summary>
    protected async Task SaveAsync(TProfile? next, Actor actor, string action)
    {
        var state = entry.State;
        var now = time.GetUtcNow();
        var change = new RegisterChange<TProfile>(state.Version + 1, now, actor.Name, action, state.Value, next);
        state.History.Add(change);
        if (state.History.Count > HistoryLimit) state.History.RemoveRange(0, state.History.Count - HistoryLimit);
        state.Value = next;
        state.Version = change.Version;
        state.UpdatedAt = now;
        await entry.WriteStateAsync();
        await CountyGrain.ReportAsync(ContributionOf(next, state.Version), new ChangeNote(Kind, Id, state.Version, action, actor.Name, now));
    }
}
