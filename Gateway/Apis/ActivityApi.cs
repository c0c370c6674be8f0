using System.Security.Claims;
using Beacon.Gateway.Security;

namespace Beacon.Gateway.Apis;

/// <summary>What stations and instructors record besides their profiles: meetings, monthly reports, visits, assessments.</summary>
public static class ActivityApi
{
    public static RouteGroupBuilder MapActivityApi(this RouteGroupBuilder api)
    {
        var stations = api.MapGroup("/counties/{county}/stations/{id}").WithTags("Stations");
        Record<StationMeeting, IStationGrain>(stations, "Station", "meetings", "Records a meeting held at the station.", (g, b, a) => g.RecordMeetingAsync(b, a));
        Record<MonthlyReport, IStationGrain>(stations, "Station", "reports", "Submits the station's monthly report (a second one for the month replaces it).", (g, b, a) => g.SubmitMonthlyReportAsync(b, a));
        stations.MapGet("/activity", (string county, string id, ClaimsPrincipal user, IGrainFactory grains) =>
            ReadAsync(county, user, () => grains.GetGrain<IStationGrain>(Places.TenantKey(county, id)).GetActivityAsync(), $"Station {id}"))
            .WithSummary("The station's meetings and monthly reports.").Produces<StationActivity>().ProducesReadErrors();

        var instructors = api.MapGroup("/counties/{county}/instructors/{id}").WithTags("Instructors");
        Record<Visit, IInstructorGrain>(instructors, "Instructor", "visits", "Records the instructor's visit to an enterprise.", (g, b, a) => g.RecordVisitAsync(b, a));
        Record<Assessment, IInstructorGrain>(instructors, "Instructor", "assessments", "Records an assessment; an annual one sets the instructor's rating.", (g, b, a) => g.AssessAsync(b, a));
        instructors.MapGet("/activity", (string county, string id, ClaimsPrincipal user, IGrainFactory grains) =>
            ReadAsync(county, user, () => grains.GetGrain<IInstructorGrain>(Places.TenantKey(county, id)).GetActivityAsync(), $"Instructor {id}"))
            .WithSummary("The instructor's visits and assessments.").Produces<InstructorActivity>().ProducesReadErrors();
        return api;
    }

    private static async Task<IResult> ReadAsync<T>(string county, ClaimsPrincipal user, Func<Task<T?>> read, string what) where T : class
    {
        var actor = user.Actor();
        if (!actor.MayRead(county)) return Answers.Forbidden(actor, $"read county {county}");
        return await read() is { } value ? Results.Ok(value) : Answers.NotFound($"{what} in county {county}");
    }

    private static void Record<TBody, TGrain>(RouteGroupBuilder group, string owner, string what, string summary, Func<TGrain, TBody, Actor, Task<ChangeResult>> record)
        where TBody : class where TGrain : IGrainWithStringKey =>
        group.MapPost($"/{what}", async (string county, string id, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var actor = user.Actor();
            if (!actor.MayWrite(county)) return Answers.Forbidden(actor, $"change county {county}");
            var (body, problem) = await Json.ReadAsync<TBody>(request);
            if (problem is not null) return problem;
            var result = await record(grains.GetGrain<TGrain>(Places.TenantKey(county, id)), body!, actor);
            return Answers.From(result, $"{owner} {id} in county {county}", new { count = result.Version });
        }).WithSummary(summary).Accepts<TBody>("application/json").Produces(StatusCodes.Status201Created).Produces(StatusCodes.Status200OK).ProducesWriteErrors();
}
