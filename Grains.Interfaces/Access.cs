namespace Beacon;

public static class Roles
{
    public const string CountyAdmin = "county-admin";
    public const string StationStaff = "station-staff";
    public const string ProvinceOverseer = "province-overseer";
    public const string Display = "display";
    /// <summary>Beacon itself (demo data, maintenance): never carried by a token.</summary>
    public const string System = "system";

    public static readonly string[] All = [CountyAdmin, StationStaff, ProvinceOverseer, Display];
}

/// <summary>A scope a token is issued for: <c>county:620521</c> or <c>province:620000</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record Scope([property: Id(0)] string Kind, [property: Id(1)] string Code)
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
/// Who makes a request: the token's subject, role, scope and, for station staff, their station. This record holds
/// the one rule for "may this actor touch this county or station"; the gateway asks it for every route and hub
/// subscription, and the grains ask it again for every change.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Actor(
    [property: Id(0)] string Name,
    [property: Id(1)] string Role,
    [property: Id(2)] Scope? Scope,
    [property: Id(3)] string? StationId = null)
{
    public static Actor System(string name) => new(name, Roles.System, null);

    private bool IsSystem => Role == Roles.System;
    private bool InCounty(string county) => Scope is { Kind: Scope.County } s && s.Code == county;

    /// <summary>
    /// Read a county's registers and figures: its committee and station staff (a county scope, that county), its
    /// province's overseers (a province scope). A county role carrying a province scope reads nothing: the token command
    /// never mints one, and a token that claims one is not widened to the province.
    /// </summary>
    public bool MayRead(string county) => IsSystem ||
        Role is Roles.CountyAdmin or Roles.StationStaff && InCounty(county) ||
        Role == Roles.ProvinceOverseer && Scope is { Kind: Scope.Province } s && s.Covers(county);

    /// <summary>Read a province's comparison: its overseers.</summary>
    public bool MayReadProvince(string province) => IsSystem || Role == Roles.ProvinceOverseer && Scope?.CoversProvince(province) == true;

    /// <summary>
    /// Watch a scope live: a display whose scope takes it in, or anyone who may read it; a county token cannot watch its
    /// province.
    /// </summary>
    public bool MayWatch(Scope watched) => !IsSystem && (watched.Kind == Scope.County
        ? Role == Roles.Display && Scope?.Covers(watched.Code) == true || MayRead(watched.Code)
        : Role is Roles.Display or Roles.ProvinceOverseer && Scope?.CoversProvince(watched.Code) == true);

    /// <summary>Send changes to a county at all: its committee, and its station staff (whose station each change is checked against).</summary>
    public bool MayWrite(string county) => IsSystem || InCounty(county) && Role is Roles.CountyAdmin or Roles.StationStaff;

    /// <summary>Keep the registers of stations, groups and instructors, reconcile, read the county's audit: its committee.</summary>
    public bool MayAdminister(string county) => IsSystem || InCounty(county) && Role == Roles.CountyAdmin;

    /// <summary>
    /// Change one entity of a county. Station staff change only enterprises and issues of their own station, and
    /// cannot move them to another: the station the entity has now and the one it will have must both be theirs
    /// (an entity that does not exist yet has none).
    /// </summary>
    public bool MayChange(string county, EntityKind kind, bool exists, string? stationBefore, string? stationAfter) =>
        MayAdminister(county) ||
        Role == Roles.StationStaff && InCounty(county) && StationId is { } mine &&
        kind is EntityKind.Enterprise or EntityKind.Issue &&
        (!exists || stationBefore == mine) && stationAfter == mine;

    /// <summary>Record a station's meetings and reports, or its instructors' visits: its committee, or its own staff.</summary>
    public bool MayRecordFor(string county, string? stationId) =>
        MayAdminister(county) || Role == Roles.StationStaff && InCounty(county) && StationId is not null && StationId == stationId;

    public override string ToString() => StationId is null ? $"{Name} ({Role})" : $"{Name} ({Role}, station {StationId})";
}
