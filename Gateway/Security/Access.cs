using System.Security.Claims;

namespace Beacon.Gateway.Security;

/// <summary>The token as an <see cref="Actor"/>: the rules themselves are the Actor's, shared with the grains.</summary>
public static class Access
{
    public const string ScopeClaim = "scope";
    public const string RoleClaim = "role";
    public const string StationClaim = "station";
    /// <summary>The account's display name, which histories show.</summary>
    public const string NameClaim = "name";
    /// <summary>The account session a signed-in token belongs to; tokens of the token command carry none.</summary>
    public const string SessionClaim = "sid";

    public static string? Role(this ClaimsPrincipal user) => user.FindFirst(RoleClaim)?.Value;

    public static Scope? Scope(this ClaimsPrincipal user) => Beacon.Scope.Parse(user.FindFirst(ScopeClaim)?.Value);

    /// <summary>
    /// The actor behind a token. A token without a known role counts as display, which may change nothing, so no
    /// token can name itself "system".
    /// </summary>
    public static Actor Actor(this ClaimsPrincipal user)
    {
        var role = user.Role() is { } r && Roles.All.Contains(r) ? r : Roles.Display;
        return new Actor(user.FindFirst("sub")?.Value ?? role, role, user.Scope(), user.FindFirst(StationClaim)?.Value, user.FindFirst(NameClaim)?.Value);
    }
}
