using Beacon.Gateway.Security;
using Microsoft.Net.Http.Headers;

namespace Beacon.Gateway.Apis;

/// <summary>The comparisons of a province's counties and of a prefecture's, each with its seq as ETag.</summary>
public static class ProvinceApi
{
    public static RouteGroupBuilder MapProvinceApi(this RouteGroupBuilder api)
    {
        api.MapGet("/provinces/{province}/comparison", async (string province, string? asOf, TimeProvider time, IGrainFactory grains,
            ComparisonJson comparisons, HttpContext http) => TrendApi.PastDay(asOf, time) switch
            {
                { Refusal: { } refusal } => refusal,
                { Day: { } day } => TypedResults.Ok(await grains.GetGrain<IProvinceGrain>(province).GetComparisonAsOfAsync(day)),
                _ => Answer(await comparisons.GetAsync(grains, province), http),
            })
          .WithTags("Provinces").WithSummary("One row per county of the province, and the province's totals; with asOf=yyyy-MM-dd, as that day ended (the counties' snapshots).")
          .WithDescription("Answers an ETag (the comparison's seq); with If-None-Match naming it, 304 while nothing has changed.")
          .Produces<ProvinceComparison>().Produces(StatusCodes.Status304NotModified).ProducesReadErrors()
          .RequireAuthorization(Policies.Province);

        api.MapGet("/prefectures/{prefecture}/comparison", async (string prefecture, string? asOf, TimeProvider time, IGrainFactory grains,
            ComparisonJson comparisons, HttpContext http) => TrendApi.PastDay(asOf, time) switch
            {
                { Refusal: { } refusal } => refusal,
                { Day: { } day } => TypedResults.Ok(await grains.GetGrain<IProvinceGrain>(Places.ProvinceOf(prefecture)).GetPrefectureComparisonAsOfAsync(prefecture, day)),
                _ => Answer(await comparisons.GetPrefectureAsync(grains, prefecture), http),
            })
          .WithTags("Prefectures").WithSummary("One row per county of the prefecture, and the prefecture's totals; with asOf=yyyy-MM-dd, as that day ended.")
          .WithDescription("Answers an ETag (the prefecture comparison's own seq); with If-None-Match naming it, 304 while nothing has changed.")
          .Produces<PrefectureComparison>().Produces(StatusCodes.Status304NotModified).ProducesReadErrors()
          .RequireAuthorization(Policies.Prefecture);
        return api;
    }

    /// <summary>The seq names the comparison: a client that has it already is told so, and reads nothing again.</summary>
    private static IResult Answer(ComparisonJson.Current current, HttpContext http)
    {
        var tag = new EntityTagHeaderValue($"\"{current.Seq}\"");
        http.Response.Headers.ETag = tag.ToString();
        if (http.Request.GetTypedHeaders().IfNoneMatch.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(tag, useStrongComparison: false)))
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Bytes(current.Utf8, "application/json; charset=utf-8");
    }
}
