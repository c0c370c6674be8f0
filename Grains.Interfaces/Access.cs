namespace Beacon;

public static class Roles
{
    public const string CountyAdmin = "county-admin";
    public const string StationStaff = "station-staff";
    public const string ProvinceOverseer = "province-overseer";
    public const string ProvinceAdmin = "province-admin";
    public const string Display = "display";
    /// <summary>Runs the platform (the Orleans dashboard); reads no county. Its accounts are made by the bootstrap command.</summary>
    public const string PlatformAdmin = "platform-admin";
    /// <summary>Beacon itself (demo data, maintenance): never carried by a token.</summary>
    public const string System = "system";

    public static readonly string[] All = [CountyAdmin, StationStaff, ProvinceOverseer, ProvinceAdmin, Display, PlatformAdmin];
}

/// <summary>A scope a token is issued for: <c>county:620521</c>, <c>prefecture:341500</c> or <c>province:620000</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record Scope([property: Id(0)] string Kind, [property: Id(1)] string Code)
{
    public const string County = "county";
    public const string Prefecture = "prefecture";
    public const string Province = "province";

    public override string ToString() => $"{Kind}:{Code}";

    public static Scope? Parse(string? text)
    {
        var parts = text?.Split(':');
        if (parts is not [var kind, var code]) return null;
        return kind switch
        {
            County when Places.IsCountyCode(code) => new Scope(County, code),
            Prefecture when Places.IsPrefectureCode(code) => new Scope(Prefecture, code),
            Province when Places.IsProvinceCode(code) => new Scope(Province, code),
            _ => null,
        };
    }

    /// <summary>Whether this scope takes in the county: the county itself, or the prefecture or province it lies in.</summary>
    public bool Covers(string county) => Places.IsCountyCode(county) && Kind switch
    {
        County => Code == county,
        Prefecture => Places.PrefectureOf(county) == Code,
        Province => Places.ProvinceOf(county) == Code,
        _ => false,
    };

    /// <summary>Whether this scope takes in the prefecture: the prefecture itself, or the province it lies in.</summary>
    public bool CoversPrefecture(string prefecture) => Places.IsPrefectureCode(prefecture) && Kind switch
    {
        Prefecture => Code == prefecture,
        Province => Places.ProvinceOf(prefecture) == Code,
        _ => false,
    };

    public bool CoversProvince(string province) => Kind == Province && Code == province;

    /// <summary>Whether this scope takes in another one whole: a county, a prefecture or a province.</summary>
    public bool Covers(Scope other) => other.Kind switch
    {
        County => Covers(other.Code),
        Prefecture => CoversPrefecture(other.Code),
        Province => CoversProvince(other.Code),
        _ => false,
    };
}

/// <summary>
/// Who makes a request: the token's subject (an account's sign-in name), role, scope and, for station staff, their
/// station; the account's display name; and what the change came through when it was not a request of its own (an
/// import and its file). This record holds the one rule for "may this actor touch this county or station"; the gateway
/// asks it for every route and hub subscription, and the grains ask it again for every change.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Actor(
    [property: Id(0)] string Name,
    [property: Id(1)] string Role,
    [property: Id(2)] Scope? Scope,
    [property: Id(3)] string? StationId = null,
    [property: Id(4)] string? DisplayName = null,
    [property: Id(5)] string? Via = null)
{
    /// <summary>
    /// Who made a change, as histories and the county's recent changes keep it: the account's display name and role
    /// (the sign-in name when a token carries no display name) and what it came through.
    /// </summary>
    public string Label => $"{DisplayName ?? Name}（{Role}）" + (Via is null ? "" : $"，{Via}");

    /// <summary>The same actor making changes through something else, e.g. an import of a file.</summary>
    public Actor Through(string via) => this with { Via = via };

    public static Actor System(string name) => new(name, Roles.System, null);

    private bool IsSystem => Role == Roles.System;
    private bool InCounty(string county) => Scope is { Kind: Scope.County } s && s.Code == county;
    private bool InProvince(string province) => Scope is { Kind: Scope.Province } s && s.Code == province;

    /// <summary>An overseer: a province-overseer with a prefecture or province scope (one with a county scope is no overseer).</summary>
    private bool IsOverseer => Role == Roles.ProvinceOverseer && Scope is { Kind: Scope.Prefecture or Scope.Province };

    /// <summary>
    /// Read a county's registers and figures: its committee and station staff (a county scope, that county), the
    /// overseers of its prefecture or province (a prefecture or province scope). A county role carrying a wider scope
    /// reads nothing: the token command never mints one, and a token that claims one is not widened. A province
    /// administrator keeps the county tenants, not their registers, and reads none of them.
    /// </summary>
    public bool MayRead(string county) => IsSystem ||
        Role is Roles.CountyAdmin or Roles.StationStaff && InCounty(county) ||
        IsOverseer && Scope!.Covers(county);

    /// <summary>Read a province's comparison: its overseers with the province's scope (not a prefecture's).</summary>
    public bool MayReadProvince(string province) => IsSystem || IsOverseer && InProvince(province);

    /// <summary>Read a prefecture's comparison: the overseers of that prefecture, and of the province it lies in.</summary>
    public bool MayReadPrefecture(string prefecture) => IsSystem || IsOverseer && Scope!.CoversPrefecture(prefecture);

    /// <summary>
    /// Create a county tenant or change its profile and targets: the administrators of its province. Any division
    /// code of the province passes here, so that one that is not a county is refused by the rules, naming the field,
    /// rather than as a place out of scope.
    /// </summary>
    public bool MayConfigure(string county) => IsSystem ||
        Role == Roles.ProvinceAdmin && Scope is { Kind: Scope.Province } s && Places.IsDivisionCode(county) && Places.ProvinceOf(county) == s.Code;

    /// <summary>Read a county's profile and targets: whoever reads the county, and whoever configures it.</summary>
    public bool MayReadProfile(string county) => MayRead(county) || MayConfigure(county);

    /// <summary>List a province's county tenants: its administrators and its overseers with the province's scope.</summary>
    public bool MayListCounties(string province) => IsSystem ||
        (Role == Roles.ProvinceAdmin || IsOverseer) && InProvince(province);

    /// <summary>
    /// Watch a scope live. A county: a display whose scope takes it in, or anyone who may read it. A prefecture or a
    /// province: a display or an overseer whose scope takes it in (a prefecture's overseer watches neither its
    /// province nor another prefecture). A county token watches no wider scope, and a province administrator none.
    /// </summary>
    public bool MayWatch(Scope watched) => !IsSystem && (watched.Kind == Scope.County
        ? Role == Roles.Display && Scope?.Covers(watched.Code) == true || MayRead(watched.Code)
        : (Role == Roles.Display || IsOverseer) && Scope?.Covers(watched) == true);

    /// <summary>Send changes to a county at all: its committee, and its station staff (whose station each change is checked against).</summary>
    public bool MayWrite(string county) => IsSystem || InCounty(county) && Role is Roles.CountyAdmin or Roles.StationStaff;

    /// <summary>Keep the registers of stations, groups and instructors, reconcile, read the county's audit: its committee.</summary>
    public bool MayAdminister(string county) => IsSystem || InCounty(county) && Role == Roles.CountyAdmin;

    /// <summary>
    /// Change one entity of a county. Station staff change only enterprises, issues and applicants of their own
    /// station, and cannot move them to another: the station the entity has now and the one it will have must both be
    /// theirs (an entity that does not exist yet has none).
    /// </summary>
    public bool MayChange(string county, EntityKind kind, bool exists, string? stationBefore, string? stationAfter) =>
        MayAdminister(county) ||
        Role == Roles.StationStaff && InCounty(county) && StationId is { } mine &&
        kind is EntityKind.Enterprise or EntityKind.Issue or EntityKind.Applicant &&
        (!exists || stationBefore == mine) && stationAfter == mine;

    /// <summary>
    /// Read the personal entries of a county (<see cref="Register.Personal"/>: applicants' names and birth years) at all:
    /// its committee, and station staff, who read those of their own station only (<see cref="PersonalStation"/>).
    /// An overseer reads the counts in the summary, never the people; nor does a display.
    /// </summary>
    public bool MayReadPersonal(string county) => MayAdminister(county) || Role == Roles.StationStaff && InCounty(county) && StationId is not null;

    /// <summary>Read one personal entry, of the station given (null: of none): the committee any, station staff their station's.</summary>
    public bool MayReadPersonal(string county, string? stationId) =>
        MayAdminister(county) || MayReadPersonal(county) && stationId is not null && stationId == StationId;

    /// <summary>The station a list or export of personal entries is held to: station staff's own; null for the committee, which reads all.</summary>
    public string? PersonalStation(string county) => MayAdminister(county) ? null : StationId;

    /// <summary>Record a station's meetings and reports, its instructors' visits or its organisations' meetings: its committee, or its own staff.</summary>
    public bool MayRecordFor(string county, string? stationId) =>
        MayAdminister(county) || Role == Roles.StationStaff && InCounty(county) && StationId is not null && StationId == stationId;

    /// <summary>
    /// Create or end an account of <paramref name="role"/> and <paramref name="scope"/>. A province administrator keeps
    /// its province's county admins, overseers and prefecture or province screens; a county admin its county's station
    /// staff and county screens; no one makes an account of a role above their own or of another place. Province and
    /// platform administrators are made by the bootstrap command (the system).
    /// </summary>
    public bool MayManageAccount(string role, Scope? scope) => IsSystem || scope is not null && (
        Role == Roles.ProvinceAdmin && Scope is { Kind: Scope.Province } mine && mine.Covers(scope) &&
            (role == Roles.CountyAdmin && scope.Kind == Scope.County ||
             role is Roles.ProvinceOverseer or Roles.Display && scope.Kind is Scope.Prefecture or Scope.Province) ||
        Role == Roles.CountyAdmin && scope.Kind == Scope.County && InCounty(scope.Code) && role is Roles.StationStaff or Roles.Display);

    /// <summary>List and manage the accounts of a place: a county's by its committee, a province's by its administrators.</summary>
    public bool MayManageAccountsOf(Scope place) => IsSystem || place.Kind switch
    {
        Scope.County => Role == Roles.CountyAdmin && InCounty(place.Code),
        Scope.Province => Role == Roles.ProvinceAdmin && InProvince(place.Code),
        _ => false,
    };

    /// <summary>Open the Orleans dashboard: the platform's administrators.</summary>
    public bool MayOperate => Role == Roles.PlatformAdmin;

    public override string ToString() => StationId is null ? $"{Name} ({Role})" : $"{Name} ({Role}, station {StationId})";
}
