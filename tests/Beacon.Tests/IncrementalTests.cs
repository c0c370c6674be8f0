using Beacon.Tests.Infrastructure;
using static Beacon.Tests.Infrastructure.Ent;

namespace Beacon.Tests;

/// <summary>The county keeps its figures incrementally: a change moves them by exactly its difference, once.</summary>
[Collection(ClusterCollection.Name)]
public sealed class IncrementalTests(ClusterFixture fixture)
{
    private Task<Tenant> NewCountyAsync(string code) => Tenant.CreateAsync(fixture.Client, code);

    [Fact]
    public async Task Replacing_an_enterprise_moves_its_figures_instead_of_adding_them()
    {
        var t = await NewCountyAsync("110201");
        var code = t.CreditCode(1);
        await t.OkAsync(Of(t.CreditCode(2), employees: 10));
        var r = await t.PutAsync(Of(code, employees: 20, members: 3));
        Assert.Equal(ChangeOutcome.Created, r.Outcome);
        Assert.Equal(1, r.Version);
        var before = await t.SummaryAsync();
        Assert.Equal(0, before.OrgCovered);

        r = await t.PutAsync(Of(code, employees: 20, members: 3, mode: FormationMode.Standalone));
        Assert.Equal(ChangeOutcome.Updated, r.Outcome);
        Assert.Equal(2, r.Version);

        var s = await t.SummaryAsync();
        Assert.Equal(2, s.Registered);
        Assert.Equal(2, s.Base);
        Assert.Equal(1, s.OrgCovered);      // raised by one, not two
        Assert.Equal(0.5, s.OrgCoverage);
        Assert.Equal(1, s.Standalone);
        Assert.Equal(3, s.PartyMembers);    // members not counted twice
        Assert.Equal(30, s.Employees);
        Assert.True(s.Seq > before.Seq);

        // standalone -> joint: standalone down, joint up, coverage unchanged.
        await t.OrganisationAsync("J1");
        await t.OkAsync(Of(code, employees: 20, members: 3, mode: FormationMode.Joint, organisationId: "J1"));
        s = await t.SummaryAsync();
        Assert.Equal(1, s.OrgCovered);
        Assert.Equal(0, s.Standalone);
        Assert.Equal(1, s.Joint);

        // Taken out of the base: out of every figure but registered.
        await t.OkAsync(Of(code, employees: 20, members: 3, mode: FormationMode.Joint, organisationId: "J1", excludedBecause: "已注销"));
        s = await t.SummaryAsync();
        Assert.Equal(2, s.Registered);
        Assert.Equal(1, s.Base);
        Assert.Equal(0, s.OrgCovered);
        Assert.Equal(0, s.Joint);
        Assert.Equal(0, s.PartyMembers);
        Assert.Equal(10, s.Employees);
    }

    [Fact]
    public async Task Deleting_an_enterprise_removes_its_contribution()
    {
        var t = await NewCountyAsync("110202");
        await t.StationAsync("s1", "东镇");
        await t.OkAsync(Of(t.CreditCode(1), employees: 10, members: 3, mode: FormationMode.Standalone, township: "东镇", station: "s1", archive: new Archive(true, false)));
        await t.OkAsync(Of(t.CreditCode(2), employees: 5, township: "东镇"));

        var deleted = await t.Enterprise(t.CreditCode(1)).DeleteAsync(Tenant.Actor);
        Assert.Equal(ChangeOutcome.Deleted, deleted.Outcome);

        var s = await t.SummaryAsync();
        Assert.Equal(1, s.Registered);
        Assert.Equal(1, s.Base);
        Assert.Equal(0, s.OrgCovered);
        Assert.Equal(0, s.Standalone);
        Assert.Equal(0, s.PartyMembers);
        Assert.Equal(5, s.Employees);
        Assert.Equal(0, s.Archives.Basic);
        Assert.Equal(1, s.StationLinkage[0].AreaEnterprises);
        Assert.Equal(0, s.StationLinkage[0].Linked);
        Assert.Null(await t.Enterprise(t.CreditCode(1)).GetAsync());
        Assert.Equal([t.CreditCode(2)], await t.County.ListAsync(EntityKind.Enterprise));
        Assert.Equal(ChangeOutcome.NotFound, (await t.Enterprise(t.CreditCode(1)).DeleteAsync(Tenant.Actor)).Outcome);

        // Created again: counted once more, with a version above the deletion's.
        var again = await t.PutAsync(Of(t.CreditCode(1), employees: 8));
        Assert.Equal(ChangeOutcome.Created, again.Outcome);
        Assert.True(again.Version > deleted.Version);
        s = await t.SummaryAsync();
        Assert.Equal(2, s.Registered);
        Assert.Equal(13, s.Employees);
    }

    [Fact]
    public async Task Moving_an_enterprise_to_another_station_changes_both_stations()
    {
        var t = await NewCountyAsync("110203");
        await t.StationAsync("s1", "东镇");
        await t.StationAsync("s2", "西镇");
        var code = t.CreditCode(1);
        await t.OkAsync(Of(code, township: "东镇", station: "s1"));
        await t.OkAsync(Of(t.CreditCode(2), township: "西镇", station: "s2"));
        await t.OkAsync(Of(t.CreditCode(3), township: "西镇"));

        var s = await t.SummaryAsync();
        Assert.Equal((1, 1), (s.StationLinkage[0].AreaEnterprises, s.StationLinkage[0].Linked));
        Assert.Equal((2, 1), (s.StationLinkage[1].AreaEnterprises, s.StationLinkage[1].Linked));

        // The enterprise moved to 西镇 and is now linked by s2.
        await t.OkAsync(Of(code, township: "西镇", station: "s2"));
        s = await t.SummaryAsync();
        Assert.Equal("s1", s.StationLinkage[0].StationId);
        Assert.Equal((0, 0), (s.StationLinkage[0].AreaEnterprises, s.StationLinkage[0].Linked));
        Assert.Equal(0, s.StationLinkage[0].Linkage);
        Assert.Equal((3, 2), (s.StationLinkage[1].AreaEnterprises, s.StationLinkage[1].Linked));
        Assert.Equal(0.6667, s.StationLinkage[1].Linkage);
        Assert.False(s.StationLinkage[1].MeetsTarget);
        Assert.Equal(3, s.Base);
    }

    [Fact]
    public async Task A_township_belongs_to_one_station_and_county_linkage_counts_each_linked_base_enterprise_once()
    {
        var t = await NewCountyAsync("110204");
        await t.StationAsync("s1", "中镇", "东镇");
        // 陇西 fell from 72.2% to 54.1% when a second station was given a township the first already had.
        Tenant.AssertRefused(await t.PutAsync(new StationProfile("s2", "站s2", ["西镇", "中镇"])), "townships[1]");
        Assert.False(await t.County.ExistsAsync(EntityKind.Station, "s2"));
        await t.StationAsync("s2", "西镇");

        await t.OkAsync(Of(t.CreditCode(1), township: "中镇", station: "s1"));
        await t.OkAsync(Of(t.CreditCode(2), township: "西镇", station: "s2"));
        await t.OkAsync(Of(t.CreditCode(3), township: "西镇"));
        await t.OkAsync(Of(t.CreditCode(4), township: "北镇"));
        await t.OkAsync(Of(t.CreditCode(5), township: "中镇", station: "s1", excludedBecause: "已注销"));

        var s = await t.SummaryAsync();
        // County-wide: base enterprises linked by a station over the county's base, whatever the stations' areas.
        Assert.Equal(new LinkageFigures(2, 4, 0.5, 0.7), s.Linkage);
        Assert.Equal((1, 1), (s.StationLinkage[0].Linked, s.StationLinkage[0].AreaEnterprises));
        Assert.Equal((1, 2), (s.StationLinkage[1].Linked, s.StationLinkage[1].AreaEnterprises));

        // Linked by s2 although it lies in s1's area: the county counts it once, in no station's area but s1's.
        await t.OkAsync(Of(t.CreditCode(1), township: "中镇", station: "s2"));
        s = await t.SummaryAsync();
        Assert.Equal(new LinkageFigures(2, 4, 0.5, 0.7), s.Linkage);
        Assert.Equal((0, 1), (s.StationLinkage[0].Linked, s.StationLinkage[0].AreaEnterprises));
        Assert.Equal((1, 2), (s.StationLinkage[1].Linked, s.StationLinkage[1].AreaEnterprises));
    }

    [Fact]
    public async Task Repeated_and_late_contributions_are_counted_once_as_the_newest_says()
    {
        var t = await NewCountyAsync("110205");
        var id = t.CreditCode(1);
        EnterpriseContribution Contribution(long version, int members, int employees, FormationMode mode) =>
            new(id, version, false, "", EnterpriseKind.Enterprise, true, mode, null, members, employees, null, null, null, null, false, false);

        await t.County.ReportAsync(Contribution(2, members: 4, employees: 10, FormationMode.Standalone));
        await t.County.ReportAsync(Contribution(2, members: 4, employees: 10, FormationMode.Standalone)); // repeated
        await t.County.ReportAsync(Contribution(1, members: 9, employees: 99, FormationMode.None));       // late

        var s = await t.SummaryAsync();
        Assert.Equal(1, s.Registered);
        Assert.Equal(1, s.Base);
        Assert.Equal(4, s.PartyMembers);
        Assert.Equal(10, s.Employees);
        Assert.Equal(1, s.Standalone);
        Assert.Equal(1, s.OrgCovered);
        Assert.Equal(1.0, s.OrgCoverage);

        // A removal reported as version 3; a late version 2 cannot bring it back.
        await t.County.ReportAsync(new EnterpriseContribution(id, 3, true, "", EnterpriseKind.Enterprise, false, FormationMode.None, null, 0, 0, null, null, null, null, false, false));
        await t.County.ReportAsync(Contribution(2, members: 4, employees: 10, FormationMode.Standalone));
        s = await t.SummaryAsync();
        Assert.Equal(0, s.Registered);
        Assert.Equal(0, s.PartyMembers);
        Assert.False(await t.County.ExistsAsync(EntityKind.Enterprise, id));
    }

    [Fact]
    public async Task Deleting_a_group_or_instructor_removes_them_from_strength()
    {
        var t = await NewCountyAsync("110206");
        await t.StationAsync("s1", "东镇");
        await t.GroupAsync("g1", "s1");
        await t.OkAsync(new InstructorProfile("i1", "甲", true, StationId: "s1", GroupId: "g1", Rating: AssessmentRating.Excellent));
        var s = await t.SummaryAsync();
        Assert.Equal(1, s.Instructors.FullTime);
        Assert.Equal(1, s.StationLinkage[0].FullTimeInstructors);

        await t.OkAsync(t.Instructor("i1").DeleteAsync(Tenant.Actor));
        s = await t.SummaryAsync();
        Assert.Equal(0, s.Instructors.FullTime);
        Assert.Equal(0, s.Assessments.Excellent);
        Assert.Equal(0, s.StationLinkage[0].FullTimeInstructors);
        Assert.Equal(["g1"], s.Instructors.GroupsBelowTwoFullTime);

        await t.OkAsync(t.Group("g1").DeleteAsync(Tenant.Actor));
        s = await t.SummaryAsync();
        Assert.Equal(0, s.Groups);
        Assert.Empty(s.Instructors.GroupsBelowTwoFullTime);
        Assert.Equal(0, s.StationLinkage[0].Groups);

        await t.OkAsync(t.Station("s1").DeleteAsync(Tenant.Actor));
        s = await t.SummaryAsync();
        Assert.Equal(0, s.Stations);
        Assert.Empty(s.StationLinkage);
    }
}
