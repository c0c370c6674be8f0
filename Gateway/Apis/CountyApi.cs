using Beacon.Gateway.Security;

namespace Beacon.Gateway.Apis;

public static class CountyApi
{
    public static Said Called(string county) => new($"县 {county}", $"county {county}");

    public static RouteGroupBuilder MapCountyApi(this RouteGroupBuilder api)
    {
        var county = api.MapGroup("/counties/{county}").WithTags("Counties").RequireAuthorization(Policies.County).RequireCounty();

        county.MapGet("/summary", async (string county, IGrainFactory grains) =>
        {
            var grain = grains.GetGrain<ICountyGrain>(county);
            if (await grain.GetProfileAsync() is null) return Answers.NotFound(Called(county));
            return TypedResults.Ok(await grain.GetSummaryAsync());
        }).WithSummary("The county's figures, each with its numerator and denominator.")
          .Produces<CountySummary>().ProducesReadErrors();

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
