using System.Security.Claims;
using Beacon.Gateway.Security;

namespace Beacon.Gateway.Apis;

public static class ProvinceApi
{
    public static RouteGroupBuilder MapProvinceApi(this RouteGroupBuilder api)
    {
        api.MapGet("/provinces/{province}/comparison", async (string province, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var actor = user.Actor();
            if (!actor.MayReadProvince(province)) return Answers.Forbidden(actor, $"read province {province}");
            return Results.Ok(await grains.GetGrain<IProvinceGrain>(province).GetComparisonAsync());
        }).WithTags("Provinces").WithSummary("One row per county of the province, and the province's totals.")
          .Produces<ProvinceComparison>().ProducesReadErrors();
        return api;
    }
}
