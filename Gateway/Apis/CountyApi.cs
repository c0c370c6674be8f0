using System.Security.Claims;
using Beacon.Gateway.Security;

namespace Beacon.Gateway.Apis;

public static class CountyApi
{
    public static RouteGroupBuilder MapCountyApi(this RouteGroupBuilder api)
    {
        var county = api.MapGroup("/counties/{county}").WithTags("Counties");

        county.MapGet("/summary", async (string county, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var actor = user.Actor();
            if (!actor.MayRead(county)) return Answers.Forbidden(actor, $"read county {county}");
            var grain = grains.GetGrain<ICountyGrain>(county);
            if (await grain.GetProfileAsync() is null) return Answers.NotFound($"County {county}");
            return Results.Ok(await grain.GetSummaryAsync());
        }).WithSummary("The county's figures, each with its numerator and denominator.")
          .Produces<CountySummary>().ProducesReadErrors();

        county.MapPost("/reconcile", async (string county, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var actor = user.Actor();
            if (!actor.MayAdminister(county)) return Answers.Forbidden(actor, $"reconcile county {county}");
            var grain = grains.GetGrain<ICountyGrain>(county);
            if (await grain.GetProfileAsync() is null) return Answers.NotFound($"County {county}");
            return Results.Ok(await grain.ReconcileAsync());
        }).WithSummary("Rebuilds the county's figures from its entities and answers what differed.")
          .Produces<ReconcileReport>().ProducesWriteErrors();

        county.MapGet("/changes", async (string county, int? limit, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var actor = user.Actor();
            if (!actor.MayAdminister(county)) return Answers.Forbidden(actor, $"read the changes of county {county}");
            if (limit is < 1 or > 500) return Json.Invalid("limit", "must be a whole number from 1 to 500");
            var grain = grains.GetGrain<ICountyGrain>(county);
            if (await grain.GetProfileAsync() is null) return Answers.NotFound($"County {county}");
            return Results.Ok(await grain.RecentChangesAsync(limit ?? 50));
        }).WithSummary("The county's most recent changes, newest first: which entity, who, when (each entity's history has the details).")
          .Produces<ChangeNote[]>().ProducesReadErrors();

        return api;
    }
}
