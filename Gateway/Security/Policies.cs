using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Beacon.Gateway.Security;

/// <summary>
/// The scope checks of the API as authorisation policies on its route groups, so that no handler checks by hand and
/// everything that runs after authorisation (an idempotent replay among it) is authorised as the request itself. The
/// rules are <see cref="Beacon.Actor"/>'s; a policy only says which one a route needs, from its <c>{county}</c>,
/// <c>{prefecture}</c> or <c>{province}</c>.
/// </summary>
public static class Policies
{
    /// <summary>A county's routes: a read (GET, HEAD) needs <see cref="Actor.MayRead"/>, anything else <see cref="Actor.MayWrite"/>.</summary>
    public const string County = "county";

    /// <summary>
    /// The routes of a register of personal entries (<see cref="Register.Personal"/>, applicants): a read needs
    /// <see cref="Actor.MayReadPersonal(string)"/>, so that an overseer who reads the county's figures is refused its
    /// people; anything else <see cref="Actor.MayWrite"/>. Which entries station staff see is the routes' to hold to their
    /// station (<see cref="Actor.PersonalStation"/>).
    /// </summary>
    public const string Personal = "personal";

    /// <summary>The county policy of a register's routes: <see cref="Personal"/> for one of personal entries, else <see cref="County"/>.</summary>
    public static string Of(Register register) => register.Personal ? Personal : County;

    /// <summary>What only the county committee does: reconcile, the audit of changes.</summary>
    public const string CountyCommittee = "county-committee";

    /// <summary>
    /// A county tenant itself (<c>/counties/{county}</c>): a read needs <see cref="Actor.MayReadProfile"/>, anything else
    /// <see cref="Actor.MayConfigure"/>.
    /// </summary>
    public const string Tenant = "tenant";

    /// <summary>A province's list of county tenants: <see cref="Actor.MayListCounties"/>.</summary>
    public const string ProvinceCounties = "province-counties";

    /// <summary>A province's comparison and its exports.</summary>
    public const string Province = "province";

    /// <summary>A prefecture's comparison and its exports.</summary>
    public const string Prefecture = "prefecture";

    /// <summary>
    /// A place's figures through time, which its screens show: whoever may watch the place live (<see cref="Actor.MayWatch"/>),
    /// its displays among them; the place is the route's county, prefecture or province.
    /// </summary>
    public const string Watch = "watch";

    /// <summary>A county's or a province's accounts: <see cref="Actor.MayManageAccountsOf"/> the route's place.</summary>
    public const string Accounts = "accounts";

    /// <summary>The platform's operations with a bearer token (the dashboard's cookie, <c>/metrics</c>): <see cref="Actor.MayOperate"/>.</summary>
    public const string Operator = "operator";

    /// <summary>The Orleans dashboard's pages: the operator cookie of a platform administrator (<see cref="Operators"/>).</summary>
    public const string Dashboard = "dashboard";

    private enum Need { Operator, Accounts, Watch, CountyByMethod, PersonalByMethod, CountyCommittee, TenantByMethod, ProvinceCounties, Province, Prefecture }

    private sealed record Requirement(Need Need) : IAuthorizationRequirement;

    public static AuthorizationBuilder AddBeaconPolicies(this AuthorizationBuilder authorization)
    {
        authorization.Services.AddSingleton<IAuthorizationHandler, Handler>();
        authorization.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, Refusals>();
        return authorization
            .AddPolicy(Operator, p => p.RequireAuthenticatedUser().AddRequirements(new Requirement(Need.Operator)))
            .AddPolicy(Dashboard, p => p.AddAuthenticationSchemes(Operators.CookieScheme).RequireAuthenticatedUser().AddRequirements(new Requirement(Need.Operator)))
            .AddPolicy(Accounts, p => p.RequireAuthenticatedUser().AddRequirements(new Requirement(Need.Accounts)))
            .AddPolicy(Watch, p => p.RequireAuthenticatedUser().AddRequirements(new Requirement(Need.Watch)))
            .AddPolicy(County, p => p.RequireAuthenticatedUser().AddRequirements(new Requirement(Need.CountyByMethod)))
            .AddPolicy(Personal, p => p.RequireAuthenticatedUser().AddRequirements(new Requirement(Need.PersonalByMethod)))
            .AddPolicy(CountyCommittee, p => p.RequireAuthenticatedUser().AddRequirements(new Requirement(Need.CountyCommittee)))
            .AddPolicy(Tenant, p => p.RequireAuthenticatedUser().AddRequirements(new Requirement(Need.TenantByMethod)))
            .AddPolicy(ProvinceCounties, p => p.RequireAuthenticatedUser().AddRequirements(new Requirement(Need.ProvinceCounties)))
            .AddPolicy(Province, p => p.RequireAuthenticatedUser().AddRequirements(new Requirement(Need.Province)))
            .AddPolicy(Prefecture, p => p.RequireAuthenticatedUser().AddRequirements(new Requirement(Need.Prefecture)));
    }

    private static bool IsRead(HttpRequest request) => HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);

    private sealed class Handler : AuthorizationHandler<Requirement, HttpContext>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, Requirement requirement, HttpContext http)
        {
            var actor = context.User.Actor();
            var county = http.GetRouteValue("county") as string ?? "";
            var prefecture = http.GetRouteValue("prefecture") as string ?? "";
            var province = http.GetRouteValue("province") as string ?? "";
            var watched = county.Length > 0 ? new Scope(Scope.County, county)
                : prefecture.Length > 0 ? new Scope(Scope.Prefecture, prefecture) : new Scope(Scope.Province, province);
            var (allowed, zh, en) = requirement.Need switch
            {
                Need.Operator => (actor.MayOperate, "做平台运维的事", "operate the platform"),
                Need.Accounts => (actor.MayManageAccountsOf(watched), $"管理 {watched.Kind}:{watched.Code} 的账号", $"manage the accounts of {watched.Kind}:{watched.Code}"),
                Need.Watch => (actor.MayWatch(watched), $"查看 {watched.Kind}:{watched.Code} 的指标走势", $"read the trend of {watched.Kind}:{watched.Code}"),
                Need.CountyByMethod when IsRead(http.Request) => (actor.MayRead(county), $"查看县 {county}", $"read county {county}"),
                Need.CountyByMethod => (actor.MayWrite(county), $"修改县 {county}", $"change county {county}"),
                Need.PersonalByMethod when IsRead(http.Request) =>
                    (actor.MayReadPersonal(county), $"查看县 {county} 的个人信息（只有县委组织部和所属指导站可以查看，其他人只看统计数）",
                        $"read personal data of county {county} (its committee and the hosting station only; others read the counts)"),
                Need.PersonalByMethod => (actor.MayWrite(county), $"修改县 {county}", $"change county {county}"),
                Need.CountyCommittee => (actor.MayAdminister(county), $"做只有县 {county} 党委组织部才能做的事", $"do what only the committee of county {county} does"),
                Need.TenantByMethod when IsRead(http.Request) =>
                    (actor.MayReadProfile(county), $"查看县 {county} 的设置", $"read the settings of county {county}"),
                Need.TenantByMethod => (actor.MayConfigure(county), $"设置县 {county}", $"configure county {county}"),
                Need.ProvinceCounties => (actor.MayListCounties(province), $"查看省 {province} 的县", $"list the counties of province {province}"),
                Need.Prefecture => (actor.MayReadPrefecture(prefecture), $"查看市 {prefecture}", $"read prefecture {prefecture}"),
                _ => (actor.MayReadProvince(province), $"查看省 {province}", $"read province {province}"),
            };
            if (allowed) context.Succeed(requirement);
            else context.Fail(new Refusal(this, new($"{actor} 无权{zh}。", $"{actor} may not {en}.")));
            return Task.CompletedTask;
        }
    }

    private sealed class Refusal(IAuthorizationHandler handler, Said why) : AuthorizationFailureReason(handler, why.En)
    {
        public Said Why => why;
    }

    /// <summary>A refusal as ProblemDetails that says who asked for what; anything else as the framework answers it.</summary>
    private sealed class Refusals : IAuthorizationMiddlewareResultHandler
    {
        private readonly AuthorizationMiddlewareResultHandler _default = new();

        public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
        {
            if (!result.Forbidden || result.AuthorizationFailure?.FailureReasons.OfType<Refusal>().FirstOrDefault() is not { } refusal)
                return _default.HandleAsync(next, context, policy, result);
            return Apis.Answers.Forbidden(refusal.Why).ExecuteAsync(context);
        }
    }
}
