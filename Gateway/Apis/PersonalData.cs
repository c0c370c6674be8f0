namespace Beacon.Gateway.Apis;

/// <summary>
/// How the routes of a register of personal entries (<see cref="Register.Personal"/>, applicants) apply the one rule
/// (<see cref="Actor.MayReadPersonal(string, string?)"/>): the policy refuses whoever may read none of them
/// (<see cref="Security.Policies.Personal"/>); these hold the lists and exports of station staff to their station and
/// refuse them another station's entry. A register of other entries passes untouched.
/// </summary>
public static class PersonalData
{
    /// <summary>The list filter by station, which every personal register has (its entries are kept by a station).</summary>
    public const string StationFilter = "station";

    /// <summary>The query, held to the actor's station where the actor reads only its own station's entries.</summary>
    public static RegisterQuery Held(Register register, Actor actor, string county, RegisterQuery query)
    {
        if (!register.Personal || actor.PersonalStation(county) is not { } station) return query;
        if (register.Filters.All(f => f.Parameter != StationFilter))
            throw new InvalidOperationException($"The personal register {register.Route} has no '{StationFilter}' filter to hold station staff to.");
        // Whatever station the caller asked for, only its own: another's filter finds nothing rather than its entries.
        var filters = new Dictionary<string, string>(query.Filters, StringComparer.Ordinal) { [StationFilter] = station };
        if (query.Filters.TryGetValue(StationFilter, out var asked) && asked != station) filters[StationFilter] = "\u0000";
        return query with { Filters = filters };
    }

    /// <summary>Whether the actor may see this entry (any entry of a register that is not personal).</summary>
    public static bool Sees<TProfile>(Register<TProfile> register, Actor actor, string county, string id, TProfile profile) where TProfile : class =>
        !register.Personal || actor.MayReadPersonal(county, register.StationOf(register.Contribute(id, profile, 0)));

    public static IResult Refused(Register register, Actor actor, string county, string id) => Answers.Forbidden(new(
        $"{actor} 无权查看县 {county} 的{register.Noun.Zh} {id}：只有县委组织部和所属指导站可以查看",
        $"{actor} may not read {register.Noun.En} {id} of county {county}: only its committee and the hosting station may"));
}
