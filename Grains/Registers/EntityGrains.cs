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
    protected override Validation Validate(EnterpriseProfile p) => RegisterRules.Enterprise(p);
    protected override EntityReferences ReferencesOf(EnterpriseProfile p) => new(p.StationId, p.GroupId, p.InstructorId);

    protected override Contribution ContributionOf(EnterpriseProfile? p, long version) => p is null
        ? new EnterpriseContribution(Id, version, true, false, EnterpriseKind.Enterprise, FormationMode.None, null, 0, 0, null, null, null, null, false, false)
        : new EnterpriseContribution(Id, version, false, p.InBase, p.Kind, p.Organisation.Mode, p.Organisation.OrganisationId,
            p.PartyMembers, p.Employees, p.StationId, p.GroupId, p.InstructorId, p.Township,
            p.Archive?.Basic ?? false, p.Archive?.Featured ?? false);
}

public sealed class StationGrain(
    [PersistentState("station", BeaconStorage.Name)] IPersistentState<RegisterEntry<StationProfile>> entry, TimeProvider time)
    : RegisterGrain<StationProfile>(entry, time), IStationGrain
{
    protected override EntityKind Kind => EntityKind.Station;
    protected override string IdField => "stationId";
    protected override string IdOf(StationProfile p) => p.StationId;
    protected override Validation Validate(StationProfile p) => RegisterRules.Station(p);
    protected override EntityReferences ReferencesOf(StationProfile p) => new();

    protected override Contribution ContributionOf(StationProfile? p, long version) =>
        new StationContribution(Id, version, p is null, p?.Name ?? "", p?.Townships ?? []);
}

public sealed class InstructorGroupGrain(
    [PersistentState("group", BeaconStorage.Name)] IPersistentState<RegisterEntry<InstructorGroupProfile>> entry, TimeProvider time)
    : RegisterGrain<InstructorGroupProfile>(entry, time), IInstructorGroupGrain
{
    protected override EntityKind Kind => EntityKind.Group;
    protected override string IdField => "groupId";
    protected override string IdOf(InstructorGroupProfile p) => p.GroupId;
    protected override Validation Validate(InstructorGroupProfile p) => RegisterRules.Group(p);
    protected override EntityReferences ReferencesOf(InstructorGroupProfile p) => new(StationId: p.StationId);

    protected override Contribution ContributionOf(InstructorGroupProfile? p, long version) =>
        new GroupContribution(Id, version, p is null, p?.StationId ?? "");
}

public sealed class InstructorGrain(
    [PersistentState("instructor", BeaconStorage.Name)] IPersistentState<RegisterEntry<InstructorProfile>> entry, TimeProvider time)
    : RegisterGrain<InstructorProfile>(entry, time), IInstructorGrain
{
    protected override EntityKind Kind => EntityKind.Instructor;
    protected override string IdField => "instructorId";
    protected override string IdOf(InstructorProfile p) => p.InstructorId;
    protected override Validation Validate(InstructorProfile p) => RegisterRules.Instructor(p);
    protected override EntityReferences ReferencesOf(InstructorProfile p) => new(p.StationId, p.GroupId);

    protected override Contribution ContributionOf(InstructorProfile? p, long version) =>
        new InstructorContribution(Id, version, p is null, p?.FullTime ?? false, p?.StationId, p?.GroupId, p?.Rating);
}
