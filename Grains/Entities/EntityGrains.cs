using Beacon.Rules;

namespace Beacon.Grains.Entities;

// Each class has its own state name: Orleans' ADO.NET storage keys a record by state name and grain key only,
// so a shared name would let a group and a station with the same id overwrite each other. Everything else about a
// register is its descriptor's (Registers.*).

public sealed class EnterpriseGrain(
    [PersistentState("enterprise", BeaconStorage.Name)] IPersistentState<RegisterEntry<EnterpriseProfile>> entry, TimeProvider time)
    : RegisterGrain<EnterpriseProfile>(entry, time, Registers.Enterprises), IEnterpriseGrain;

public sealed class InstructorGroupGrain(
    [PersistentState("group", BeaconStorage.Name)] IPersistentState<RegisterEntry<InstructorGroupProfile>> entry, TimeProvider time)
    : RegisterGrain<InstructorGroupProfile>(entry, time, Registers.Groups), IInstructorGroupGrain;

public sealed class ApplicantGrain(
    [PersistentState("applicant", BeaconStorage.Name)] IPersistentState<RegisterEntry<ApplicantProfile>> entry, TimeProvider time)
    : RegisterGrain<ApplicantProfile>(entry, time, Registers.Applicants), IApplicantGrain;

public sealed class OrganisationGrain(
    [PersistentState("organisation", BeaconStorage.Name)] IPersistentState<RegisterEntry<OrganisationProfile>> entry,
    [PersistentState("organisation-activity", BeaconStorage.Name)] IPersistentState<OrganisationGrain.Activity> activity,
    TimeProvider time)
    : RegisterGrain<OrganisationProfile>(entry, time, Registers.Organisations), IOrganisationGrain
{
    /// <summary>
    /// Its meetings, kept apart from the profile since they grow with every month; what the county's figure needs of
    /// them (the kinds held per month) travels in the contribution, so the county never reads them.
    /// </summary>
    [GenerateSerializer]
    public sealed class Activity
    {
        [Id(0)] public List<OrganisationMeeting> Meetings { get; set; } = [];
    }

    public Task<ChangeResult> RecordMeetingAsync(OrganisationMeeting meeting, Actor actor) => RecordMeetingsAsync([meeting], actor);

    public async Task<ChangeResult> RecordMeetingsAsync(OrganisationMeeting[] meetings, Actor actor)
    {
        if (Entry.Value is not { } profile) return ChangeResult.NotFound;
        if (!actor.MayRecordFor(County, profile.StationId))
            return ChangeResult.Forbidden(new($"{actor} 无权记录党组织 {Id} 的组织生活", $"{actor} may not record meetings of organisation {Id}"));
        foreach (var meeting in meetings)
        {
            var v = ActivityRules.OrganisationMeeting(meeting, Today, profile.EstablishedOn);
            if (!v.IsValid) return ChangeResult.Invalid(v.Errors);
        }
        if (meetings.Length == 0) return new ChangeResult(ChangeOutcome.Unchanged, activity.State.Meetings.Count);
        activity.State.Meetings.AddRange(meetings);
        await activity.WriteStateAsync();
        // Written first, then reported: a report lost here is asked for again (the gateway's recheck, the reconcile).
        await ReportContributionAsync();
        return new ChangeResult(ChangeOutcome.Created, activity.State.Meetings.Count);
    }

    public Task<OrganisationActivity?> GetActivityAsync() => Task.FromResult(Entry.Value is null ? null
        : new OrganisationActivity([.. Enumerable.Reverse(activity.State.Meetings).OrderByDescending(m => m.Date)]));

    // Meetings are only ever added, so entry version + meetings grows with every change of either.
    protected override long ContributionVersion(long entryVersion) => entryVersion + activity.State.Meetings.Count;

    protected override Contribution Contribute(OrganisationProfile? profile, long entryVersion)
    {
        var contribution = (OrganisationContribution)base.Contribute(profile, entryVersion);
        if (profile is null) return contribution;
        // An entry being created (or created again) is created today; its CreatedAt is written with it.
        var created = Entry.Value is null ? Today : Entry.CreatedAt is { } at ? Validation.Today(at) : (DateOnly?)null;
        return contribution with
        {
            ExistsSince = profile.EstablishedOn ?? created,
            Held = OrganisationalLife.Kept(OrganisationalLife.Held(activity.State.Meetings)),
        };
    }
}

public sealed class StationGrain(
    [PersistentState("station", BeaconStorage.Name)] IPersistentState<RegisterEntry<StationProfile>> entry,
    [PersistentState("station-activity", BeaconStorage.Name)] IPersistentState<StationGrain.Activity> activity,
    TimeProvider time)
    : RegisterGrain<StationProfile>(entry, time, Registers.Stations), IStationGrain
{
    /// <summary>Meetings and monthly reports: kept apart from the profile, since they grow and the figures do not read them.</summary>
    [GenerateSerializer]
    public sealed class Activity
    {
        [Id(0)] public List<StationMeeting> Meetings { get; set; } = [];
        [Id(1)] public List<MonthlyReport> Reports { get; set; } = [];
    }

    public async Task<ChangeResult> RecordMeetingAsync(StationMeeting meeting, Actor actor)
    {
        if (Entry.Value is null) return ChangeResult.NotFound;
        if (!actor.MayRecordFor(County, Id)) return ChangeResult.Forbidden(new($"{actor} 无权记录指导站 {Id} 的会议", $"{actor} may not record meetings of station {Id}"));
        var v = ActivityRules.Meeting(meeting, Today);
        if (!v.IsValid) return ChangeResult.Invalid(v.Errors);
        activity.State.Meetings.Add(meeting);
        await activity.WriteStateAsync();
        return new ChangeResult(ChangeOutcome.Created, activity.State.Meetings.Count);
    }

    public async Task<ChangeResult> SubmitMonthlyReportAsync(MonthlyReport report, Actor actor)
    {
        if (Entry.Value is null) return ChangeResult.NotFound;
        if (!actor.MayRecordFor(County, Id)) return ChangeResult.Forbidden(new($"{actor} 无权为指导站 {Id} 报送月报", $"{actor} may not report for station {Id}"));
        var v = ActivityRules.Report(report, Today);
        if (!v.IsValid) return ChangeResult.Invalid(v.Errors);
        // One report a month: a second one for the same month replaces the first.
        var replaced = activity.State.Reports.RemoveAll(r => r.Month == report.Month) > 0;
        activity.State.Reports.Add(report);
        activity.State.Reports.Sort((a, b) => string.CompareOrdinal(a.Month, b.Month));
        await activity.WriteStateAsync();
        return new ChangeResult(replaced ? ChangeOutcome.Updated : ChangeOutcome.Created, activity.State.Reports.Count);
    }

    public Task<StationActivity?> GetActivityAsync() => Task.FromResult(Entry.Value is null ? null
        : new StationActivity([.. activity.State.Meetings], [.. activity.State.Reports]));
}

public sealed class InstructorGrain(
    [PersistentState("instructor", BeaconStorage.Name)] IPersistentState<RegisterEntry<InstructorProfile>> entry,
    [PersistentState("instructor-activity", BeaconStorage.Name)] IPersistentState<InstructorGrain.Activity> activity,
    TimeProvider time)
    : RegisterGrain<InstructorProfile>(entry, time, Registers.Instructors), IInstructorGrain
{
    [GenerateSerializer]
    public sealed class Activity
    {
        [Id(0)] public List<Visit> Visits { get; set; } = [];
        [Id(1)] public List<Assessment> Assessments { get; set; } = [];
    }

    public async Task<ChangeResult> RecordVisitAsync(Visit visit, Actor actor)
    {
        if (Entry.Value is not { } profile) return ChangeResult.NotFound;
        if (!actor.MayRecordFor(County, profile.StationId))
            return ChangeResult.Forbidden(new($"{actor} 无权记录指导员 {Id} 的走访", $"{actor} may not record visits of instructor {Id}"));
        var v = ActivityRules.Visit(visit, Today);
        if (!v.IsValid) return ChangeResult.Invalid(v.Errors);
        if (!await CountyGrain.ExistsAsync(EntityKind.Enterprise, visit.CreditCode))
            return ChangeResult.Invalid("creditCode", $"企业 {visit.CreditCode} 不在县 {County} 的名录中", $"enterprise {visit.CreditCode} is not in the register of county {County}");
        activity.State.Visits.Add(visit);
        await activity.WriteStateAsync();
        return new ChangeResult(ChangeOutcome.Created, activity.State.Visits.Count);
    }

    public async Task<ChangeResult> AssessAsync(Assessment assessment, Actor actor)
    {
        if (Entry.Value is not { } profile) return ChangeResult.NotFound;
        if (!actor.MayAdminister(County))
            return ChangeResult.Forbidden(new($"{actor} 无权考核县 {County} 的指导员", $"{actor} may not assess instructors of county {County}"));
        var v = ActivityRules.Assessment(assessment);
        if (!v.IsValid) return ChangeResult.Invalid(v.Errors);
        activity.State.Assessments.Add(assessment);
        await activity.WriteStateAsync();
        // The annual assessment decides the grade the county counts; the others are kept as its evidence.
        if (assessment.Kind == AssessmentKind.Annual && profile.Rating != assessment.Rating)
        {
            var rated = await PutAsync(profile with { Rating = assessment.Rating }, actor);
            if (!rated.Succeeded) return rated;
        }
        return new ChangeResult(ChangeOutcome.Created, activity.State.Assessments.Count);
    }

    public Task<InstructorActivity?> GetActivityAsync() => Task.FromResult(Entry.Value is null ? null
        : new InstructorActivity([.. activity.State.Visits], [.. activity.State.Assessments]));
}
