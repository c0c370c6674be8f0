using System.Security.Claims;

namespace Beacon.Gateway.Security;

public static class Roles
{
    public const string CountyAdmin = "county-admin";
    public const string StationStaff = "station-staff";
    public const string ProvinceOverseer = "province-overseer";
    public const string Display = "display";

    public static readonly string[] All = [CountyAdmin, StationStaff, ProvinceOverseer, Display];
}

/// <summary>A scope a token is issued for: <c>county:620521</c> or <c>province:620000</c>.</summary>
public sealed record Scope(string Kind, string Code)
{
    public const string County = "county";
    public const string Province = "province";

    public override string ToString() => $"{Kind}:{Code}";

    public static Scope? Parse(string? text)
    {
        var parts = text?.Split(':');
        if (parts is not [var kind, var code]) return null;
        return kind switch
        {
            County when Places.IsCountyCode(code) => new Scope(County, code),
            Province when Places.IsProvinceCode(code) => new Scope(Province, code),
            _ => null,
        };
    }

    /// <summary>Whether this scope takes in the county: the county itself, or the province it lies in.</summary>
    public bool Covers(string county) => Kind switch
    {
        County => Code == county,
        Province => Places.IsCountyCode(county) && Places.ProvinceOf(county) == Code,
        _ => false,
    };

    public bool CoversProvince(string province) => Kind == Province && Code == province;
}

/// <summary>
/// The one rule for "may this token touch this county or province". Every route and every hub subscription asks here.
/// </summary>
public static class Access
{
    public const string ScopeClaim = "scope";
    public const string RoleClaim = "role";

    public static string? Role(this ClaimsPrincipal user) => user.FindFirst(RoleClaim)?.Value;

    public static Scope? Scope(this ClaimsPrincipal user) => Security.Scope.Parse(user.FindFirst(ScopeClaim)?.Value);

    public static string Actor(this ClaimsPrincipal user) => user.FindFirst("sub")?.Value ?? user.Role() ?? "unknown";

    /// <summary>Read a county's registers and figures over HTTP: its own committee and staff, its province's overseers.</summary>
    public static bool CanRead(this ClaimsPrincipal user, string county) =>
        user.Role() is Roles.CountyAdmin or Roles.StationStaff or Roles.ProvinceOverseer && user.Scope()?.Covers(county) == true;

    /// <summary>Change a county's registers: its own committee.</summary>
    public static bool CanWrite(this ClaimsPrincipal user, string county) =>
        user.Role() == Roles.CountyAdmin && user.Scope() is { Kind: Security.Scope.County } scope && scope.Code == county;

    /// <summary>Read a province's comparison over HTTP: its overseers.</summary>
    public static bool CanReadProvince(this ClaimsPrincipal user, string province) =>
        user.Role() == Roles.ProvinceOverseer && user.Scope()?.CoversProvince(province) == true;

    /// <summary>Watch a scope live: any role whose scope takes it in; a county token cannot watch its province.</summary>
    public static bool CanWatch(this ClaimsPrincipal user, Scope watched) =>
        user.Role() is { } role && Roles.All.Contains(role) && user.Scope() is { } scope && watched.Kind switch
        {
            Security.Scope.County => scope.Covers(watched.Code),
            _ => scope.CoversProvince(watched.Code),
        };
}
