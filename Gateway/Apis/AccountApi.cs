using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Serialization;
using Beacon.Gateway.Http;
using Beacon.Gateway.Security;

namespace Beacon.Gateway.Apis;

public sealed record SignInBody([property: JsonRequired] string User, [property: JsonRequired] string Password);

public sealed record SignedIn(string Token, DateTimeOffset ExpiresAt, AccountView Account);

/// <summary>An account to create: its sign-in name, password, role, scope (the route's place unless given) and station.</summary>
public sealed record AccountBody(
    [property: JsonRequired] string User,
    [property: JsonRequired] string Password,
    [property: JsonRequired] string Role,
    string? Scope = null,
    string? StationId = null,
    string? DisplayName = null);

/// <summary>
/// Sign-in with an account, and the accounts themselves: a county's station staff and screens kept by its committee, a
/// province's county admins, overseers and screens by its administrators. No answer carries a password or its hash.
/// </summary>
public static class AccountApi
{
    public static RouteGroupBuilder MapAccountApi(this RouteGroupBuilder api)
    {
        api.MapPost("/auth/token", SignInAsync).AllowAnonymous().RequireRateLimiting(RateLimits.AnonymousPolicy)
            .WithTags("Accounts")
            .WithSummary("Signs in with an account's name and password and answers a token for it, with when it expires.")
            .WithDescription($"401 for a wrong name or password; after {Accounts.FailuresToLock} failures in a row the account is locked for {Accounts.LockFor.TotalMinutes} minutes: 423 with Retry-After (seconds), whatever the password.")
            .Accepts<SignInBody>("application/json").Produces<SignedIn>()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status423Locked).ProducesValidationProblem();

        foreach (var (kind, route) in new[] { (Scope.County, "/counties/{county}/accounts"), (Scope.Province, "/provinces/{province}/accounts") })
        {
            var accounts = api.MapGroup(route).WithTags("Accounts").RequireAuthorization(Policies.Accounts);
            accounts.MapGet("/", (HttpContext http, IGrainFactory grains) => ListAsync(Place(http, kind), grains))
                .WithSummary(kind == Scope.County ? "The county's station staff and screen accounts, ended ones with when and by whom." : "The province's county admin, overseer and screen accounts, ended ones with when and by whom.")
                .Produces<AccountView[]>().ProducesReadErrors();
            accounts.MapPost("/", (HttpContext http, ClaimsPrincipal user, IGrainFactory grains) => CreateAsync(Place(http, kind), http.Request, user, grains))
                .WithSummary(kind == Scope.County ? "Creates a station staff (with stationId) or county screen (display) account." : "Creates a county admin (scope county:…), an overseer or a screen (scope prefecture:… or province:…) account.")
                .WithDescription($"Refused by field: user (3 to 64 lower-case letters, digits or . _ - @, not taken), password ({Accounts.MinPasswordLength} to {Accounts.MaxPasswordLength} characters), a role the caller manages and its scope, stationId for station staff (a station of the county).")
                .Accepts<AccountBody>("application/json").Produces<AccountView>(StatusCodes.Status201Created).ProducesWriteErrors();
            accounts.MapDelete("/{user}", (HttpContext http, string user, ClaimsPrincipal principal, IGrainFactory grains) => EndAsync(Place(http, kind), user, principal, grains))
                .WithSummary("Ends the account: it signs in no more, and every token it signed in to stops working.")
                .Produces(StatusCodes.Status204NoContent).ProducesWriteErrors();
        }
        return api;
    }

    private static Scope Place(HttpContext http, string kind) =>
        new(kind, http.GetRouteValue(kind == Scope.County ? "county" : "province") as string ?? "");

    private static Said Called(string user) => new($"账号 {user}", $"account {user}");

    public static async Task<IResult> SignInAsync(HttpRequest request, IGrainFactory grains, AuthOptions options)
    {
        var (body, problem) = await Json.ReadAsync<SignInBody>(request);
        if (problem is not null) return problem;
        // A name no account can have is refused here, without waking a grain by it.
        var user = Accounts.Key(body!.User);
        var answer = Accounts.IsUserName(user) ? await grains.GetGrain<IAccountGrain>(user).SignInAsync(body.Password) : new SignInResult(SignInOutcome.Refused);
        Beacon.Hosting.Telemetry.SignIns.Add(1, new KeyValuePair<string, object?>("outcome", answer.Outcome.ToString()));
        switch (answer.Outcome)
        {
            case SignInOutcome.SignedIn:
                var (token, expiresAt) = Tokens.IssueFor(options, answer.Account!, answer.Session);
                return TypedResults.Ok(new SignedIn(token, expiresAt, answer.Account!));
            case SignInOutcome.Locked:
                var seconds = Math.Max(1, (int)Math.Ceiling((answer.LockedUntil!.Value - DateTimeOffset.UtcNow).TotalSeconds));
                request.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return Answers.Problem(StatusCodes.Status423Locked, new("账号已锁定", "Account locked"),
                    new($"连续 {Accounts.FailuresToLock} 次密码错误，账号已锁定，请 {Math.Ceiling(seconds / 60.0)} 分钟后再试。",
                        $"{Accounts.FailuresToLock} failed sign-ins in a row locked the account; try again in {Math.Ceiling(seconds / 60.0)} minutes."));
            default:
                return Answers.Problem(StatusCodes.Status401Unauthorized, new("未能登录", "Not signed in"), new("用户名或密码不正确。", "The user name or the password is wrong."));
        }
    }

    private static async Task<IResult> ListAsync(Scope place, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IAccountDirectoryGrain>(place.ToString()).ListAsync());

    private static async Task<IResult> CreateAsync(Scope place, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        var (body, problem) = await Json.ReadAsync<AccountBody>(request);
        if (problem is not null) return problem;
        Scope? scope = place;
        if (body!.Scope is { } text && (scope = Beacon.Scope.Parse(text)) is null)
            return Answers.Invalid("scope", new("范围须为 county:NNNNNN、prefecture:NNNN00 或 province:NN0000", "must be county:NNNNNN, prefecture:NNNN00 or province:NN0000"));
        var spec = new AccountSpec(Accounts.Key(body.User), body.DisplayName?.Trim() is { Length: > 0 } name ? name : Accounts.Key(body.User),
            body.Role, scope, body.StationId);
        var errors = Accounts.Check(spec, body.Password);
        if (errors.Count > 0) return Answers.Invalid(errors);
        var actor = user.Actor();
        if (!actor.MayManageAccount(spec.Role, spec.Scope))
            return Answers.Forbidden(new($"{actor} 无权建立 {spec.Role} 账号（{spec.Scope}）：省里管理县管理员、督导和市、省大屏，县里管理指导站工作人员和本县大屏",
                $"{actor} may not create a {spec.Role} account of {spec.Scope}: a province keeps county admins, overseers and wider screens, a county its station staff and screens"));
        if (Accounts.DirectoryOf(spec.Role, spec.Scope) != place.ToString())
            return Answers.Invalid("role", place.Kind == Scope.County
                ? new("县里只管理指导站工作人员（station-staff）和本县大屏（display）账号", "a county keeps station staff and its own screens (display) only")
                : new("省里管理县管理员、督导和市、省大屏账号；指导站和县大屏账号由县里管理", "a province keeps county admins, overseers and prefecture or province screens; counties keep station staff and their screens"));
        var grain = grains.GetGrain<IAccountGrain>(spec.User);
        var result = await grain.CreateAsync(spec, body.Password, actor);
        return Answers.From(result, $"/api/{(place.Kind == Scope.County ? "counties" : "provinces")}/{place.Code}/accounts/{spec.User}", Called(spec.User),
            result.Succeeded ? await grain.GetAsync() : null);
    }

    private static async Task<IResult> EndAsync(Scope place, string user, ClaimsPrincipal principal, IGrainFactory grains)
    {
        var grain = grains.GetGrain<IAccountGrain>(Accounts.Key(user));
        // An account of another place is not found here, as if it did not exist.
        if (await grain.GetAsync() is not { EndedAt: null } view ||
            Accounts.DirectoryOf(view.Role, Beacon.Scope.Parse(view.Scope)) != place.ToString())
            return Answers.NotFound(Called(user));
        return Answers.From(await grain.EndAsync(principal.Actor()), "", Called(user));
    }
}
