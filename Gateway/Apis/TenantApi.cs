using System.Security.Claims;
using System.Text.Json.Serialization;
using Beacon.Gateway.Security;

namespace Beacon.Gateway.Apis;

/// <summary>
/// A county tenant as its province's administrators configure it: the county's <see cref="CountyProfile"/> without its
/// code, which the address gives (a body read back from GET may carry it, and then it must be the same). What is left
/// out takes the default: the province's own name, a linkage target of 0.7, 30 days to overdue, affiliated
/// organisations not counted as covering.
/// </summary>
public sealed record CountySettings(
    [property: JsonRequired] string Name,
    [property: JsonRequired] string PrefectureName,
    string? ProvinceName = null,
    double LinkageTarget = 0.7,
    int OverdueDays = 30,
    bool AffiliatedCountsAsCovered = false,
    string? Code = null);

/// <summary>The county tenants: created and configured by the administrators of their province, listed per province.</summary>
public static class TenantApi
{
    public static string Location(string county) => $"/api/counties/{county}";

    public static RouteGroupBuilder MapTenantApi(this RouteGroupBuilder api)
    {
        var tenant = api.MapGroup("/counties/{county}").WithTags("Counties").RequireAuthorization(Policies.Tenant);

        tenant.MapGet("/", async (string county, IGrainFactory grains) =>
            await grains.GetGrain<ICountyGrain>(county).GetProfileAsync() is { } profile
                ? Results.Ok(profile)
                : Answers.NotFound(CountyApi.Called(county)))
            .WithSummary("The county's profile and targets: its name, its prefecture's and province's names, the linkage target, the days after which an issue is overdue, whether affiliated organisations count as covering.")
            .Produces<CountyProfile>().ProducesReadErrors();

        tenant.MapPut("/", async (string county, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var (settings, problem) = await Json.ReadAsync<CountySettings>(request);
            if (problem is not null) return problem;
            var profile = new CountyProfile(settings!.Code ?? county, settings.Name, settings.PrefectureName,
                settings.ProvinceName ?? (Places.IsDivisionCode(county) ? Places.ProvinceName(Places.ProvinceOf(county)) : ""),
                settings.LinkageTarget, settings.OverdueDays, settings.AffiliatedCountsAsCovered);
            var grain = grains.GetGrain<ICountyGrain>(county);
            var result = await grain.ConfigureAsync(profile, user.Actor());
            return Answers.From(result, Location(county), CountyApi.Called(county), result.Succeeded ? await grain.GetProfileAsync() : null);
        }).WithSummary("Creates the county tenant (201) or changes its profile and targets (200); its figures follow at the next publication.")
          .WithDescription("For the administrators of its province. Refused by field: name and prefectureName are required, linkageTarget is a fraction above 0 and at most 1, overdueDays 1 to 365, and the county a county-level code.")
          .Accepts<CountySettings>("application/json").Produces<CountyProfile>(StatusCodes.Status201Created).Produces<CountyProfile>()
          .ProducesWriteErrors();

        api.MapGet("/provinces/{province}/counties", async (string province, IGrainFactory grains) =>
            Results.Ok(await grains.GetGrain<IProvinceGrain>(province).GetCountiesAsync()))
            .WithTags("Provinces").WithSummary("The county tenants of the province, by code, each with its profile and targets.")
            .Produces<CountyProfile[]>().ProducesReadErrors().RequireAuthorization(Policies.ProvinceCounties);

        return api;
    }
}
