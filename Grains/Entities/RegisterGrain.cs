using Beacon.Rules;

namespace Beacon.Grains.Entities;

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
    /// <summary>The current page. A change here keeps its Before only if it is the page's first: every other Before is the previous change's After, restored on reading.</summary>
    [Id(3)] public List<RegisterChange<TProfile>> History { get; set; } = [];
    [Id(4)] public int SealedPages { get; set; }
    /// <summary>
    /// When the entry was last created (again, after a removal): an organisation without an <c>establishedOn</c> counts
    /// for organisational life from then. Null for an entry stored before Beacon kept it.
    /// </summary>
    [Id(5)] public DateTimeOffset? CreatedAt { get; set; }
}

/// <summary>
/// What every register entity does, as its <see cref="Register{TProfile}"/> describes it: check the actor and the
/// rules, have its county check what it refers to and claims, write its own state with the change in its history, and
/// only then acknowledge and report its new contribution to the county. A refused change writes nothing.
/// </summary>
public abstract class RegisterGrain<TProfile>(IPersistentState<RegisterEntry<TProfile>> entry, TimeProvider time, Register<TProfile> register)
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
    protected DateOnly Today => Validation.Today(time.GetUtcNow());
    private CountyChild? _child;
    private CountyChild Child => _child ??= new CountyChild(this, GrainFactory);
    protected string County => Child.County;
    protected string Id => Child.Id;
    protected ICountyGrain CountyGrain => Child.CountyGrain;

    private Said Called => new($"{register.Noun.Zh} {Id}（县 {County}）", $"{register.Noun.En} {Id} of county {County}");

    public async Task<ChangeResult> PutAsync(TProfile profile, Actor actor)
    {
        var (refused, before, after) = Check(profile, actor);
        if (refused is not null) return refused;

        // What the entity already referred to and claimed is still valid (nothing referred to can be removed), so an
        // update that keeps them needs no round trip to the county: most updates change figures, not links. An entity
        // stored for the first time is admitted by the county first, so that it is known there before it exists.
        if (before is null || !SameLinks(before, after!))
        {
            var errors = before is null ? await CountyGrain.AdmitAsync(after!) : await CountyGrain.CheckReferencesAsync(after!);
            if (errors.Count > 0) return ChangeResult.Invalid(errors);
        }

        var created = entry.State.Value is null;
        await SaveAsync(profile, actor, created ? "create" : "update", after);
        return new ChangeResult(created ? ChangeOutcome.Created : ChangeOutcome.Updated, entry.State.Version);
    }

    public async Task<StagedChange> PutAdmittedAsync(TProfile profile, Actor actor)
    {
        // A roster's entities are written once and then seldom for days. Leaving memory as soon as the batch is done,
        // rather than after the idle time, lets their objects die young: an import of thousands then leaves nothing
        // for the silo's full collections to walk, nor a heap of dead entities to compact later.
        DeactivateOnIdle();
        var (refused, _, after) = Check(profile, actor);
        if (refused is not null) return new StagedChange(refused, null, null);
        // Unchanged, its contribution is still handed back: a batch tried again after a fault reports what its first
        // try wrote and could not report (the county keeps a version once).
        if (entry.State.Value is { } current && register.Reusing(profile, current).Equals(current))
            return new StagedChange(new ChangeResult(ChangeOutcome.Unchanged, entry.State.Version),
                Contribute(current, entry.State.Version), null);
        var created = entry.State.Value is null;
        var note = await StoreAsync(profile, actor, created ? "create" : "update");
        // Made at the version the write gives the entry, as PutAsync's is.
        return new StagedChange(new ChangeResult(created ? ChangeOutcome.Created : ChangeOutcome.Updated, entry.State.Version), after, note);
    }

    /// <summary>What a change must pass before the county is asked: the actor, the profile's own rules, the id. The contributions before and after.</summary>
    private (ChangeResult? Refused, Contribution? Before, Contribution? After) Check(TProfile profile, Actor actor)
    {
        if (profile is null) return (ChangeResult.Invalid("body", Validation.Required), null, null);
        var current = entry.State.Value;
        var before = current is null ? null : Contribute(current, entry.State.Version);
        var after = Contribute(profile, entry.State.Version + 1);
        if (!actor.MayChange(County, register.Kind, current is not null, before is null ? null : register.StationOf(before), register.StationOf(after)))
            return (ChangeResult.Forbidden(new($"{actor} 无权这样修改{Called.Zh}", $"{actor} may not change {Called.En} this way")), null, null);
        var validation = register.Validate(profile, Today);
        if (register.IdOf(profile) != Id) validation.Add(register.IdField, $"须为地址中的编号“{Id}”", $"must be '{Id}', the id in the address");
        if (!validation.IsValid) return (ChangeResult.Invalid(validation.Errors), null, null);
        return (null, before, after);
    }

    private bool SameLinks(Contribution before, Contribution after) =>
        register.Links.All(l => l.Of(before) == l.Of(after)) && register.Claims(before).SequenceEqual(register.Claims(after));

    public Task<Versioned<TProfile>?> GetAsync() => Task.FromResult(
        entry.State.Value is { } value ? new Versioned<TProfile>(value, entry.State.Version, entry.State.UpdatedAt) : null);

    public async Task<ChangeResult> DeleteAsync(Actor actor)
    {
        if (entry.State.Value is not { } current) return ChangeResult.NotFound;
        var station = register.StationOf(Contribute(current, entry.State.Version));
        if (!actor.MayChange(County, register.Kind, true, station, station))
            return ChangeResult.Forbidden(new($"{actor} 无权删除{Called.Zh}", $"{actor} may not remove {Called.En}"));
        if (await CountyGrain.ReferencedByAsync(register.Kind, Id) is { } why) return ChangeResult.Invalid(register.IdField, why);
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
        entry.State.Version == 0 ? null : Contribute(entry.State.Value, entry.State.Version));

    /// <summary>
    /// The contribution of a profile at an entry version. An entity whose figures also follow what it keeps beside its
    /// profile (an organisation's meetings) adds that here, and counts it in <see cref="ContributionVersion"/>.
    /// </summary>
    protected virtual Contribution Contribute(TProfile? profile, long entryVersion) =>
        register.Contribute(Id, profile, ContributionVersion(entryVersion));

    /// <summary>
    /// The version the county knows the entity's contribution by: the entry's own, unless something else the entity
    /// keeps changes its contribution too. It must grow with every change of either, or the county keeps the older.
    /// </summary>
    protected virtual long ContributionVersion(long entryVersion) => entryVersion;

    /// <summary>
    /// The one way a profile changes: state and history in one write, then the county hears of it. A full current
    /// page is sealed first (<see cref="SealedPages"/>).
    /// </summary>
    protected async Task SaveAsync(TProfile? next, Actor actor, string action, Contribution? contribution = null)
    {
        var note = await StoreAsync(next, actor, action);
        // A contribution handed in was made at the version this write gives the entry.
        await CountyGrain.ReportAsync(contribution ?? Contribute(next, entry.State.Version), note);
    }

    /// <summary>Reports the entity's current contribution, after a change to what it keeps beside its profile.</summary>
    protected Task ReportContributionAsync() =>
        CountyGrain.ReportAsync(Contribute(entry.State.Value, entry.State.Version));

    /// <summary>State and history in one write; the county is told by the caller.</summary>
    private async Task<ChangeNote> StoreAsync(TProfile? next, Actor actor, string action)
    {
        var state = entry.State;
        var (rest, sealedPages) = await SealedPages.SealFullAsync(state.History, state.SealedPages, (n, page) => Page(n).SealAsync(page));
        if (sealedPages != state.SealedPages) (state.History, state.SealedPages) = ([.. rest], sealedPages);

        var now = time.GetUtcNow();
        var before = state.History.Count == 0 ? state.Value : null;
        if (next is not null && state.Value is { } previous) next = next.Equals(previous) ? previous : register.Reusing(next, previous);
        var by = state.History.Count > 0 ? Registers.Reuse(actor.Label, state.History[^1].By) : actor.Label;
        var change = new RegisterChange<TProfile>(state.Version + 1, now, by, action, before, next);
        state.History.Add(change);
        if (state.Value is null && next is not null) state.CreatedAt = now;
        state.Value = next;
        state.Version = change.Version;
        state.UpdatedAt = now;
        await entry.WriteStateAsync();
        return new ChangeNote(register.Kind, Id, state.Version, action, by, now);
    }

    private IHistoryPageGrain<TProfile> Page(int n) =>
        GrainFactory.GetGrain<IHistoryPageGrain<TProfile>>($"{this.GetPrimaryKeyString()}/{JsonNames.Of(register.Kind)}/{n}");
}
