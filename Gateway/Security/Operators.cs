using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Beacon.Gateway.Security;

/// <summary>
/// The platform's operators: the Orleans dashboard's pages cannot send a bearer token, so a platform administrator who
/// signed in trades the token for a cookie of this scheme, which only the dashboard takes.
/// </summary>
public static class Operators
{
    public const string CookieScheme = "operator";
    public const string DashboardPath = "/dashboard";

    public static AuthenticationBuilder AddOperatorCookie(this AuthenticationBuilder authentication) =>
        authentication.AddCookie(CookieScheme, cookie =>
        {
            cookie.Cookie.Name = "beacon.operator";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.Path = DashboardPath;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(4);
            cookie.SlidingExpiration = false;
            cookie.LoginPath = "/signin";
            cookie.ReturnUrlParameter = "return";
            cookie.AccessDeniedPath = "/signin";
        });

    /// <summary><c>POST /api/auth/operator</c>: a platform administrator's token becomes the dashboard's cookie (204).</summary>
    public static RouteGroupBuilder MapOperatorApi(this RouteGroupBuilder api)
    {
        api.MapPost("/auth/operator", async (HttpContext http, ClaimsPrincipal user) =>
        {
            var actor = user.Actor();
            var identity = new ClaimsIdentity([new System.Security.Claims.Claim("sub", actor.Name), new System.Security.Claims.Claim(Access.RoleClaim, actor.Role)], CookieScheme, "sub", Access.RoleClaim);
            await http.SignInAsync(CookieScheme, new ClaimsPrincipal(identity));
            return TypedResults.NoContent();
        }).RequireAuthorization(Policies.Operator).WithTags("Accounts")
          .WithSummary("For a platform administrator: sets the Orleans dashboard's cookie (the dashboard is at /dashboard).")
          .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }
}
