using Microsoft.AspNetCore.Http.HttpResults;
using Beacon.Gateway.Security;
using Microsoft.Net.Http.Headers;

namespace Beacon.Gateway.Apis;

public static class ProvinceApi
{
    public static RouteGroupBuilder MapProvinceApi(this RouteGroupBuilder api)
    {
        api.MapGet("/provinces/{province}/comparison", async Task<Results<StatusCodeHttpResult, FileContentHttpResult>> (string province,
            IGrainFactory grains, ComparisonJson comparisons, HttpContext http) =>
        {
            var current = await comparisons.GetAsync(grains, province);
            // The seq names the comparison: a client that has it already is told so, and reads nothing again.
            var tag = new EntityTagHeaderValue($"\"{current.Seq}\"");
            http.Response.Headers.ETag = tag.ToString();
            if (http.Request.GetTypedHeaders().IfNoneMatch.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(tag, useStrongComparison: false)))
                return TypedResults.StatusCode(StatusCodes.Status304NotModified);
            return TypedResults.Bytes(current.Utf8, "application/json; charset=utf-8");
        }).WithTags("Provinces").WithSummary("One row per county of the province, and the province's totals.")
          .WithDescription("Answers an ETag (the comparison's seq); with If-None-Match naming it, 304 while nothing has changed.")
          .Produces<ProvinceComparison>().Produces(StatusCodes.Status304NotModified).ProducesReadErrors()
          .RequireAuthorization(Policies.Province);
        return api;
    }
}
