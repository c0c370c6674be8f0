using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Beacon.Grains.Demo;

public static class DemoExtensions
{
    /// <summary>Loads the demo counties at start-up when <c>Beacon:Demo</c> is on, then logs "Beacon silo ready".</summary>
    public static IServiceCollection AddBeaconDemo(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHostedService(sp => new DemoLoader(
            sp.GetRequiredService<IGrainFactory>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DemoLoader>>(), Hosting.BeaconOptions.From(configuration)));
        return services;
    }
}

/// <summary>
/// Writes the demo counties through the grains, like any client would, into counties that do not exist yet;
/// an existing county is never touched. Runs after the silo has started.
/// </summary>
public sealed class DemoLoader(IGrainFactory grains, TimeProvider time, ILogger<DemoLoader> logger, Hosting.BeaconOptions options) : IHostedService
{
    private static readonly Actor Actor = Beacon.Actor.System("demo");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Demo)
        {
            var started = time.GetTimestamp();
            var loaded = 0;
            var only = options.DemoCounties?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
            var counties = DemoCounties.All.Where(c => only.Length == 0 || only.Contains(c.Code)).ToArray();
            foreach (var county in counties)
            {
                if (await grains.GetGrain<ICountyGrain>(county.Code).GetProfileAsync() is not null) continue;
                await LoadAsync(new DemoRegister(county, time.GetUtcNow()), cancellationToken);
                loaded++;
            }
            logger.LogInformation("Beacon: demo data: {Loaded} of {All} demo counties loaded in {Seconds:F1} s; the rest existed already",
                loaded, counties.Length, time.GetElapsedTime(started).TotalSeconds);
        }
        logger.LogInformation("Beacon silo ready");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task LoadAsync(DemoRegister demo, CancellationToken cancellationToken)
    {
        var code = demo.Profile.Code;
        await grains.GetGrain<ICountyGrain>(code).ConfigureAsync(demo.Profile);
        string Key(string id) => Places.TenantKey(code, id);
        // Stations before their sub-stations: a sub-station's parent is in the register before it.
        foreach (var level in demo.Stations.GroupBy(s => s.ParentStationId is null).OrderByDescending(g => g.Key))
            await Each(level, s => grains.GetGrain<IStationGrain>(Key(s.StationId)).PutAsync(s, Actor), cancellationToken);
        await Each(demo.Groups, g => grains.GetGrain<IInstructorGroupGrain>(Key(g.GroupId)).PutAsync(g, Actor), cancellationToken);
        // A level of the tree at a time: an organisation's parent is in the register before it.
        foreach (var level in Levels(demo.Organisations))
            await Each(level, o => grains.GetGrain<IOrganisationGrain>(Key(o.OrganisationId)).PutAsync(o, Actor), cancellationToken);
        await Each(DemoMeetings.For(demo, Rules.Validation.Today(time.GetUtcNow())),
            x => grains.GetGrain<IOrganisationGrain>(Key(x.OrganisationId)).RecordMeetingsAsync(x.Meetings, Actor), cancellationToken);
        await Each(demo.Instructors, async i =>
        {
            var instructor = grains.GetGrain<IInstructorGrain>(Key(i.InstructorId));
            var result = await instructor.PutAsync(i, Actor);
            // The rating the county counts is the last annual assessment's: record it as such.
            return result.Succeeded && i.Rating is { } rating
                ? await instructor.AssessAsync(new Assessment(AssessmentKind.Annual, $"{time.GetUtcNow().Year - 1}", RatingScore(rating), rating), Actor)
                : result;
        }, cancellationToken);
        await Each(demo.Enterprises, e => grains.GetGrain<IEnterpriseGrain>(Key(e.CreditCode)).PutAsync(e, Actor), cancellationToken);
        await Each(demo.Applicants, a => grains.GetGrain<IApplicantGrain>(Key(a.ApplicantId)).PutAsync(a, Actor), cancellationToken);
        await Each(demo.Trainings, x => grains.GetGrain<ITrainingGrain>(Key(x.TrainingId)).PutAsync(x, Actor), cancellationToken);
        await Each(demo.Honours, x => grains.GetGrain<IHonourGrain>(Key(x.HonourId)).PutAsync(x, Actor), cancellationToken);
        await Each(demo.ContactPoints, x => grains.GetGrain<IContactPointGrain>(Key(x.ContactPointId)).PutAsync(x, Actor), cancellationToken);
        await Each(demo.Circles, x => grains.GetGrain<ICircleGrain>(Key(x.CircleId)).PutAsync(x, Actor), cancellationToken);
        await Each(demo.StationMeetings, m => grains.GetGrain<IStationGrain>(Key(m.StationId)).RecordMeetingAsync(m.Meeting, Actor), cancellationToken);
        await Each(demo.StationReports, r => grains.GetGrain<IStationGrain>(Key(r.StationId)).SubmitMonthlyReportAsync(r.Report, Actor), cancellationToken);
        await Each(demo.Evaluations, e => grains.GetGrain<IOrganisationGrain>(Key(e.OrganisationId)).EvaluateAsync(e.Evaluation, Actor), cancellationToken);
        var county = grains.GetGrain<ICountyGrain>(code);
        await Each(demo.Issues, async issue =>
        {
            var (id, result) = await county.RaiseIssueAsync(issue.CreditCode, issue.Category, issue.Text, Actor, issue.RaisedAt);
            if (!result.Succeeded) return result;
            var grain = grains.GetGrain<IIssueGrain>(Key(id!));
            if (issue.StationId is { } station) result = await grain.AssignAsync(station, Actor, issue.RaisedAt.AddHours(2));
            if (issue.Escalated) result = await grain.EscalateAsync("指导站无法协调解决，报县委非公工委", Actor);
            if (issue.ResolvedAt is { } at) result = await grain.ResolveAsync("已协调解决", Actor, at);
            return result;
        }, cancellationToken);
        // Its past: the month-ends before today, as its snapshots.
        await Task.WhenAll(DemoHistory.For(demo, time.GetUtcNow()).Select(s => grains.GetGrain<ICountyMonthGrain>(Snapshots.MonthKey(code, s.Day)).KeepAsync(s)));
    }

    private static IEnumerable<IGrouping<int, OrganisationProfile>> Levels(List<OrganisationProfile> organisations)
    {
        var byId = organisations.ToDictionary(o => o.OrganisationId);
        int Depth(OrganisationProfile o) => o.ParentId is { } p && byId.TryGetValue(p, out var parent) ? Depth(parent) + 1 : 0;
        return organisations.GroupBy(Depth).OrderBy(g => g.Key);
    }

    private static int RatingScore(AssessmentRating rating) => rating switch
    {
        AssessmentRating.Excellent => 92,
        AssessmentRating.Competent => 81,
        AssessmentRating.BasicallyCompetent => 68,
        _ => 52,
    };

    /// <summary>A few writes at a time: enough to keep the silo busy without flooding one county grain's queue.</summary>
    private static async Task Each<T>(IEnumerable<T> items, Func<T, Task<ChangeResult>> write, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (item, _) =>
        {
            var result = await write(item);
            if (!result.Succeeded)
                throw new InvalidOperationException($"Demo data refused: {item}: {string.Join("; ", result.Errors?.Select(e => $"{e.Key} {string.Join(", ", e.Value.Select(w => w.En))}") ?? [])}");
        });
    }
}
