using System.Diagnostics.CodeAnalysis;
using Beacon.Grains.Rules;

namespace Beacon.Grains.Registers;

/// <summary>
/// A register entry as persisted: the profile (null once removed), the version every change increments, and the
/// newest page of its history, kept in the same record so that an audited change still costs one write. Older
/// changes are in <see cref="SealedPages"/> sealed pages (<see cref="IHistoryPageGrain{TProfile}"/>), numbered from 0.
/// </summary>
[GenerateSerializer]
public sealed class RegisterEntry<TProfile> where TProfile : class
{
    [Id(0)] public TProfile? Value { get; set; }
    [Id(1)] public long Version { get; set; }
    [Id(2)] public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>
    /// The current page. A change here keeps its Before only if it is the page's first: every other Before is the
    /// previous change's After, restored on reading. Entries stored before paging have theirs, and may be up to 200.
    /// </summary>
    [Id(3)] public List<RegisterChange<TProfile>> History { get; set; } = [];
    [Id(4)] public int SealedPages { get; set; }
}

/// <summary>
/// What every register entity does: check the actor and the rules, check references with its county, write its own
/// state with the change in its history, and only then acknowledge and report its new contribution to the county.
/// A refused change writes nothing.
/// </summary>
public abstract class RegisterGrain<TProfile>(IPersistentState<RegisterEntry<TProfile>> entry, TimeProvider time)
    : Grain, IRegisterGrain<TProfile> where TProfile : class
{
    /// <summary>
    /// Changes an entity keeps in its own state before it seals them into a page (<see cref="SealedPages"/>). Sealed
    /// pages are all kept: the audit must be complete, a sealed page costs no write after its own, and only the history
    /// route reads them (all at once: ten years of daily changes is some 115 pages).
    /// </summary>
    internal const int PageSize = SealedPages.Size;

    /// <summary>The current entry, for subclasses that keep more than the profile.</summary>
    protected RegisterEntry<TProfile> Entry => entry.State;
    protected TimeProvider Time => time;
    private CountyChild? _child;
    private CountyChild Child => _child ??= new CountyChild(this, GrainFactory);
    protected string County => Child.County;
    protected string Id => Child.Id;
    protected ICountyGrain CountyGrain => Child.CountyGrain;

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

    /// <summary>
    /// <paramref name="next"/> with every part equal to <paramref name="previous"/>'s taken from it (see
    /// <see cref="Reuse"/>). A part left out is written whole again: a new field forgotten here costs bytes, never a value.
    /// </summary>
    protected abstract TProfile Reusing(TProfile next, TProfile previous);

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
        // keeps them needs no round trip to the county: most updates change figures, not links. An entity stored for
        // the first time is admitted by the county first, so that it is known there before it exists.
        var wanted = ReferencesOf(profile);
        if (current is null || ReferencesOf(current) != wanted)
        {
            var references = current is null
                ? await CountyGrain.AdmitAsync(Kind, Id, wanted)
                : await CountyGrain.CheckReferencesAsync(wanted);
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

    public async Task<RegisterChange<TProfile>[]> GetHistoryAsync()
    {
        var changes = await SealedPages.ReadAllAsync(entry.State.SealedPages, n => Page(n).GetChangesAsync(), entry.State.History);
        var history = new List<RegisterChange<TProfile>>();
        foreach (var change in changes)
            history.Add(history.Count == 0 ? change : change with { Before = change.Before ?? history[^1].After });
        return [.. history];
    }

    public Task<Contribution?> GetContributionAsync() => Task.FromResult<Contribution?>(
        entry.State.Version == 0 ? null : ContributionOf(entry.State.Value, entry.State.Version));

    /// <summary>
    /// The one way a profile changes: state and history in one write, then the county hears of it. A full current
    /// page is sealed first (<see cref="SealedPages"/>); an entity stored before paging seals all its full pages at once.
    /// </summary>
    protected async Task SaveAsync(TProfile? next, Actor actor, string action)
    {
        var state = entry.State;
        var (rest, sealedPages) = await SealedPages.SealFullAsync(state.History, state.SealedPages, (n, page) => Page(n).SealAsync(page));
        if (sealedPages != state.SealedPages) (state.History, state.SealedPages) = ([.. rest], sealedPages);

        var now = time.GetUtcNow();
        var before = state.History.Count == 0 ? state.Value : null;
        if (next is not null && state.Value is { } previous) next = next.Equals(previous) ? previous : Reusing(next, previous);
        var by = state.History.Count > 0 ? Reuse(actor.Name, state.History[^1].By) : actor.Name;
        var change = new RegisterChange<TProfile>(state.Version + 1, now, by, action, before, next);
        state.History.Add(change);
        state.Value = next;
        state.Version = change.Version;
        state.UpdatedAt = now;
        await entry.WriteStateAsync();
        await CountyGrain.ReportAsync(ContributionOf(next, state.Version), new ChangeNote(Kind, Id, state.Version, action, by, now));
    }

    /// <summary>
    /// <paramref name="previous"/> if it equals <paramref name="next"/>. Every change arrives as new objects, and the
    /// record keeps a page of versions: Orleans' serializer writes an object already written in the same record as a
    /// reference of a few bytes, so a change that reuses its predecessor's equal strings and parts adds to the record
    /// what it changed and a reference for each part it kept (an enterprise's change some 75 B instead of 130 B).
    /// </summary>
    [return: NotNullIfNotNull(nameof(next))]
    protected static T? Reuse<T>(T? next, T? previous) where T : class => next is not null && next.Equals(previous) ? previous : next;

    /// <summary><see cref="Reuse"/> for arrays, which compare by reference: equal elements make an equal array.</summary>
    protected static T[] ReuseAll<T>(T[] next, T[] previous) where T : class => next.SequenceEqual(previous) ? previous : next;

    private IHistoryPageGrain<TProfile> Page(int n) =>
        GrainFactory.GetGrain<IHistoryPageGrain<TProfile>>($"{this.GetPrimaryKeyString()}/{Kind.ToString().ToLowerInvariant()}/{n}");
}
