using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Beacon.Gateway.Security;

namespace Beacon.Gateway.Apis;

public static class EnterpriseApi
{
    public static RouteGroupBuilder MapEnterpriseApi(this RouteGroupBuilder api)
    {
        var enterprises = api.MapGroup("/counties/{county}/enterprises").WithTags("Enterprises");

        enterprises.MapPost("/", (string county, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
            PutAsync(county, null, request, user, grains))
            .WithSummary("Creates or replaces one enterprise of the county's register.")
            .Accepts<EnterpriseProfile>("application/json").ProducesValidationProblem().ProducesProblem(403);

        enterprises.MapPut("/{creditCode}", (string county, string creditCode, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
            PutAsync(county, creditCode, request, user, grains))
            .WithSummary("Replaces one enterprise.")
            .Accepts<EnterpriseProfile>("application/json").ProducesValidationProblem().ProducesProblem(403);

        enterprises.MapGet("/{creditCode}", async (string county, string creditCode, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            if (!user.CanRead(county)) return user.Forbidden($"read county {county}");
            var entry = await grains.GetGrain<IEnterpriseGrain>(Places.TenantKey(county, creditCode)).GetAsync();
            return entry is null ? Answers.NotFound($"Enterprise {creditCode} in county {county}") : Results.Ok(View(entry));
        }).WithSummary("One enterprise, with its version.").ProducesProblem(403).ProducesProblem(404);

        enterprises.MapDelete("/{creditCode}", async (string county, string creditCode, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            if (!user.CanWrite(county)) return user.Forbidden($"change county {county}");
            var result = await grains.GetGrain<IEnterpriseGrain>(Places.TenantKey(county, creditCode)).DeleteAsync(user.Actor());
            return Answers.From(result, $"Enterprise {creditCode} in county {county}");
        }).WithSummary("Removes one enterprise from the register.").ProducesProblem(403).ProducesProblem(404);

        return api;
    }

    private static async Task<IResult> PutAsync(string county, string? creditCode, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!user.CanWrite(county)) return user.Forbidden($"change county {county}");
        var (profile, problem) = await Json.ReadAsync<EnterpriseProfile>(request);
        if (problem is not null) return problem;
        // PUT names the enterprise in its address; the body may leave it out.
        if (creditCode is not null && string.IsNullOrEmpty(profile!.CreditCode)) profile = profile with { CreditCode = creditCode };
        creditCode ??= profile!.CreditCode;
        if (string.IsNullOrEmpty(creditCode)) return Json.Invalid("creditCode", "is required");
        if (profile!.Organisation is null) return Json.Invalid("organisation", "is required");
        var result = await grains.GetGrain<IEnterpriseGrain>(Places.TenantKey(county, creditCode)).PutAsync(profile, user.Actor());
        return Answers.From(result, $"/api/counties/{county}/enterprises/{creditCode}", new { creditCode, version = result.Version });
    }

    /// <summary>The enterprise as it was posted, plus its version and when it last changed.</summary>
    private static JsonObject View(Versioned<EnterpriseProfile> entry)
    {
        var json = JsonSerializer.SerializeToNode(entry.Value, Json.Options)!.AsObject();
        json["version"] = entry.Version;
        json["updatedAt"] = entry.UpdatedAt;
        return json;
    }
}
