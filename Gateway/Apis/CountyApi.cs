using Beacon.Gateway.Security;
using System.Security.Claims;

namespace Beacon.Gateway.Apis;

public static class CountyApi
{
    public static RouteGroupBuilder MapCountyApi(this RouteGroupBuilder api)
    {
        var county = api.MapGroup("/counties/{county}").WithTags("Counties");

        county.MapGet("/summary", async (string county, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            if (!user.CanRead(county)) return user.Forbidden($"read county {county}");
            var grain = grains.GetGrain<ICountyGrain>(county);
            if (await grain.GetProfileAsync() is null) return Answers.NotFound($"County {county}");
            return Results.Ok(await grain.GetSummaryAsync());
        }).WithSummary("The county's figures, each with its numerator and denominator.")
          .Produces<CountySummary>().ProducesProblem(403).ProducesProblem(404);

        county.MapPost("/reconcile", async (string county, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            if (!user.CanWrite(county)) return user.Forbidden($"reconcile county {county}");
            var grain = grains.GetGrain<ICountyGrain>(county);
            if (await grain.GetProfileAsync() is null) return Answers.NotFound($"County {county}");
            return Results.Ok(await grain.ReconcileAsync());
        }).WithSummary("Rebuilds the county's figures from its entities and answers what differed.")
          .Produces<ReconcileReport>().ProducesProblem(403).ProducesProblem(404);

        return api;
    }
}
