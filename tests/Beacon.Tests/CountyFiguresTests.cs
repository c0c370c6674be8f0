using Beacon.Tests.Infrastructure;
using static Beacon.Tests.Infrastructure.Ent;

namespace Beacon.Tests;

/// <summary>Every figure of the county summary, numerator and denominator, from registers kept through the entity grains.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CountyFiguresTests(ClusterFixture fixture)
{
    private Task<Tenant> NewCountyAsync(string code, bool affiliated = false) => Tenant.CreateAsync(fixture.Client, code, affiliated);

    [Fact]
    public async Task A_new_county_shows_zeroes_and_its_place()
    {
        var t = await NewCountyAsync("110101");
        var s = await t.SummaryAsync();

        Assert.Equal("110101", s.County);
        Assert.Equal("县110101", s.Name);
        Assert.Equal("110100", s.Prefecture);
        Assert.Equal("110000", s.Province);
        Assert.Equal(0, s.Registered);
        Assert.Equal(0, s.Base);
        Assert.Equal(0, s.OrgCoverage);
        Assert.Equal(0, s.MembersShare);
        Assert.Equal(0, s.Issues.ResolutionRate);
        Assert.Null(s.Issues.MedianDaysToResolve);
        Assert.Equal(0.7, s.Linkage.Target);
        Assert.Empty(s.StationLinkage);
        Assert.True(s.Seq > 0);
    }

    [Fact]
    public async Task Base_counts_only_enterprises_in_the_base_while_registered_counts_all()
    {
        var t = await NewCountyAsync("110102");
        await t.OkAsync(Of(t.CreditCode(1), employees: 10, members: 3, mode: FormationMode.Standalone, archive: new Archive(true, true)));
        await t.OkAsync(Of(t.CreditCode(2), employees: 20));
        await t.OkAsync(Of(t.CreditCode(3), employees: 30));
        // Closed: still in the register, out of every figure but "registered".
        await t.OkAsync(Of(t.CreditCode(4), employees: 50, members: 5, mode: FormationMode.Standalone, archive: new Archive(true, true), excludedBecause: "已注销"));

        var s = await t.SummaryAsync();
        Assert.Equal(4, s.Registered);
        Assert.Equal(3, s.Base);
        Assert.Equal(1, s.OrgCovered);
        Assert.Equal(0.3333, s.OrgCoverage);
        Assert.Equal(1, s.Standalone);
        Assert.Equal(0.3333, s.StandaloneRate);
        Assert.Equal(0, s.Organisations.Total); // its organisation is not in the register
        Assert.Equal(1, s.WorkCovered);
        Assert.Equal(3, s.PartyMembers);
        Assert.Equal(60, s.Employees);
        Assert.Equal(0.05, s.MembersShare);
        Assert.Equal(1, s.Archives.Basic);
        Assert.Equal(1, s.Archives.Featured);
    }

    [Fact]
    public async Task Organisation_coverage_counts_standalone_and_joint_and_affiliated_only_when_the_county_says_so()
    {
        var t = await NewCountyAsync("110105");
        foreach (var joint in new[] { "J1", "J2", "F1", "J9" }) await t.OrganisationAsync(joint, OrganisationHost.Joint);
        await t.OkAsync(new InstructorProfile("i1", "张三", FullTime: true));
        await t.OkAsync(Of(t.CreditCode(1), employees: 40, members: 4, mode: FormationMode.Standalone));
        await t.OkAsync(Of(t.CreditCode(2), members: 1, mode: FormationMode.Joint, organisationId: "J1"));
        await t.OkAsync(Of(t.CreditCode(3), members: 1, mode: FormationMode.Joint, organisationId: "J1"));
        await t.OkAsync(Of(t.CreditCode(4), mode: FormationMode.Joint, organisationId: "J2"));
        await t.OkAsync(Of(t.CreditCode(5), members: 1, mode: FormationMode.Affiliated, organisationId: "F1"));
        await t.OkAsync(Of(t.CreditCode(6)));                    // nothing
        await t.OkAsync(Of(t.CreditCode(7), instructor: "i1"));  // no organisation, but an instructor: work coverage
        // Out of the base: a joint organisation of its own must not count as an organisation either.
        await t.OkAsync(Of(t.CreditCode(8), members: 1, mode: FormationMode.Joint, organisationId: "J9", excludedBecause: "空壳"));

        var s = await t.SummaryAsync();
        Assert.Equal(8, s.Registered);
        Assert.Equal(7, s.Base);
        Assert.Equal(4, s.OrgCovered);          // standalone + 3 joint
        Assert.Equal(0.5714, s.OrgCoverage);    // 4 / 7
        Assert.Equal(1, s.Standalone);
        Assert.Equal(0.1429, s.StandaloneRate); // 1 / 7
        Assert.Equal(3, s.Joint);
        Assert.Equal(1, s.Affiliated);
        Assert.Equal(4, s.Organisations.Total); // J1, J2, F1, J9: the register's, whoever they cover
        Assert.Equal(6, s.WorkCovered);         // 5 with an organisation + 1 with an instructor
        Assert.Equal(0.8571, s.WorkCoverage);   // 6 / 7

        // The province counts affiliated ones as covered: the county recounts at once.
        await t.County.ConfigureAsync(t.Profile(affiliatedCountsAsCovered: true));
        s = await t.SummaryAsync();
        Assert.Equal(5, s.OrgCovered);
        Assert.Equal(0.7143, s.OrgCoverage);
        Assert.Equal(7, s.Base);
        Assert.Equal(6, s.WorkCovered);

        // And back.
        await t.County.ConfigureAsync(t.Profile(affiliatedCountsAsCovered: false));
        s = await t.SummaryAsync();
        Assert.Equal(4, s.OrgCovered);
        Assert.Equal(0.5714, s.OrgCoverage);
    }

    [Fact]
    public async Task A_county_configured_to_count_affiliated_counts_new_affiliated_enterprises()
    {
        var t = await NewCountyAsync("110106", affiliated: true);
        await t.OrganisationAsync("F1", OrganisationHost.Joint);
        await t.OkAsync(Of(t.CreditCode(1), mode: FormationMode.Affiliated, organisationId: "F1"));
        await t.OkAsync(Of(t.CreditCode(2)));

        var s = await t.SummaryAsync();
        Assert.Equal(1, s.OrgCovered);
        Assert.Equal(0.5, s.OrgCoverage);
        Assert.Equal(0, s.Standalone);
        Assert.Equal(1, s.Organisations.Total);
    }

    [Fact]
    public async Task Members_and_their_share_of_employees_count_base_enterprises_only()
    {
        var t = await NewCountyAsync("110107");
        await t.OkAsync(Of(t.CreditCode(1), employees: 10, members: 3, mode: FormationMode.Standalone));
        await t.OkAsync(Of(t.CreditCode(2), employees: 40, members: 5));
        await t.OkAsync(Of(t.CreditCode(3), employees: 7, members: 0));
        await t.OkAsync(Of(t.CreditCode(4), employees: 30, members: 20, excludedBecause: "迁出"));

        var s = await t.SummaryAsync();
        Assert.Equal(8, s.PartyMembers);
        Assert.Equal(57, s.Employees);
        Assert.Equal(0.1404, s.MembersShare); // 8 / 57 = 0.14035…
    }

    [Fact]
    public async Task Instructor_strength_groups_and_assessments()
    {
        var t = await NewCountyAsync("110108");
        await t.StationAsync("s1", "城关镇");
        await t.GroupAsync("g1", "s1");
        await t.GroupAsync("g2", "s1");
        await t.OkAsync(new InstructorProfile("i1", "甲", FullTime: true, SourceUnit: "组织", StationId: "s1", GroupId: "g1", Rating: AssessmentRating.Excellent));
        await t.OkAsync(new InstructorProfile("i2", "乙", FullTime: false, SourceUnit: "工商", StationId: "s1", Rating: AssessmentRating.Competent));
        await t.OkAsync(new InstructorProfile("i3", "丙", FullTime: true, StationId: "s1", GroupId: "g2", Rating: AssessmentRating.Excellent));
        await t.OkAsync(new InstructorProfile("i4", "丁", FullTime: true, Rating: AssessmentRating.Incompetent));
        await t.OkAsync(Of(t.CreditCode(1), instructor: "i1"));
        await t.OkAsync(Of(t.CreditCode(2), instructor: "i1"));
        await t.OkAsync(Of(t.CreditCode(3), instructor: "i2"));
        await t.OkAsync(Of(t.CreditCode(4)));
        await t.OkAsync(Of(t.CreditCode(5), instructor: "i3", excludedBecause: "已注销"));

        var s = await t.SummaryAsync();
        Assert.Equal(1, s.Stations);
        Assert.Equal(2, s.Groups);
        Assert.Equal(3, s.Instructors.FullTime);
        Assert.Equal(1, s.Instructors.PartTime);
        Assert.Equal(3, s.Instructors.EnterprisesGuided);          // base enterprises with an instructor
        Assert.Equal(0.75, s.Instructors.EnterprisesPerInstructor); // 3 / 4
        Assert.Equal(["g1", "g2"], s.Instructors.GroupsBelowTwoFullTime);
        Assert.Equal(new AssessmentFigures(2, 1, 0, 1), s.Assessments);
        var station = Assert.Single(s.StationLinkage);
        Assert.Equal(2, station.FullTimeInstructors);
        Assert.Equal(1, station.PartTimeInstructors);
        Assert.Equal(2, station.Groups);

        // A second full-time instructor brings g1 up to strength; g2 stays listed.
        await t.OkAsync(new InstructorProfile("i5", "戊", FullTime: true, StationId: "s1", GroupId: "g1"));
        s = await t.SummaryAsync();
        Assert.Equal(["g2"], s.Instructors.GroupsBelowTwoFullTime);
        Assert.Equal(4, s.Instructors.FullTime);
        Assert.Equal(0.6, s.Instructors.EnterprisesPerInstructor); // 3 / 5

        // A part-time one does not count towards a group's two full-time instructors.
        await t.OkAsync(new InstructorProfile("i6", "己", FullTime: false, StationId: "s1", GroupId: "g2"));
        s = await t.SummaryAsync();
        Assert.Equal(["g2"], s.Instructors.GroupsBelowTwoFullTime);

        // Re-rating an instructor moves them between grades, it does not add one.
        await t.OkAsync(new InstructorProfile("i4", "丁", FullTime: true, Rating: AssessmentRating.BasicallyCompetent));
        s = await t.SummaryAsync();
        Assert.Equal(new AssessmentFigures(2, 1, 1, 0), s.Assessments);
    }

    [Fact]
    public async Task Station_linkage_is_linked_over_area_against_the_target()
    {
        var t = await NewCountyAsync("110109");
        await t.StationAsync("s1", "东镇", "西镇");
        await t.StationAsync("s2", "南镇");
        // s1's area: 4 base enterprises in 东镇 and 西镇, 3 of them linked to s1.
        await t.OkAsync(Of(t.CreditCode(1), township: "东镇", station: "s1"));
        await t.OkAsync(Of(t.CreditCode(2), township: "东镇", station: "s1"));
        await t.OkAsync(Of(t.CreditCode(3), township: "西镇", station: "s1"));
        await t.OkAsync(Of(t.CreditCode(4), township: "西镇"));
        await t.OkAsync(Of(t.CreditCode(5), township: "东镇", station: "s1", excludedBecause: "已注销")); // not in the base
        // s2's area: 4 base enterprises in 南镇, 2 linked.
        await t.OkAsync(Of(t.CreditCode(6), township: "南镇", station: "s2"));
        await t.OkAsync(Of(t.CreditCode(7), township: "南镇", station: "s2"));
        await t.OkAsync(Of(t.CreditCode(8), township: "南镇"));
        await t.OkAsync(Of(t.CreditCode(9), township: "南镇"));

        var s = await t.SummaryAsync();
        Assert.Equal(2, s.Stations);
        Assert.Equal(0.7, s.Linkage.Target);
        Assert.Equal(["s1", "s2"], s.StationLinkage.Select(x => x.StationId));
        var s1 = s.StationLinkage[0];
        Assert.Equal("站s1", s1.Name);
        Assert.Equal(4, s1.AreaEnterprises);
        Assert.Equal(3, s1.Linked);
        Assert.Equal(0.75, s1.Linkage);
        Assert.True(s1.MeetsTarget);
        var s2 = s.StationLinkage[1];
        Assert.Equal(4, s2.AreaEnterprises);
        Assert.Equal(2, s2.Linked);
        Assert.Equal(0.5, s2.Linkage);
        Assert.False(s2.MeetsTarget);
        Assert.Equal(1, s.StationsMeetingTarget);

        // One more link in 南镇 brings s2 to 3/4.
        await t.OkAsync(Of(t.CreditCode(8), township: "南镇", station: "s2"));
        s = await t.SummaryAsync();
        Assert.Equal(3, s.StationLinkage[1].Linked);
        Assert.True(s.StationLinkage[1].MeetsTarget);
        Assert.Equal(2, s.StationsMeetingTarget);
    }

    [Fact]
    public async Task A_station_with_no_enterprises_in_its_area_does_not_meet_the_target()
    {
        var t = await NewCountyAsync("110111");
        await t.OkAsync(new StationProfile("s1", "北站", ["北镇"], Chief: "王站长", Branch: new StationBranch(Members: 5, Applications: 2)));
        var s = await t.SummaryAsync();
        var st = Assert.Single(s.StationLinkage);
        Assert.Equal(5, st.BranchMembers);
        Assert.Equal(5, s.StationBranchMembers);
        Assert.Equal(0, st.AreaEnterprises);
        Assert.Equal(0, st.Linkage);
        Assert.False(st.MeetsTarget);
        Assert.Equal(0, s.StationsMeetingTarget);
    }

    [Fact]
    public async Task Archives_count_base_enterprises_with_a_basic_and_a_featured_archive()
    {
        var t = await NewCountyAsync("110112");
        await t.OkAsync(Of(t.CreditCode(1), archive: new Archive(true, true)));
        await t.OkAsync(Of(t.CreditCode(2), archive: new Archive(true, false)));
        await t.OkAsync(Of(t.CreditCode(3), archive: new Archive(false, false)));
        await t.OkAsync(Of(t.CreditCode(4)));
        await t.OkAsync(Of(t.CreditCode(5), archive: new Archive(true, true), excludedBecause: "迁出"));

        var s = await t.SummaryAsync();
        Assert.Equal(new ArchiveFigures(2, 1, 0.5, 0.25), s.Archives);
    }

    [Fact]
    public async Task Issues_raised_open_escalated_resolved_and_resolution_rate_follow_their_lifecycle()
    {
        var t = await NewCountyAsync("110113");
        var code = t.CreditCode(1);
        await t.StationAsync("s1", "城关镇");
        await t.OkAsync(Of(code, township: "城关镇", station: "s1"));
        var a = await t.RaiseAsync(code);
        var b = await t.RaiseAsync(code);
        var c = await t.RaiseAsync(code);
        var d = await t.RaiseAsync(code);

        var s = await t.SummaryAsync();
        Assert.Equal(new IssueFigures(4, 4, 0, 0, 0, 0, null), s.Issues);

        await t.OkAsync(t.Issue(a).AssignAsync("s1", Tenant.Actor));
        await t.OkAsync(t.Issue(b).AssignAsync("s1", Tenant.Actor));
        await t.OkAsync(t.Issue(b).EscalateAsync("站里解决不了", Tenant.Actor));
        await t.OkAsync(t.Issue(c).EscalateAsync("需要县里协调", Tenant.Actor));
        await t.OkAsync(t.Issue(c).ResolveAsync("已协调解决", Tenant.Actor));
        await t.OkAsync(t.Issue(d).ResolveAsync("已解决", Tenant.Actor));

        s = await t.SummaryAsync();
        Assert.Equal(4, s.Issues.Raised);
        Assert.Equal(2, s.Issues.Open);       // a (open) and b (escalated)
        Assert.Equal(1, s.Issues.Escalated);  // b
        Assert.Equal(2, s.Issues.Resolved);   // c and d
        Assert.Equal(0, s.Issues.Overdue);
        Assert.Equal(0.5, s.Issues.ResolutionRate);
        Assert.NotNull(s.Issues.MedianDaysToResolve); // resolved within seconds: about 0 days
        Assert.InRange(s.Issues.MedianDaysToResolve!.Value, 0, 0.1);
        // All four were raised at s1's enterprise, so s1 handles them whether or not anyone assigned them.
        var st = Assert.Single(s.StationLinkage);
        Assert.Equal(2, st.IssuesOpen);
        Assert.Equal(2, st.IssuesResolved);

        await t.OkAsync(t.Issue(a).ResolveAsync("已解决", Tenant.Actor));
        await t.OkAsync(t.Issue(d).ReopenAsync("又出现了", Tenant.Actor));
        s = await t.SummaryAsync();
        Assert.Equal(4, s.Issues.Raised);
        Assert.Equal(2, s.Issues.Open);       // b and d
        Assert.Equal(1, s.Issues.Escalated);
        Assert.Equal(2, s.Issues.Resolved);   // a and c
        Assert.Equal(0.5, s.Issues.ResolutionRate);
        Assert.Equal(2, s.StationLinkage[0].IssuesOpen);      // b and d
        Assert.Equal(2, s.StationLinkage[0].IssuesResolved);  // a and c

        var record = await t.Issue(d).GetAsync();
        Assert.NotNull(record);
        Assert.Equal(IssueState.Open, record!.State);
        Assert.Equal(["raise", "resolve", "reopen"], record.History.Select(h => h.Action));
    }

    [Fact]
    public async Task Resolution_rate_is_a_fraction_rounded_to_four_decimals()
    {
        var t = await NewCountyAsync("110114");
        var code = t.CreditCode(1);
        await t.OkAsync(Of(code));
        var first = await t.RaiseAsync(code);
        await t.RaiseAsync(code);
        await t.RaiseAsync(code);
        await t.OkAsync(t.Issue(first).ResolveAsync("已解决", Tenant.Actor));

        var s = await t.SummaryAsync();
        Assert.Equal(3, s.Issues.Raised);
        Assert.Equal(1, s.Issues.Resolved);
        Assert.Equal(0.3333, s.Issues.ResolutionRate);
    }

    [Fact]
    public async Task An_issue_cannot_be_raised_at_an_enterprise_outside_the_register_and_takes_no_number()
    {
        var t = await NewCountyAsync("110115");
        await t.OkAsync(Of(t.CreditCode(1)));
        var before = await t.SummaryAsync();

        var (id, r) = await t.County.RaiseIssueAsync(t.CreditCode(99), IssueCategory.Policy, "政策不清", Tenant.Actor);

        Assert.Null(id);
        Tenant.AssertRefused(r, "creditCode");
        await t.AssertSummaryUnchangedAsync(before);
        Assert.Equal("I000001", await t.RaiseAsync(t.CreditCode(1)));
    }

    /// <summary>
    /// Issues are raised "now" through the grain, so overdue ones and days-to-resolve are exercised with the contributions
    /// an issue grain reports, sent to the county directly (as a late-arriving issue report would be).
    /// </summary>
    [Fact]
    public async Task Overdue_counts_open_and_escalated_issues_past_their_deadline_and_median_days_come_from_resolved_ones()
    {
        var t = await NewCountyAsync("110116");
        var now = DateTimeOffset.UtcNow;
        await t.County.ReportAsync(new IssueContribution("X1", 1, false, "", IssueCategory.Other, IssueState.Open, null, now.AddDays(-40), now.AddDays(-10), null));
        await t.County.ReportAsync(new IssueContribution("X2", 1, false, "", IssueCategory.Other, IssueState.Escalated, null, now.AddDays(-35), now.AddDays(-5), null));
        await t.County.ReportAsync(new IssueContribution("X3", 1, false, "", IssueCategory.Other, IssueState.Open, null, now.AddDays(-1), now.AddDays(29), null));
        await t.County.ReportAsync(new IssueContribution("X4", 2, false, "", IssueCategory.Other, IssueState.Resolved, null, now.AddDays(-10), now.AddDays(20), now.AddDays(-7)));
        await t.County.ReportAsync(new IssueContribution("X5", 2, false, "", IssueCategory.Other, IssueState.Resolved, null, now.AddDays(-50), now.AddDays(-20), now.AddDays(-49)));

        var s = await t.SummaryAsync();
        Assert.Equal(5, s.Issues.Raised);
        Assert.Equal(3, s.Issues.Open);
        Assert.Equal(1, s.Issues.Escalated);
        Assert.Equal(2, s.Issues.Resolved);
        Assert.Equal(2, s.Issues.Overdue);   // X1, X2; a resolved one past its deadline is not overdue
        Assert.Equal(0.4, s.Issues.ResolutionRate);
        Assert.Equal(2.0, s.Issues.MedianDaysToResolve); // median of 3 and 1 days

        // X1 resolved: no longer overdue, and the median takes its 40 days in.
        await t.County.ReportAsync(new IssueContribution("X1", 2, false, "", IssueCategory.Other, IssueState.Resolved, null, now.AddDays(-40), now.AddDays(-10), now));
        s = await t.SummaryAsync();
        Assert.Equal(1, s.Issues.Overdue);
        Assert.Equal(3, s.Issues.Resolved);
        Assert.Equal(3.0, s.Issues.MedianDaysToResolve); // 1, 3, 40
        Assert.Equal(0.6, s.Issues.ResolutionRate);
    }
}
