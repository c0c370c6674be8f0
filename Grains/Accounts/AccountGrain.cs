using Microsoft.AspNetCore.Identity;

namespace Beacon.Grains;

[GenerateSerializer]
public sealed class AccountState
{
    [Id(0)] public AccountSpec? Spec { get; set; }
    [Id(1)] public string PasswordHash { get; set; } = "";
    [Id(2)] public DateTimeOffset CreatedAt { get; set; }
    [Id(3)] public string CreatedBy { get; set; } = "";
    [Id(4)] public int Failures { get; set; }
    [Id(5)] public DateTimeOffset? LockedUntil { get; set; }
    [Id(6)] public long Session { get; set; }
    [Id(7)] public DateTimeOffset? LastSignInAt { get; set; }
    [Id(8)] public DateTimeOffset? EndedAt { get; set; }
    [Id(9)] public string? EndedBy { get; set; }
}

public sealed class AccountGrain(
    [PersistentState("account", BeaconStorage.Name)] IPersistentState<AccountState> account,
    TimeProvider time,
    ILogger<AccountGrain> logger) : Grain, IAccountGrain
{
    private static readonly PasswordHasher<AccountState> Hasher = new();

    /// <summary>A hash nobody's password matches, checked for names with no account so that they take as long to refuse.</summary>
    private static readonly Lazy<string> NoOnesHash = new(() => Hasher.HashPassword(new AccountState(), Guid.NewGuid().ToString("N")));

    private AccountState State => account.State;
    private bool Active => State.Spec is not null && State.EndedAt is null;

    public async Task<ChangeResult> CreateAsync(AccountSpec spec, string password, Actor actor)
    {
        if (!actor.MayManageAccount(spec.Role, spec.Scope))
            return ChangeResult.Forbidden(new($"{actor} 无权建立 {spec.Role} 账号（{spec.Scope}）", $"{actor} may not create a {spec.Role} account of {spec.Scope}"));
        if (spec.User != this.GetPrimaryKeyString())
            return ChangeResult.Invalid("user", "用户名须为小写", "must be in lower case");
        var errors = Accounts.Check(spec, password);
        if (errors.Count > 0) return ChangeResult.Invalid(errors);
        if (Active) return ChangeResult.Invalid("user", $"用户名 {spec.User} 已有人使用", $"{spec.User} is taken");
        if (spec.StationId is { } station && spec.Scope is { } scope &&
            !(await GrainFactory.GetGrain<ICountyGrain>(scope.Code).ListAsync(EntityKind.Station)).Contains(station))
            return ChangeResult.Invalid("stationId", $"县 {scope.Code} 没有指导站 {station}", $"county {scope.Code} has no station {station}");

        var ended = State.Spec is not null;
        account.State = new AccountState
        {
            Spec = spec,
            PasswordHash = Hasher.HashPassword(State, password),
            CreatedAt = time.GetUtcNow(),
            CreatedBy = actor.Label,
            // An account made again under an ended one's name starts a session its old tokens never had.
            Session = State.Session + 1,
        };
        await account.WriteStateAsync();
        await GrainFactory.GetGrain<IAccountDirectoryGrain>(Accounts.DirectoryOf(spec.Role, spec.Scope)).AddAsync(spec.User);
        logger.LogInformation("Account {User} ({Role}, {Scope}) created by {Actor}{Again}", spec.User, spec.Role, spec.Scope, actor, ended ? " again" : "");
        return new ChangeResult(ChangeOutcome.Created, State.Session);
    }

    public Task<AccountView?> GetAsync() => Task.FromResult(View());

    public async Task<SignInResult> SignInAsync(string password)
    {
        if (!Active)
        {
            Hasher.VerifyHashedPassword(State, NoOnesHash.Value, password);
            return new(SignInOutcome.Refused);
        }
        var now = time.GetUtcNow();
        if (State.LockedUntil is { } until)
        {
            if (until > now) return new(SignInOutcome.Locked, LockedUntil: until);
            State.LockedUntil = null;
            State.Failures = 0;
        }
        var verdict = Hasher.VerifyHashedPassword(State, State.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            State.Failures++;
            if (State.Failures >= Accounts.FailuresToLock)
            {
                State.LockedUntil = now + Accounts.LockFor;
                logger.LogWarning("Account {User} locked until {Until} after {Failures} failed sign-ins in a row", State.Spec!.User, State.LockedUntil, State.Failures);
            }
            await account.WriteStateAsync();
            return State.LockedUntil is { } locked ? new(SignInOutcome.Locked, LockedUntil: locked) : new(SignInOutcome.Refused);
        }
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded) State.PasswordHash = Hasher.HashPassword(State, password);
        State.Failures = 0;
        State.LastSignInAt = now;
        await account.WriteStateAsync();
        return new(SignInOutcome.SignedIn, View(), State.Session);
    }

    public Task<bool> IsCurrentAsync(long session) => Task.FromResult(Active && State.Session == session);

    public async Task<ChangeResult> EndAsync(Actor actor)
    {
        if (!Active) return ChangeResult.NotFound;
        var spec = State.Spec!;
        if (!actor.MayManageAccount(spec.Role, spec.Scope))
            return ChangeResult.Forbidden(new($"{actor} 无权停用账号 {spec.User}", $"{actor} may not end the account {spec.User}"));
        State.EndedAt = time.GetUtcNow();
        State.EndedBy = actor.Label;
        // Every token signed in so far carries the old session, so none of them works from now on.
        State.Session++;
        await account.WriteStateAsync();
        logger.LogInformation("Account {User} ended by {Actor}", spec.User, actor);
        return new ChangeResult(ChangeOutcome.Deleted, State.Session);
    }

    private AccountView? View() => State.Spec is not { } spec ? null
        : new AccountView(spec.User, spec.DisplayName, spec.Role, spec.Scope?.ToString(), spec.StationId, State.CreatedAt, State.CreatedBy,
            State.LastSignInAt, State.LockedUntil is { } until && until > time.GetUtcNow() ? until : null, State.EndedAt, State.EndedBy);
}

[GenerateSerializer]
public sealed class AccountDirectory
{
    [Id(0)] public SortedSet<string> Users { get; set; } = new(StringComparer.Ordinal);
}

public sealed class AccountDirectoryGrain(
    [PersistentState("accounts", BeaconStorage.Name)] IPersistentState<AccountDirectory> directory) : Grain, IAccountDirectoryGrain
{
    public async Task AddAsync(string user)
    {
        if (directory.State.Users.Add(user)) await directory.WriteStateAsync();
    }

    public async Task<AccountView[]> ListAsync()
    {
        var views = await Task.WhenAll(directory.State.Users.Select(u => GrainFactory.GetGrain<IAccountGrain>(u).GetAsync()));
        return [.. views.OfType<AccountView>()];
    }
}
