using Beacon.Grains.Rules;

namespace Beacon.Grains.Registers;

/// <summary>A register entry as persisted: the profile (null once removed) and the version every change increments.</summary>
[GenerateSerializer]
public sealed class RegisterEntry<TProfile> where TProfile : class
{
    [Id(0)] public TProfile? Value { get; set; }
    [Id(1)] public long Version { get; set; }
    [Id(2)] public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// What every register entity does: validate, check references with its county, write its own state, and only then
/// acknowledge and report its new contribution to the county. A rejected change writes nothing.
/// </summary>
public abstract class RegisterGrain<TProfile>(IPersistentState<RegisterEntry<TProfile>> entry, TimeProvider time)
    : Grain, IRegisterGrain<TProfile> where TProfile : class
{
    /// <summary>The current entry, for subclasses that keep more than the profile.</summary>
    protected RegisterEntry<TProfile> Entry => entry.State;
    protected TimeProvider Time => time;
    protected string County => Places.SplitTenantKey(this.GetPrimaryKeyString()).County;
    protected string Id => Places.SplitTenantKey(this.GetPrimaryKeyString()).Id;
    private ICountyGrain CountyGrain => GrainFactory.GetGrain<ICountyGrain>(County);

    protected abstract EntityKind Kind { get; }
    /// <summary>The JSON name of the field that carries the id.</summary>
    protected abstract string IdField { get; }
    protected abstract string IdOf(TProfile profile);
    protected abstract Validation Validate(TProfile profile);
    protected abstract EntityReferences ReferencesOf(TProfile profile);
    /// <summary>What the profile adds to the county's figures; <paramref name="profile"/> is null once removed.</summary>
    protected abstract Contribution ContributionOf(TProfile? profile, long version);

    public async Task<ChangeResult> PutAsync(TProfile profile, string actor)
    {
        if (profile is null) return ChangeResult.Invalid("body", "is required");
        var validation = Validate(profile);
        if (IdOf(profile) != Id) validation.Add(IdField, $"must be '{Id}', the id in the address");
        if (!validation.IsValid) return ChangeResult.Invalid(validation.Errors);

        var references = await CountyGrain.CheckReferencesAsync(ReferencesOf(profile));
        if (references.Count > 0) return ChangeResult.Invalid(references);

        var created = entry.State.Value is null;
        entry.State.Value = profile;
        entry.State.Version++;
        entry.State.UpdatedAt = time.GetUtcNow();
        await entry.WriteStateAsync();
        await CountyGrain.ReportAsync(ContributionOf(profile, entry.State.Version));
        return new ChangeResult(created ? ChangeOutcome.Created : ChangeOutcome.Updated, entry.State.Version);
    }

    public Task<Versioned<TProfile>?> GetAsync() => Task.FromResult(
        entry.State.Value is { } value ? new Versioned<TProfile>(value, entry.State.Version, entry.State.UpdatedAt) : null);

    public async Task<ChangeResult> DeleteAsync(string actor)
    {
        if (entry.State.Value is null) return ChangeResult.NotFound;
        if (await CountyGrain.ReferencedByAsync(Kind, Id) is { } why) return ChangeResult.Invalid(IdField, why);
        entry.State.Value = null;
        entry.State.Version++;
        entry.State.UpdatedAt = time.GetUtcNow();
        // The version survives the removal, so a later re-creation still outranks every report from before.
        await entry.WriteStateAsync();
        await CountyGrain.ReportAsync(ContributionOf(null, entry.State.Version));
        return new ChangeResult(ChangeOutcome.Deleted, entry.State.Version);
    }

    public Task<Contribution?> GetContributionAsync() => Task.FromResult<Contribution?>(
        entry.State.Version == 0 ? null : ContributionOf(entry.State.Value, entry.State.Version));
}
