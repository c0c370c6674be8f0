using System.Security.Claims;
using System.Text.Json.Serialization;
using Beacon.Gateway.Cluster;
using Beacon.Gateway.Security;

namespace Beacon.Gateway.Apis;

public sealed record RaiseIssue([property: JsonRequired] string CreditCode, [property: JsonRequired] IssueCategory Category, [property: JsonRequired] string Text);
public sealed record AssignIssue([property: JsonRequired] string StationId);
public sealed record EscalateIssue([property: JsonRequired] string Reason);
public sealed record ResolveIssue([property: JsonRequired] string Resolution);
public sealed record ReopenIssue([property: JsonRequired] string Reason);

/// <summary>Issues from raised to resolved: raise, assign to a station, escalate to the county committee, resolve, reopen.</summary>
public static class IssueApi
{
    private static Said Called(string county, string id) => new($"县 {county} 的问题 {id}", $"issue {id} in county {county}");

    public static RouteGroupBuilder MapIssueApi(this RouteGroupBuilder api)
    {
        var issues = api.MapGroup("/counties/{county}/issues").WithTags("Issues").RequireAuthorization(Policies.County).RequireCounty();

        issues.MapPost("/", async (string county, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var actor = user.Actor();
            var (raise, problem) = await Json.ReadAsync<RaiseIssue>(request);
            if (problem is not null) return problem;
            var countyGrain = grains.GetGrain<ICountyGrain>(county);
            if (await countyGrain.GetProfileAsync() is null) return Answers.NotFound(CountyApi.Called(county));
            var (id, result) = await countyGrain.RaiseIssueAsync(raise!.CreditCode, raise.Category, raise.Text, actor);
            return Answers.From(result, RegisterApi.Location(Registers.Issues, county, id ?? ""), Called(county, id ?? ""),
                result.Succeeded ? await grains.GetGrain<IIssueGrain>(Places.TenantKey(county, id!)).GetAsync() : null);
        }).WithSummary("Raises an issue at an enterprise; answers 201 with the issue and its id.")
          .Accepts<RaiseIssue>("application/json").Produces<IssueRecord>(201).ProducesWriteErrors();

        issues.MapGet("/", async (string county, HttpRequest request, IGrainFactory grains) =>
        {
            var (query, problem) = Listing.Read(request, Registers.Issues);
            if (problem is not null) return problem;
            var page = await grains.GetGrain<ICountyGrain>(county).QueryAsync(query!);
            var items = await Task.WhenAll(page.Ids.Select(id => grains.GetGrain<IIssueGrain>(Places.TenantKey(county, id)).GetAsync()));
            return TypedResults.Ok(Listing.Page(page, query!.Limit, items.OfType<IssueRecord>()));
        }).WithSummary("A page of the county's issues: filter by state, station or creditCode; sort by id (-id for newest first).")
          .Produces<ListPage<IssueRecord>>().ProducesReadErrors();

        issues.MapGet("/{id}", async (string county, string id, IGrainFactory grains) =>
        {
            return await grains.GetGrain<IIssueGrain>(Places.TenantKey(county, id)).GetAsync() is { } issue
                ? TypedResults.Ok(issue)
                : Answers.NotFound(Called(county, id));
        }).WithSummary("One issue with its history of steps.").Produces<IssueRecord>().ProducesReadErrors();

        issues.MapGet("/{id}/history", async (string county, string id, IGrainFactory grains) =>
        {
            return await grains.GetGrain<IIssueGrain>(Places.TenantKey(county, id)).GetAsync() is { } issue
                ? TypedResults.Ok(issue.History)
                : Answers.NotFound(Called(county, id));
        }).WithSummary("Every step of one issue: what, who, when.").Produces<IssueStep[]>().ProducesReadErrors();

        Step<AssignIssue>(issues, "assign", "Assigns the issue to a station.", (g, b, a) => g.AssignAsync(b.StationId, a));
        Step<EscalateIssue>(issues, "escalate", "Escalates an open issue to the county committee.", (g, b, a) => g.EscalateAsync(b.Reason, a));
        Step<ResolveIssue>(issues, "resolve", "Resolves the issue with a resolution text.", (g, b, a) => g.ResolveAsync(b.Resolution, a));
        Step<ReopenIssue>(issues, "reopen", "Reopens a resolved issue.", (g, b, a) => g.ReopenAsync(b.Reason, a));
        return api;
    }

    private static void Step<TBody>(RouteGroupBuilder issues, string action, string summary, Func<IIssueGrain, TBody, Actor, Task<ChangeResult>> step)
        where TBody : class =>
        issues.MapPost($"/{{id}}/{action}", async (string county, string id, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains,
            Rechecks rechecks) =>
        {
            var actor = user.Actor();
            var (body, problem) = await Json.ReadAsync<TBody>(request);
            if (problem is not null) return problem;
            var grain = grains.GetGrain<IIssueGrain>(Places.TenantKey(county, id));
            var result = await rechecks.GuardAsync(county, EntityKind.Issue, id, () => step(grain, body!, actor));
            return Answers.From(result, RegisterApi.Location(Registers.Issues, county, id), Called(county, id), result.Succeeded ? await grain.GetAsync() : null);
        }).WithSummary(summary).Accepts<TBody>("application/json").Produces<IssueRecord>().ProducesWriteErrors();
}
