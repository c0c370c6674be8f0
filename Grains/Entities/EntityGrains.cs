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

public sealed class TrainingGrain(
    [PersistentState("training", BeaconStorage.Name)] IPersistentState<RegisterEntry<TrainingProfile>> entry, TimeProvider time)
    : RegisterGrain<TrainingProfile>(entry, time, Registers.Trainings), ITrainingGrain;

public sealed class HonourGrain(
    [PersistentState("honour", BeaconStorage.Name)] IPersistentState<RegisterEntry<HonourProfile>> entry, TimeProvider time)
    : RegisterGrain<HonourProfile>(entry, time, Registers.Honours), IHonourGrain;

public sealed class ContactPointGrain(
    [PersistentState("contact-point", BeaconStorage.Name)] IPersistentState<RegisterEntry<ContactPointProfile>> entry, TimeProvider time)
    : RegisterGrain<ContactPointProfile>(entry, time, Registers.ContactPoints), IContactPointGrain;

public sealed class CircleGrain(
    [PersistentState("circle", BeaconStorage.Name)] IPersistentState<RegisterEntry<CircleProfile>> entry, TimeProvider time)
    : RegisterGrain<CircleProfile>(entry, time, Registers.Circles), ICircleGrain;

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
        /// <summary>One evaluation per year, the latest revision.</summary>
        [Id(1)] public List<OrganisationEvaluation> Evaluations { get; set; } = [];
        /// <summary>The versions later revisions replaced, oldest first.</summary>
        [Id(2)] public List<OrganisationEvaluation> Revisions { get; set; } = [];
    }

    public async Task<ChangeResult> EvaluateAsync(OrganisationEvaluation evaluation, Actor actor)
    {
        if (Entry.Value is null) return ChangeResult.NotFound;
        // The committee evaluates the organisations it oversees; a station's staff would be rating their own work.
        if (!actor.MayAdminister(County))
            return ChangeResult.Forbidden(new($"{actor} 无权评定党组织 {Id}", $"{actor} may not evaluate organisation {Id}"));
        var v = ActivityRules.Evaluation(evaluation, Today);
        if (!v.IsValid) return ChangeResult.Invalid(v.Errors);
        var evaluations = activity.State.Evaluations;
        var at = evaluations.FindIndex(e => e.Year == evaluation.Year);
        var previous = at >= 0 ? evaluations[at] : null;
        var stored = evaluation with { Revision = (previous?.Revision ?? 0) + 1, EvaluatedAt = Time.GetUtcNow(), EvaluatedBy = actor.Label };
        if (previous is not null)
        {
            activity.State.Revisions.Add(previous);
            evaluations[at] = stored;
        }
        else evaluations.Add(stored);
        await activity.WriteStateAsync();
        await ReportContributionAsync();
        return new ChangeResult(previous is null ? ChangeOutcome.Created : ChangeOutcome.Updated, evaluations.Count);
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
        : new OrganisationActivity([.. Enumerable.Reverse(activity.State.Meetings).OrderByDescending(m => m.Date)],
            [.. activity.State.Evaluations.OrderByDescending(e => e.Year)], [.. Enumerable.Reverse(activity.State.Revisions)]));

    // Meetings, evaluations and revisions are only ever added, so entry version + all three grows with every change
    // of any (a revision may change the rating the county counts).
    protected override long ContributionVersion(long entryVersion) =>
        entryVersion + activity.State.Meetings.Count + activity.State.Evaluations.Count + activity.State.Revisions.Count;

    protected override Contribution Contribute(OrganisationProfile? profile, long entryVersion)
    {
        var contribution = (OrganisationContribution)base.Contribute(profile, entryVersion);
        if (profile is null) return contribution;
        // An entry being created (or created again) is created today; its CreatedAt is written with it.
        var created = Entry.Value is null ? Today : Entry.CreatedAt is { } at ? Validation.Today(at) : (DateOnly?)null;
        var latest = activity.State.Evaluations.Count == 0 ? null : activity.State.Evaluations.MaxBy(e => e.Year);
        return contribution with
        {
            ExistsSince = profile.EstablishedOn ?? created,
            Held = OrganisationalLife.Kept(OrganisationalLife.Held(activity.State.Meetings)),
            EvaluatedYear = latest?.Year,
            Evaluation = latest?.Rating,
        };
    }
}

public sealed class StationGrain(
    [PersistentState("station", BeaconStorage.Name)] IPersistentState<RegisterEntry<StationProfile>> entry,
    [PersistentState("station-activity", BeaconStorage.Name)] IPersistentState<StationGrain.Activity> activity,
    TimeProvider time)
    : RegisterGrain<StationProfile>(entry, time, Registers.Stations), IStationGrain
{
    /// <summary>
    /// Meetings and monthly reports, kept apart from the profile since they grow with every month; what the county's
    /// figures need of them (the months with a monthly meeting and with a report) travels in the contribution.
    /// </summary>
    [GenerateSerializer]
    public sealed class Activity
    {
        [Id(0)] public List<StationMeeting> Meetings { get; set; } = [];
        /// <summary>One report per month, the latest revision, by month.</summary>
        [Id(1)] public List<MonthlyReport> Reports { get; set; } = [];
        /// <summary>The versions later revisions replaced, oldest first: a report sent is never lost, only revised.</summary>
        [Id(2)] public List<MonthlyReport> Revisions { get; set; } = [];
    }

    public async Task<ChangeResult> RecordMeetingAsync(StationMeeting meeting, Actor actor)
    {
        if (Entry.Value is null) return ChangeResult.NotFound;
        if (!actor.MayRecordFor(County, Id)) return ChangeResult.Forbidden(new($"{actor} 无权记录指导站 {Id} 的会议", $"{actor} may not record meetings of station {Id}"));
        var v = ActivityRules.Meeting(meeting, Today);
        if (!v.IsValid) return ChangeResult.Invalid(v.Errors);
        activity.State.Meetings.Add(meeting);
        await activity.WriteStateAsync();
        // Written first, then reported: a report lost here is asked for again (the gateway's recheck, the reconcile).
        await ReportContributionAsync();
        return new ChangeResult(ChangeOutcome.Created, activity.State.Meetings.Count);
    }

    public async Task<ChangeResult> SubmitMonthlyReportAsync(MonthlyReport report, Actor actor)
    {
        if (Entry.Value is null) return ChangeResult.NotFound;
        if (!actor.MayRecordFor(County, Id)) return ChangeResult.Forbidden(new($"{actor} 无权为指导站 {Id} 报送月报", $"{actor} may not report for station {Id}"));
        var v = ActivityRules.Report(report, Today);
        if (!v.IsValid) return ChangeResult.Invalid(v.Errors);
        // The issues it asks the county to resolve are the county's: one it does not hold is a typing error the
        // committee could not act on.
        if (report.IssuesForCounty.Length > 0)
        {
            var known = (await CountyGrain.WhichExistAsync(EntityKind.Issue, report.IssuesForCounty)).ToHashSet(StringComparer.Ordinal);
            var unknown = new Validation();
            for (var i = 0; i < report.IssuesForCounty.Length; i++)
                if (!known.Contains(report.IssuesForCounty[i]))
                    unknown.Add($"issuesForCounty[{i}]", $"本县（{County}）的问题台账中没有问题“{report.IssuesForCounty[i]}”",
                        $"issue '{report.IssuesForCounty[i]}' is not in the issues register of county {County}");
            if (!unknown.IsValid) return ChangeResult.Invalid(unknown.Errors);
        }
        // One report a month: a second one for the month is its revision, and the version it replaces is kept.
        var reports = activity.State.Reports;
        var at = reports.FindIndex(r => r.Month == report.Month);
        var previous = at >= 0 ? reports[at] : null;
        // A report stored before revisions were numbered is the month's first.
        var stored = report with { Revision = previous is null ? 1 : Math.Max(previous.Revision, 1) + 1, SubmittedAt = Time.GetUtcNow(), SubmittedBy = actor.Label };
        if (previous is not null)
        {
            activity.State.Revisions.Add(previous);
            reports[at] = stored;
        }
        else
        {
            reports.Add(stored);
            reports.Sort((a, b) => string.CompareOrdinal(a.Month, b.Month));
        }
        await activity.WriteStateAsync();
        if (previous is null) await ReportContributionAsync();
        // As every activity answers, how many it holds: the months reported (a revision is 200, and adds none).
        return new ChangeResult(previous is null ? ChangeOutcome.Created : ChangeOutcome.Updated, reports.Count);
    }

    public Task<StationActivity?> GetActivityAsync() => Task.FromResult(Entry.Value is null ? null
        : new StationActivity([.. activity.State.Meetings], [.. activity.State.Reports], [.. Enumerable.Reverse(activity.State.Revisions)]));

    // Meetings and months reported are only ever added (a revision adds no month), so entry version + both grows
    // with every change the county must hear of.
    protected override long ContributionVersion(long entryVersion) => entryVersion + activity.State.Meetings.Count + activity.State.Reports.Count;

    protected override Contribution Contribute(StationProfile? profile, long entryVersion)
    {
        var contribution = (StationContribution)base.Contribute(profile, entryVersion);
        if (profile is null) return contribution;
        return contribution with
        {
            MeetingMonths = StationWork.MeetingMonths(activity.State.Meetings),
            ReportMonths = StationWork.ReportMonths(activity.State.Reports),
        };
    }
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
        // The latest year's annual assessment decides the grade the county counts; the others are kept as its
        // evidence. An earlier year's entered afterwards (taken over from paper) must not move the instructor back to
        // that year's grade: the county would count a grade the instructor no longer has. Periods are years (yyyy),
        // so they order as text; the same year again is its correction and does decide.
        if (assessment.Kind == AssessmentKind.Annual && profile.Rating != assessment.Rating &&
            activity.State.Assessments.All(a => a.Kind != AssessmentKind.Annual || string.CompareOrdinal(a.Period, assessment.Period) <= 0))
        {
            var rated = await PutAsync(profile with { Rating = assessment.Rating }, actor);
            if (!rated.Succeeded) return rated;
        }
        return new ChangeResult(ChangeOutcome.Created, activity.State.Assessments.Count);
    }

    public Task<InstructorActivity?> GetActivityAsync() => Task.FromResult(Entry.Value is null ? null
        : new InstructorActivity([.. activity.State.Visits], [.. activity.State.Assessments]));
}
