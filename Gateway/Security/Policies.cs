using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Beacon.Gateway.Security;

/// <summary>
/// The scope checks of the API as authorisation policies on its route groups, so that no handler checks by hand and
/// everything that runs after authorisation (an idempotent replay among it) is authorised as the request itself. The
/// rules are <see cref="Beacon.Actor"/>'s; a policy only says which one a route needs, from its <c>{county}</c> or
/// <c>{province}</c>.
/// </summary>
public static class Policies
{
    /// <summary>A county's routes: a read (GET, HEAD) needs <see cref="Actor.MayRead"/>, anything else <see cref="Actor.MayWrite"/>.</summary>
    public const string County = "county";

    /// <summary>What only the county committee does: reconcile, the audit of changes.</summary>
    public const string CountyCommittee = "county-committee";

    /// <summary>A province's comparison and its exports.</summary>
    public const string Province = "province";

    private enum Need { CountyByMethod, CountyCommittee, Province }

    private sealed record Requirement(Need Need) : IAuthorizationRequirement;

    public static AuthorizationBuilder AddBeaconPolicies(this AuthorizationBuilder authorization)
    {
        authorization.Services.AddSingleton<IAuthorizationHandler, Handler>();
        authorization.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, Refusals>();
        return authorization
            .AddPolicy(County, p => p.RequireAuthenticatedUser().AddRequirements(new Requirement(Need.CountyByMethod)))
            .AddPolicy(CountyCommittee, p => p.RequireAuthenticatedUser().AddRequirements(new Requirement(Need.CountyCommittee)))
            .AddPolicy(Province, p => p.RequireAuthenticatedUser().AddRequirements(new Requirement(Need.Province)));
    }

    private sealed class Handler : AuthorizationHandler<Requirement, HttpContext>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, Requirement requirement, HttpContext http)
        {
            var actor = context.User.Actor();
            var county = http.GetRouteValue("county") as string ?? "";
            var province = http.GetRouteValue("province") as string ?? "";
            var (allowed, zh, en) = requirement.Need switch
            {
                Need.CountyByMethod when HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) =>
                    (actor.MayRead(county), $"查看县 {county}", $"read county {county}"),
                Need.CountyByMethod => (actor.MayWrite(county), $"修改县 {county}", $"change county {county}"),
                Need.CountyCommittee => (actor.MayAdminister(county), $"做只有县 {county} 党委组织部才能做的事", $"do what only the committee of county {county} does"),
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
