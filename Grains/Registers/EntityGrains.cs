using Beacon.Grains.Rules;

namespace Beacon.Grains.Registers;

// Each class has its own state name: Orleans' ADO.NET storage keys a record by state name and grain key only,
// so a shared name would let a group and a station with the same id overwrite each other.

public sealed class EnterpriseGrain(
    [PersistentState("enterprise", BeaconStorage.Name)] IPersistentState<RegisterEntry<EnterpriseProfile>> entry, TimeProvider time)
    : RegisterGrain<EnterpriseProfile>(entry, time), IEnterpriseGrain
{
    protected override EntityKind Kind => EntityKind.Enterprise;
    protected override string IdField => "creditCode";
    protected override string IdOf(EnterpriseProfile p) => p.CreditCode;
    protected override string? StationOf(EnterpriseProfile p) => p.StationId;
    protected override Validation Validate(EnterpriseProfile p) => RegisterRules.Enterprise(p);
    protected override EntityReferences ReferencesOf(EnterpriseProfile p) => new(p.StationId, p.GroupId, p.InstructorId);

    protected override Contribution ContributionOf(EnterpriseProfile? p, long version) => p is null
        ? new EnterpriseContribution(Id, version, true, false, EnterpriseKind.Enterprise, FormationMode.None, null, 0, 0, null, null, null, null, false, false)
        : new EnterpriseContribution(Id, version, false, p.InBase, p.Kind, p.Organisation.Mode, p.Organisation.OrganisationId,
            p.PartyMembers, p.Employees, p.StationId, p.GroupId, p.InstructorId, p.Township,
            p.Archive?.Basic ?? false, p.Archive?.Featured ?? false, p.Name, p.Kind);

    protected override EnterpriseProfile Reusing(EnterpriseProfile next, EnterpriseProfile previous) => next with
    {
        CreditCode = previous.CreditCode,
        Name = Reuse(next.Name, previous.Name),
        Industry = Reuse(next.Industry, previous.Industry),
        ExclusionReason = Reuse(next.ExclusionReason, previous.ExclusionReason),
        Organisation = Reuse(next.Organisation, previous.Organisation),
        StationId = Reuse(next.StationId, previous.StationId),
        GroupId = Reuse(next.GroupId, previous.GroupId),
        InstructorId = Reuse(next.InstructorId, previous.InstructorId),
        Location = Reuse(next.Location, previous.Location),
        Township = Reuse(next.Township, previous.Township),
        Archive = Reuse(next.Archive, previous.Archive),
    };
}

public sealed class StationGrain(
    [PersistentState("station", BeaconStorage.Name)] IPersistentState<RegisterEntry<StationProfile>> entry,
    [PersistentState("station-activity", BeaconStorage.Name)] IPersistentState<StationGrain.Activity> activity,
    TimeProvider time)
    : RegisterGrain<StationProfile>(entry, time), IStationGrain
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
        if (!actor.MayRecordFor(County, Id)) return ChangeResult.Forbidden($"{actor} may not record meetings of station {Id}");
        var v = RegisterRules.Meeting(meeting, DateOnly.FromDateTime(Time.GetUtcNow().UtcDateTime));
        if (!v.IsValid) return ChangeResult.Invalid(v.Errors);
        activity.State.Meetings.Add(meeting);
        await activity.WriteStateAsync();
        return new ChangeResult(ChangeOutcome.Created, activity.State.Meetings.Count);
    }

    public async Task<ChangeResult> SubmitMonthlyReportAsync(MonthlyReport report, Actor actor)
    {
        if (Entry.Value is null) return ChangeResult.NotFound;
        if (!actor.MayRecordFor(County, Id)) return ChangeResult.Forbidden($"{actor} may not report for station {Id}");
        var v = RegisterRules.Report(report, DateOnly.FromDateTime(Time.GetUtcNow().UtcDateTime));
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

    protected override EntityKind Kind => EntityKind.Station;
    protected override string IdField => "stationId";
    protected override string IdOf(StationProfile p) => p.StationId;
    protected override string? StationOf(StationProfile p) => p.StationId;
    protected override Validation Validate(StationProfile p) => RegisterRules.Station(p);
    protected override EntityReferences ReferencesOf(StationProfile p) => new();

    protected override Contribution ContributionOf(StationProfile? p, long version) =>
        new StationContribution(Id, version, p is null, p?.Name ?? "", p?.Townships ?? [], p?.Branch?.Members ?? 0);

    protected override StationProfile Reusing(StationProfile next, StationProfile previous) => next with
    {
        StationId = previous.StationId,
        Name = Reuse(next.Name, previous.Name),
        Townships = ReuseAll(next.Townships, previous.Townships),
        Chief = Reuse(next.Chief, previous.Chief),
        Deputy = Reuse(next.Deputy, previous.Deputy),
        Address = Reuse(next.Address, previous.Address),
        Branch = Reuse(next.Branch, previous.Branch),
    };
}

public sealed class InstructorGroupGrain(
    [PersistentState("group", BeaconStorage.Name)] IPersistentState<RegisterEntry<InstructorGroupProfile>> entry, TimeProvider time)
    : RegisterGrain<InstructorGroupProfile>(entry, time), IInstructorGroupGrain
{
    protected override EntityKind Kind => EntityKind.Group;
    protected override string IdField => "groupId";
    protected override string IdOf(InstructorGroupProfile p) => p.GroupId;
    protected override string? StationOf(InstructorGroupProfile p) => p.StationId;
    protected override Validation Validate(InstructorGroupProfile p) => RegisterRules.Group(p);
    protected override EntityReferences ReferencesOf(InstructorGroupProfile p) => new(StationId: p.StationId);

    protected override Contribution ContributionOf(InstructorGroupProfile? p, long version) =>
        new GroupContribution(Id, version, p is null, p?.StationId ?? "", p?.Name ?? "");

    protected override InstructorGroupProfile Reusing(InstructorGroupProfile next, InstructorGroupProfile previous) => next with
    {
        GroupId = previous.GroupId,
        Name = Reuse(next.Name, previous.Name),
        StationId = Reuse(next.StationId, previous.StationId),
    };
}

public sealed class InstructorGrain(
    [PersistentState("instructor", BeaconStorage.Name)] IPersistentState<RegisterEntry<InstructorProfile>> entry,
    [PersistentState("instructor-activity", BeaconStorage.Name)] IPersistentState<InstructorGrain.Activity> activity,
    TimeProvider time)
    : RegisterGrain<InstructorProfile>(entry, time), IInstructorGrain
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
        if (!actor.MayRecordFor(County, profile.StationId)) return ChangeResult.Forbidden($"{actor} may not record visits of instructor {Id}");
        var v = RegisterRules.Visit(visit, DateOnly.FromDateTime(Time.GetUtcNow().UtcDateTime));
        if (!v.IsValid) return ChangeResult.Invalid(v.Errors);
        if (!await CountyGrain.ExistsAsync(EntityKind.Enterprise, visit.CreditCode))
            return ChangeResult.Invalid("creditCode", $"enterprise {visit.CreditCode} is not in the register of county {County}");
        activity.State.Visits.Add(visit);
        await activity.WriteStateAsync();
        return new ChangeResult(ChangeOutcome.Created, activity.State.Visits.Count);
    }

    public async Task<ChangeResult> AssessAsync(Assessment assessment, Actor actor)
    {
        if (Entry.Value is not { } profile) return ChangeResult.NotFound;
        if (!actor.MayAdminister(County)) return ChangeResult.Forbidden($"{actor} may not assess instructors of county {County}");
        var v = RegisterRules.Assessment(assessment);
        if (!v.IsValid) return ChangeResult.Invalid(v.Errors);
        activity.State.Assessments.Add(assessment);
        await activity.WriteStateAsync();
        // The annual assessment decides the grade the county counts; the others are kept as its evidence.
        if (assessment.Kind == AssessmentKind.Annual && profile.Rating != assessment.Rating)
            return await PutAsync(profile with { Rating = assessment.Rating }, actor);
        return new ChangeResult(ChangeOutcome.Created, Entry.Version);
    }

    public Task<InstructorActivity?> GetActivityAsync() => Task.FromResult(Entry.Value is null ? null
        : new InstructorActivity([.. activity.State.Visits], [.. activity.State.Assessments]));

    protected override EntityKind Kind => EntityKind.Instructor;
    protected override string IdField => "instructorId";
    protected override string IdOf(InstructorProfile p) => p.InstructorId;
    protected override string? StationOf(InstructorProfile p) => p.StationId;
    protected override Validation Validate(InstructorProfile p) => RegisterRules.Instructor(p);
    protected override EntityReferences ReferencesOf(InstructorProfile p) => new(p.StationId, p.GroupId);

    protected override Contribution ContributionOf(InstructorProfile? p, long version) =>
        new InstructorContribution(Id, version, p is null, p?.FullTime ?? false, p?.StationId, p?.GroupId, p?.Rating, p?.Name ?? "");

    protected override InstructorProfile Reusing(InstructorProfile next, InstructorProfile previous) => next with
    {
        InstructorId = previous.InstructorId,
        Name = Reuse(next.Name, previous.Name),
        SourceUnit = Reuse(next.SourceUnit, previous.SourceUnit),
        StationId = Reuse(next.StationId, previous.StationId),
        GroupId = Reuse(next.GroupId, previous.GroupId),
    };
}
