using System.Text.RegularExpressions;
using Orleans.Concurrency;

namespace Beacon;

/// <summary>
/// An account as its manager creates it: the sign-in name, the name people see in histories, the role and scope its
/// tokens carry and, for station staff, their station.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AccountSpec(
    [property: Id(0)] string User,
    [property: Id(1)] string DisplayName,
    [property: Id(2)] string Role,
    [property: Id(3)] Scope? Scope,
    [property: Id(4)] string? StationId = null);

/// <summary>An account as it is shown: never its password or the password's hash.</summary>
[GenerateSerializer, Immutable]
public sealed record AccountView(
    [property: Id(0)] string User,
    [property: Id(1)] string DisplayName,
    [property: Id(2)] string Role,
    [property: Id(3)] string? Scope,
    [property: Id(4)] string? StationId,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] string CreatedBy,
    [property: Id(7)] DateTimeOffset? LastSignInAt,
    [property: Id(8)] DateTimeOffset? LockedUntil,
    [property: Id(9)] DateTimeOffset? EndedAt,
    [property: Id(10)] string? EndedBy);

public enum SignInOutcome { SignedIn, Refused, Locked }

/// <summary>
/// A sign-in's answer: the account and the session its token carries when it succeeded; when the account is locked,
/// until when (whatever the password was).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SignInResult(
    [property: Id(0)] SignInOutcome Outcome,
    [property: Id(1)] AccountView? Account = null,
    [property: Id(2)] long Session = 0,
    [property: Id(3)] DateTimeOffset? LockedUntil = null);

/// <summary>
/// One account, by its sign-in name in lower case. It keeps the password's hash (ASP.NET Core Identity's hasher) and
/// checks passwords itself, so the hash never leaves the silo. Its session number is in every token it signs in to;
/// ending the account moves the number on, and tokens of the old one stop working.
/// </summary>
public interface IAccountGrain : IGrainWithStringKey
{
    Task<ChangeResult> CreateAsync(AccountSpec spec, string password, Actor actor);

    [ReadOnly]
    Task<AccountView?> GetAsync();

    Task<SignInResult> SignInAsync(string password);

    /// <summary>Whether a token of <paramref name="session"/> still speaks for the account.</summary>
    [ReadOnly]
    Task<bool> IsCurrentAsync(long session);

    Task<ChangeResult> EndAsync(Actor actor);
}

/// <summary>
/// The accounts one manager keeps, keyed by <see cref="Accounts.DirectoryOf"/>: a county's station staff and screens
/// (<c>county:620521</c>), a province's county admins, overseers and screens (<c>province:620000</c>), the platform's
/// own (<c>platform</c>).
/// </summary>
public interface IAccountDirectoryGrain : IGrainWithStringKey
{
    Task AddAsync(string user);

    [ReadOnly]
    Task<AccountView[]> ListAsync();
}

/// <summary>The rules of accounts, shared by the gateway (its answers) and the account grain (which checks them again).</summary>
public static partial class Accounts
{
    /// <summary>Failures in a row that lock an account.</summary>
    public const int FailuresToLock = 5;

    public static readonly TimeSpan LockFor = TimeSpan.FromMinutes(15);

    public const int MinPasswordLength = 10;
    public const int MaxPasswordLength = 128;
    public const int MaxDisplayNameLength = 40;

    /// <summary>Where the platform's own accounts (province admins, platform admins) are listed.</summary>
    public const string PlatformDirectory = "platform";

    /// <summary>The grain key of a sign-in name: names are compared without case.</summary>
    public static string Key(string user) => user.Trim().ToLowerInvariant();

    /// <summary>The directory of the manager who keeps such an account.</summary>
    public static string DirectoryOf(string role, Scope? scope) => role switch
    {
        Roles.StationStaff => scope!.ToString(),
        Roles.Display when scope is { Kind: Scope.County } => scope.ToString(),
        Roles.CountyAdmin or Roles.ProvinceOverseer or Roles.Display => new Scope(Scope.Province, Places.ProvinceOf(scope!.Code)).ToString(),
        _ => PlatformDirectory,
    };

    /// <summary>What is wrong with an account's fields, by their JSON names; empty when nothing is.</summary>
    public static Dictionary<string, Said[]> Check(AccountSpec spec, string password)
    {
        var errors = new Dictionary<string, Said[]>();
        void Add(string field, string zh, string en) => errors[field] = [new(zh, en)];
        if (!IsUserName(spec.User))
            Add("user", "用户名须为 3 到 64 个字母、数字或 . _ - @，以字母或数字开头", "must be 3 to 64 letters, digits or . _ - @, starting with a letter or a digit");
        if (string.IsNullOrWhiteSpace(spec.DisplayName) || spec.DisplayName.Length > MaxDisplayNameLength)
            Add("displayName", $"姓名不能为空，最多 {MaxDisplayNameLength} 个字", $"must not be empty and at most {MaxDisplayNameLength} characters");
        if (!Roles.All.Contains(spec.Role))
            Add("role", $"角色须为 {string.Join("、", Roles.All)} 之一", $"must be one of {string.Join(", ", Roles.All)}");
        else if (spec.Scope is null ? ScopeKindsOf(spec.Role).Length > 0 : !ScopeKindsOf(spec.Role).Contains(spec.Scope.Kind))
            Add("scope", ScopeKindsOf(spec.Role) is [] ? "此角色不带范围" : $"此角色的范围须为 {string.Join("、", ScopeKindsOf(spec.Role))}",
                ScopeKindsOf(spec.Role) is [] ? "this role takes no scope" : $"this role takes a scope of {string.Join(", ", ScopeKindsOf(spec.Role))}");
        if ((spec.Role == Roles.StationStaff) != (spec.StationId is { Length: > 0 }))
            Add("stationId", spec.Role == Roles.StationStaff ? "指导站工作人员须指定所属指导站" : "只有指导站工作人员属于指导站",
                spec.Role == Roles.StationStaff ? "station staff need their station" : "only station staff belong to a station");
        if (password.Length < MinPasswordLength || password.Length > MaxPasswordLength)
            Add("password", $"密码须为 {MinPasswordLength} 到 {MaxPasswordLength} 个字符", $"must be {MinPasswordLength} to {MaxPasswordLength} characters");
        else if (string.Equals(password, spec.User, StringComparison.OrdinalIgnoreCase) || password.Distinct().Count() < 4)
            Add("password", "密码太容易猜到（与用户名相同或字符太少变化）", "is too easy to guess (the user name, or too few different characters)");
        return errors;
    }

    /// <summary>The kinds of scope each role's accounts and tokens carry: a display any, a platform administrator none.</summary>
    public static string[] ScopeKindsOf(string role) => role switch
    {
        Roles.CountyAdmin or Roles.StationStaff => [Scope.County],
        Roles.ProvinceOverseer => [Scope.Prefecture, Scope.Province],
        Roles.ProvinceAdmin => [Scope.Province],
        Roles.PlatformAdmin => [],
        _ => [Scope.County, Scope.Prefecture, Scope.Province],
    };

    /// <summary>Whether a sign-in name (in lower case, <see cref="Key"/>) could be an account's at all.</summary>
    public static bool IsUserName(string user) => UserPattern().IsMatch(user);

    [GeneratedRegex("^[a-z0-9][a-z0-9._@-]{2,63}$")]
    private static partial Regex UserPattern();
}
