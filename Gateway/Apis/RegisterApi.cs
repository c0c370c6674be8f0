using System.Security.Claims;
using Beacon.Gateway.Cluster;
using Beacon.Gateway.Security;

namespace Beacon.Gateway.Apis;

/// <summary>One register of a county as routes: which grain holds it, its route, and how its id is written.</summary>
public sealed record Register<TProfile>(
    string Route, string Tag, string IdField, EntityKind Kind,
    Func<TProfile, string?> IdOf, Func<TProfile, string, TProfile> WithId) where TProfile : class;

/// <summary>
/// Create, read, replace, delete, list and history for each register (enterprises, stations, groups, instructors):
/// the same shape of routes for all four, as the public contract says.
/// </summary>
public static class RegisterApi
{
    public static readonly Register<EnterpriseProfile> Enterprises = new("enterprises", "Enterprises", "creditCode", EntityKind.Enterprise,
        p => p.CreditCode, (p, id) => p with { CreditCode = id });
    public static readonly Register<StationProfile> Stations = new("stations", "Stations", "stationId", EntityKind.Station,
        p => p.StationId, (p, id) => p with { StationId = id });
    public static readonly Register<InstructorGroupProfile> Groups = new("groups", "Groups", "groupId", EntityKind.Group,
        p => p.GroupId, (p, id) => p with { GroupId = id });
    public static readonly Register<InstructorProfile> Instructors = new("instructors", "Instructors", "instructorId", EntityKind.Instructor,
        p => p.InstructorId, (p, id) => p with { InstructorId = id });

    public static RouteGroupBuilder MapRegisterApis(this RouteGroupBuilder api)
    {
        api.MapRegister<EnterpriseProfile, IEnterpriseGrain>(Enterprises);
        api.MapRegister<StationProfile, IStationGrain>(Stations);
        api.MapRegister<InstructorGroupProfile, IInstructorGroupGrain>(Groups);
        api.MapRegister<InstructorProfile, IInstructorGrain>(Instructors);
        return api;
    }

    private static RouteGroupBuilder MapRegister<TProfile, TGrain>(this RouteGroupBuilder api, Register<TProfile> register)
        where TProfile : class where TGrain : IRegisterGrain<TProfile>
    {
        var routes = api.MapGroup($"/counties/{{county}}/{register.Route}").WithTags(register.Tag).RequireAuthorization(Policies.County);
        var noun = register.Tag.TrimEnd('s').ToLowerInvariant();
        TGrain Grain(IGrainFactory grains, string county, string id) => grains.GetGrain<TGrain>(Places.TenantKey(county, id));

        routes.MapGet("/", async (string county, HttpRequest request, IGrainFactory grains) =>
        {
            var (query, problem) = Listing.Read(request, register.Kind);
            if (problem is not null) return problem;
            var page = await grains.GetGrain<ICountyGrain>(county).QueryAsync(query!);
            var items = await Task.WhenAll(page.Ids.Select(id => Grain(grains, county, id).GetAsync()));
            return Results.Ok(Listing.Page(page, query!.Limit, items.OfType<Versioned<TProfile>>().Select(View)));
        }).WithSummary($"A page of the county's {register.Route}: filter by station, group, mode, inBase or a name/id prefix (q); sort by name or id.")
          .Produces<ListPage<TProfile>>().ProducesReadErrors();

        routes.MapPost("/", (string county, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, Rechecks rechecks) =>
            PutAsync(register, county, null, request, user, rechecks, key => Grain(grains, county, key)))
            .WithSummary($"Creates or replaces one {noun}: 201 when new, 200 when replaced, with the id and the new version.")
            .Accepts<TProfile>("application/json").Produces<Saved>(StatusCodes.Status201Created).Produces<Saved>().ProducesWriteErrors();

        routes.MapPut("/{id}", (string county, string id, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, Rechecks rechecks) =>
            PutAsync(register, county, id, request, user, rechecks, key => Grain(grains, county, key)))
            .WithSummary($"Replaces one {noun}; the id in the address wins when the body leaves it out.")
            .Accepts<TProfile>("application/json").Produces<Saved>(StatusCodes.Status201Created).Produces<Saved>().ProducesWriteErrors();

        routes.MapGet("/{id}", async (string county, string id, IGrainFactory grains) =>
        {
            return await Grain(grains, county, id).GetAsync() is { } entry
                ? Results.Ok(View(entry))
                : Answers.NotFound($"{register.Tag.TrimEnd('s')} {id} in county {county}");
        }).WithSummary($"One {noun}, with its version and when it last changed.").Produces<TProfile>().ProducesReadErrors();

        routes.MapDelete("/{id}", async (string county, string id, ClaimsPrincipal user, IGrainFactory grains, Rechecks rechecks) =>
        {
            return Answers.From(await rechecks.GuardAsync(county, register.Kind, id, () => Grain(grains, county, id).DeleteAsync(user.Actor())), $"{register.Tag.TrimEnd('s')} {id} in county {county}");
        }).WithSummary($"Removes one {noun}; refused while others still refer to it.").Produces(StatusCodes.Status204NoContent).ProducesWriteErrors();

        routes.MapGet("/{id}/history", async (string county, string id, IGrainFactory grains) =>
        {
            var history = await Grain(grains, county, id).GetHistoryAsync();
            if (history.Length == 0) return Answers.NotFound($"{register.Tag.TrimEnd('s')} {id} in county {county}");
            return Results.Ok(history.Select(h => new
            {
                version = h.Version, at = h.At, by = h.By, action = h.Action,
                changes = Json.Differences(h.Before is null ? null : Json.ToObject(h.Before), h.After is null ? null : Json.ToObject(h.After)),
            }));
        }).WithSummary($"Every change to one {noun}: who, when, and each field before and after.").Produces<object[]>().ProducesReadErrors();

        return api;
    }

    private static async Task<IResult> PutAsync<TProfile>(Register<TProfile> register, string county, string? id,
        HttpRequest request, ClaimsPrincipal user, Rechecks rechecks, Func<string, IRegisterGrain<TProfile>> grainOf) where TProfile : class
    {
        var (profile, problem) = await Json.ReadAsync<TProfile>(request);
        if (problem is not null) return problem;
        if (id is not null && string.IsNullOrEmpty(register.IdOf(profile!))) profile = register.WithId(profile!, id);
        id ??= register.IdOf(profile!);
        if (string.IsNullOrEmpty(id)) return Json.Invalid(register.IdField, "is required");
        var result = await rechecks.GuardAsync(county, register.Kind, id, () => grainOf(id).PutAsync(profile!, user.Actor()));
        return Answers.From(result, $"/api/counties/{county}/{register.Route}/{Uri.EscapeDataString(id)}",
            new Dictionary<string, object> { [register.IdField] = id, ["version"] = result.Version });
    }

    /// <summary>The entity as it was posted, plus its version and when it last changed.</summary>
    private static object View<TProfile>(Versioned<TProfile> entry)
    {
        var json = Json.ToObject(entry.Value);
        json["version"] = entry.Version;
        json["updatedAt"] = entry.UpdatedAt;
        return json;
    }
}
