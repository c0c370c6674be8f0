using System.Security.Claims;
using Beacon.Gateway.Cluster;
using Beacon.Gateway.Security;

namespace Beacon.Gateway.Apis;

/// <summary>What stations, instructors and organisations record besides their profiles: meetings, monthly reports, visits, assessments.</summary>
public static class ActivityApi
{
    public static RouteGroupBuilder MapActivityApi(this RouteGroupBuilder api)
    {
        var stations = api.MapGroup("/counties/{county}/stations/{id}").WithTags("Stations").RequireAuthorization(Policies.County).RequireCounty();
        Record<StationMeeting, IStationGrain>(stations, EntityKind.Station, "meetings", "Records a meeting held at the station.", (g, b, a) => g.RecordMeetingAsync(b, a));
        Record<MonthlyReport, IStationGrain>(stations, EntityKind.Station, "reports", "Submits the station's monthly report; a second one for the month is its revision (200), the version it replaces kept in the activity's revisions. Issues named must be in the county's register.", (g, b, a) => g.SubmitMonthlyReportAsync(b, a));
        stations.MapGet("/activity", (string county, string id, IGrainFactory grains) =>
            ReadAsync(() => grains.GetGrain<IStationGrain>(Places.TenantKey(county, id)).GetActivityAsync(), Called(Registers.Stations, county, id)))
            .WithSummary("The station's meetings, its monthly reports (each month's latest revision) and the earlier revisions.").Produces<StationActivity>().ProducesReadErrors();

        var instructors = api.MapGroup("/counties/{county}/instructors/{id}").WithTags("Instructors").RequireAuthorization(Policies.County).RequireCounty();
        Record<Visit, IInstructorGrain>(instructors, EntityKind.Instructor, "visits", "Records the instructor's visit to an enterprise.", (g, b, a) => g.RecordVisitAsync(b, a));
        Record<Assessment, IInstructorGrain>(instructors, EntityKind.Instructor, "assessments", "Records an assessment; an annual one sets the instructor's rating.", (g, b, a) => g.AssessAsync(b, a));
        instructors.MapGet("/activity", (string county, string id, IGrainFactory grains) =>
            ReadAsync(() => grains.GetGrain<IInstructorGrain>(Places.TenantKey(county, id)).GetActivityAsync(), Called(Registers.Instructors, county, id)))
            .WithSummary("The instructor's visits and assessments.").Produces<InstructorActivity>().ProducesReadErrors();

        var organisations = api.MapGroup("/counties/{county}/organisations/{id}").WithTags("Organisations").RequireAuthorization(Policies.County).RequireCounty();
        Record<OrganisationMeeting, IOrganisationGrain>(organisations, EntityKind.Organisation, "meetings",
            "Records a meeting of the organisation's organisational life (三会一课, 主题党日, 组织生活会).", (g, b, a) => g.RecordMeetingAsync(b, a));
        Record<OrganisationEvaluation, IOrganisationGrain>(organisations, EntityKind.Organisation, "evaluations",
            "The county committee's annual evaluation of the organisation (good, fairlyGood, average, poor); a second for the same year is its revision (200).",
            (g, b, a) => g.EvaluateAsync(b, a));
        organisations.MapGet("/activity", (string county, string id, IGrainFactory grains) =>
            ReadAsync(() => grains.GetGrain<IOrganisationGrain>(Places.TenantKey(county, id)).GetActivityAsync(), Called(Registers.Organisations, county, id)))
            .WithSummary("The organisation's meetings, newest first, its evaluations by year and their earlier revisions.").Produces<OrganisationActivity>().ProducesReadErrors();
        return api;
    }

    private static async Task<IResult> ReadAsync<T>(Func<Task<T?>> read, Said what) where T : class =>
        await read() is { } value ? TypedResults.Ok(value) : Answers.NotFound(what);

    private static Said Called(Register register, string county, string id) =>
        new($"县 {county} 的{register.Noun.Zh} {id}", $"{register.Noun.En} {id} in county {county}");

    private static void Record<TBody, TGrain>(RouteGroupBuilder group, EntityKind owner, string what, string summary, Func<TGrain, TBody, Actor, Task<ChangeResult>> record)
        where TBody : class where TGrain : IGrainWithStringKey =>
        group.MapPost($"/{what}", async (string county, string id, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, Rechecks rechecks) =>
        {
            var (body, problem) = await Json.ReadAsync<TBody>(request);
            if (problem is not null) return problem;
            // An annual assessment changes the instructor's rating, which the county counts.
            var result = await rechecks.GuardAsync(county, owner, id, () => record(grains.GetGrain<TGrain>(Places.TenantKey(county, id)), body!, user.Actor()));
            // The record joins the owner's activity, which is where a client finds it.
            return Answers.From(result, $"{RegisterApi.Location(Registers.Of(owner), county, id)}/activity",
                Called(Registers.Of(owner), county, id), new { count = result.Version });
        }).WithSummary(summary).Accepts<TBody>("application/json").Produces(StatusCodes.Status201Created).Produces(StatusCodes.Status200OK).ProducesWriteErrors();
}
