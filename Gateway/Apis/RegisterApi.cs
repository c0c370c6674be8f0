using System.Security.Claims;
using Beacon.Gateway.Cluster;
using Beacon.Gateway.Security;

namespace Beacon.Gateway.Apis;

/// <summary>
/// Create, read, replace, delete, list and history for every register of profiles, mapped from its descriptor
/// (<see cref="Registers"/>): the same shape of routes for each, as the public contract says.
/// </summary>
public static class RegisterApi
{
    public static RouteGroupBuilder MapRegisterApis(this RouteGroupBuilder api)
    {
        var mapper = new Mapper(api);
        foreach (var register in Registers.All) register.Accept(mapper);
        return api;
    }

    private sealed class Mapper(RouteGroupBuilder api) : IRegisterVisitor
    {
        public void Visit<TProfile>(Register<TProfile> register) where TProfile : class => api.MapRegister(register);
    }

    public static IRegisterGrain<TProfile> Grain<TProfile>(this IGrainFactory grains, Register<TProfile> register, string county, string id)
        where TProfile : class =>
        (IRegisterGrain<TProfile>)grains.GetGrain(register.Grain, Places.TenantKey(county, id));

    public static string Location(Register register, string county, string id) =>
        $"/api/counties/{county}/{register.Route}/{Uri.EscapeDataString(id)}";

    private static Said Called(Register register, string county, string id) =>
        new($"县 {county} 的{register.Noun.Zh} {id}", $"{register.Noun.En} {id} in county {county}");

    private static void MapRegister<TProfile>(this RouteGroupBuilder api, Register<TProfile> register) where TProfile : class
    {
        var routes = api.MapGroup($"/counties/{{county}}/{register.Route}").WithTags(register.Tag).RequireAuthorization(Policies.Of(register)).RequireCounty();
        var noun = register.Noun.En;
        var filters = string.Join(", ", register.Filters.Select(f => f.Parameter));

        routes.MapGet("/", async (string county, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var (query, problem) = Listing.Read(request, register);
            if (problem is not null) return problem;
            var countyGrain = grains.GetGrain<ICountyGrain>(county);
            var page = await countyGrain.QueryAsync(PersonalData.Held(register, user.Actor(), county, query!));
            var items = await Task.WhenAll(page.Ids.Select(id => grains.Grain(register, county, id).GetAsync()));
            var counts = register.Counted.Count == 0 ? null : await countyGrain.CountReferencesAsync(register.Kind, page.Ids);
            return TypedResults.Ok(Listing.Page(page, query!.Limit, items.OfType<Versioned<TProfile>>().Select(e => View(register, e, counts))));
        }).WithSummary($"A page of the county's {register.Route}: filter by {filters}; q finds a part of a name or the start of an id; sort by name or id.")
          .Produces<ListPage<TProfile>>().ProducesReadErrors();

        routes.MapPost("/", (string county, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, Rechecks rechecks) =>
            PutAsync(register, county, null, request, user, grains, rechecks))
            .WithSummary($"Creates or replaces one {noun}: 201 when new, 200 when replaced, with the id and the new version.")
            .Accepts<TProfile>("application/json").Produces<Saved>(StatusCodes.Status201Created).Produces<Saved>().ProducesWriteErrors();

        routes.MapPut("/{id}", (string county, string id, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, Rechecks rechecks) =>
            PutAsync(register, county, id, request, user, grains, rechecks))
            .WithSummary($"Replaces one {noun}; the id in the address wins when the body leaves it out.")
            .Accepts<TProfile>("application/json").Produces<Saved>(StatusCodes.Status201Created).Produces<Saved>().ProducesWriteErrors();

        routes.MapGet("/{id}", async (string county, string id, ClaimsPrincipal user, IGrainFactory grains) =>
            await grains.Grain(register, county, id).GetAsync() is not { } entry ? Answers.NotFound(Called(register, county, id))
            : !PersonalData.Sees(register, user.Actor(), county, id, entry.Value) ? PersonalData.Refused(register, user.Actor(), county, id)
            : TypedResults.Ok(View(register, entry, register.Counted.Count == 0 ? null
                : await grains.GetGrain<ICountyGrain>(county).CountReferencesAsync(register.Kind, [id]))))
            .WithSummary($"One {noun}, with its version and when it last changed.").Produces<TProfile>().ProducesReadErrors();

        routes.MapDelete("/{id}", async (string county, string id, ClaimsPrincipal user, IGrainFactory grains, Rechecks rechecks) =>
            Answers.From(await rechecks.GuardAsync(county, register.Kind, id, () => grains.Grain(register, county, id).DeleteAsync(user.Actor())),
                Location(register, county, id), Called(register, county, id)))
            .WithSummary($"Removes one {noun}; refused while others still refer to it, naming them.").Produces(StatusCodes.Status204NoContent).ProducesWriteErrors();

        routes.MapGet("/{id}/history", async (string county, string id, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var history = await grains.Grain(register, county, id).GetHistoryAsync();
            if (history.Length == 0) return Answers.NotFound(Called(register, county, id));
            // An entry removed is judged by its last profile: whose it was is whose its history is.
            if ((history[^1].After ?? history[^1].Before) is { } last && !PersonalData.Sees(register, user.Actor(), county, id, last))
                return PersonalData.Refused(register, user.Actor(), county, id);
            var entries = history.Select(h => (h.At, Entry: (object)new
            {
                version = (long?)h.Version, at = h.At, by = h.By, action = h.Action,
                changes = Json.Differences(h.Before is null ? null : Json.ToObject(h.Before), h.After is null ? null : Json.ToObject(h.After)),
            })).ToList();
            // A station's monthly reports are its record to the county: each version sent, revisions included, is in
            // its history beside the profile's changes, in time order.
            if (register.Kind == EntityKind.Station && await grains.GetGrain<IStationGrain>(Places.TenantKey(county, id)).GetActivityAsync() is { } activity)
                entries.AddRange(ReportHistory(activity));
            return TypedResults.Ok(entries.OrderBy(e => e.At).Select(e => e.Entry));
        }).WithSummary($"Every change to one {noun}: who, when, and each field before and after.").Produces<object[]>().ProducesReadErrors();
    }

    /// <summary>
    /// Each version of each monthly report as a history entry: <c>report</c> for a month's first, <c>revise report</c>
    /// for a revision, its changes against the version before (no version number: reports are not the profile's).
    /// Reports stored before Beacon kept when they came have no time and are left out.
    /// </summary>
    private static IEnumerable<(DateTimeOffset At, object Entry)> ReportHistory(StationActivity activity) =>
        activity.Reports.Concat(activity.Revisions ?? [])
            .Where(r => r.SubmittedAt is not null)
            .GroupBy(r => r.Month)
            .SelectMany(month =>
            {
                var versions = month.OrderBy(r => r.Revision).ToArray();
                return versions.Select((r, i) => (r.SubmittedAt!.Value, (object)new
                {
                    version = (long?)null, at = r.SubmittedAt!.Value, by = r.SubmittedBy ?? "", action = r.Revision > 1 ? "revise report" : "report",
                    month = r.Month, revision = r.Revision,
                    changes = Json.Differences(i == 0 ? null : ReportJson(versions[i - 1]), ReportJson(r)),
                }));
            });

    private static System.Text.Json.Nodes.JsonObject ReportJson(MonthlyReport r) => new()
    {
        ["reports"] = new System.Text.Json.Nodes.JsonObject
        {
            [r.Month] = new System.Text.Json.Nodes.JsonObject
            {
                ["summary"] = r.Summary,
                ["issuesForCounty"] = new System.Text.Json.Nodes.JsonArray([.. r.IssuesForCounty.Select(i => (System.Text.Json.Nodes.JsonNode?)i)]),
            },
        },
    };

    private static async Task<IResult> PutAsync<TProfile>(Register<TProfile> register, string county, string? id,
        HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, Rechecks rechecks) where TProfile : class
    {
        var (profile, problem) = await Json.ReadAsync<TProfile>(request);
        if (problem is not null) return problem;
        if (id is not null && string.IsNullOrEmpty(register.IdOf(profile!))) profile = register.WithId(profile!, id);
        id ??= register.IdOf(profile!);
        if (string.IsNullOrEmpty(id)) return Answers.Invalid(register.IdField, Rules.Validation.Required);
        var result = await rechecks.GuardAsync(county, register.Kind, id, () => grains.Grain(register, county, id).PutAsync(profile!, user.Actor()));
        return Answers.From(result, Location(register, county, id), Called(register, county, id),
            new Dictionary<string, object> { [register.IdField] = id, ["version"] = result.Version });
    }

    /// <summary>
    /// The entity as it was posted, plus its version, when it last changed, and what refers to it
    /// (<c>counts: { enterprises: 3 }</c>, for the registers that count something).
    /// </summary>
    private static object View<TProfile>(Register<TProfile> register, Versioned<TProfile> entry,
        Dictionary<string, Dictionary<string, int>>? counts) where TProfile : class
    {
        var json = Json.ToObject(entry.Value);
        json["version"] = entry.Version;
        json["updatedAt"] = entry.UpdatedAt;
        if (counts is not null && register.IdOf(entry.Value) is { } id && counts.TryGetValue(id, out var counted))
            json["counts"] = new System.Text.Json.Nodes.JsonObject(counted.Select(c => KeyValuePair.Create(c.Key, (System.Text.Json.Nodes.JsonNode?)c.Value)));
        return json;
    }
}
