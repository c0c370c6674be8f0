using System.Security.Claims;
using Beacon.Gateway.Security;
using Beacon.Rules;

namespace Beacon.Gateway.Apis;

/// <summary>One to-do item as clients read it: its text in the language asked for.</summary>
public sealed record TodoAnswer(string Kind, string Entity, string Id, DateOnly? Due, int? DaysLate, string? StationId, string Text);

public static class CountyApi
{
    public static Said Called(string county) => new($"县 {county}", $"county {county}");

    public static RouteGroupBuilder MapCountyApi(this RouteGroupBuilder api)
    {
        var county = api.MapGroup("/counties/{county}").WithTags("Counties").RequireAuthorization(Policies.County).RequireCounty();

        county.MapGet("/summary", async (string county, string? asOf, TimeProvider time, IGrainFactory grains) =>
        {
            var (day, refusal) = TrendApi.PastDay(asOf, time);
            if (refusal is not null) return refusal;
            var grain = grains.GetGrain<ICountyGrain>(county);
            if (await grain.GetProfileAsync() is null) return Answers.NotFound(Called(county));
            if (day is not { } past) return TypedResults.Ok(await grain.GetSummaryAsync());
            return await Snapshots.AsOfAsync(grains, county, past) is { } kept
                ? TypedResults.Ok(kept)
                : Answers.NotFound(new($"县 {county} {past:yyyy-MM-dd} 及之前的概况", $"county {county}'s figures on or before {past:yyyy-MM-dd}"));
        }).WithSummary("The county's figures, each with its numerator and denominator; with asOf=yyyy-MM-dd, as that day ended (its snapshot).")
          .Produces<CountySummary>().ProducesReadErrors();

        county.MapGet("/todo", async (string county, string? station, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var actor = user.Actor();
            // Station staff read their station's own list; others the county's, or one station's when they ask.
            if (actor.Role == Roles.StationStaff) station = actor.StationId;
            else if (station is not null)
            {
                var v = new Validation();
                v.Identifier("station", station);
                if (!v.IsValid) return Answers.Invalid("station", v.Errors["station"][0]);
            }
            var grain = grains.GetGrain<ICountyGrain>(county);
            if (await grain.GetProfileAsync() is null) return Answers.NotFound(Called(county));
            var english = Answers.English(request);
            var items = await grain.GetTodoAsync(station, actor.MayReadPersonal(county));
            return TypedResults.Ok(items.Select(i => new TodoAnswer(JsonNames.Of(i.Kind), i.Entity, i.Id, i.Due, i.DaysLate, i.StationId, i.Text.In(english))).ToArray());
        }).WithSummary("What is due or late in the county, the latest first: overdue issues, stations' missing reports and meetings, organisations behind on their organisational life, applicants' steps due (for those who see applicants), elections due within 90 days, groups below 2 full-time and full-time instructors on duty under 3 days a week. Station staff get their station's.")
          .Produces<TodoAnswer[]>().ProducesReadErrors();

        county.MapPost("/reconcile", async (string county, IGrainFactory grains) =>
        {
            var grain = grains.GetGrain<ICountyGrain>(county);
            if (await grain.GetProfileAsync() is null) return Answers.NotFound(Called(county));
            return TypedResults.Ok(await grain.ReconcileAsync());
        }).WithSummary("Rebuilds the county's figures from its entities and answers what differed.")
          .Produces<ReconcileReport>().ProducesWriteErrors().RequireAuthorization(Policies.CountyCommittee);

        county.MapGet("/changes", async (string county, int? limit, IGrainFactory grains) =>
        {
            if (limit is < 1 or > 500) return Answers.Invalid("limit", new("须为 1 到 500 之间的整数", "must be a whole number from 1 to 500"));
            var grain = grains.GetGrain<ICountyGrain>(county);
            if (await grain.GetProfileAsync() is null) return Answers.NotFound(Called(county));
            return TypedResults.Ok(await grain.RecentChangesAsync(limit ?? 50));
        }).WithSummary("The county's most recent changes, newest first: which entity, who, when (each entity's history has the details).")
          .Produces<ChangeNote[]>().ProducesReadErrors().RequireAuthorization(Policies.CountyCommittee);

        return api;
    }
}
