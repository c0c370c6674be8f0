using Beacon.Grains.Demo;
using Beacon.Grains.Figures;

namespace Beacon.Tests;

/// <summary>
/// The figures the customer's documents publish (seeds/000-004), as the demo counties' registers give them: each
/// register is summed with the county's own tally, as the county grain would sum its children's reports.
/// </summary>
public sealed class DemoFiguresTests
{
    public static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 30, 0, TimeSpan.FromHours(8));

    public static DemoCounty County(string code) => DemoCounties.All.Single(c => c.Code == code);

    public static DemoRegister Register(string code) => new(County(code), Now);

    /// <summary>The county summary of a demo register, without its issues (their counts are checked on the register).</summary>
    public static CountySummary Summarize(DemoRegister demo, DateTimeOffset? now = null)
    {
        var tally = new CountyTally(demo.Profile.AffiliatedCountsAsCovered);
        var ledger = new CountyLedger();
        void Add(Contribution c)
        {
            Assert.True(ledger.TryReplace(c, out var previous), $"{c.Id} reported twice");
            Assert.Null(previous);
            tally.Apply(c, +1);
        }
        foreach (var s in demo.Stations) Add(Registers.Stations.Contribute(s.StationId, s, 1));
        foreach (var g in demo.Groups) Add(Registers.Groups.Contribute(g.GroupId, g, 1));
        foreach (var i in demo.Instructors) Add(Registers.Instructors.Contribute(i.InstructorId, i, 1));
        foreach (var o in demo.Organisations) Add(Registers.Organisations.Contribute(o.OrganisationId, o, 1));
        foreach (var e in demo.Enterprises) Add(Registers.Enterprises.Contribute(e.CreditCode, e, 1));
        foreach (var a in demo.Applicants) Add(Registers.Applicants.Contribute(a.ApplicantId, a, 1));
        foreach (var x in demo.Trainings) Add(Registers.Trainings.Contribute(x.TrainingId, x, 1));
        foreach (var x in demo.Honours) Add(Registers.Honours.Contribute(x.HonourId, x, 1));
        foreach (var x in demo.ContactPoints) Add(Registers.ContactPoints.Contribute(x.ContactPointId, x, 1));
        foreach (var x in demo.Circles) Add(Registers.Circles.Contribute(x.CircleId, x, 1));
        return CountyFigures.Summarize(demo.Profile, tally, ledger, 1, now ?? Now);
    }

    private static readonly string[] LuAn = ["341502", "341503", "341504", "341522", "341523", "341524", "341525"];

    [Fact]
    public void Qingshui_has_85_organisations_covering_112_of_509_with_224_members_and_42_instructors_guiding_52()
    {
        var demo = Register("620521");
        var s = Summarize(demo);
        Assert.Equal(509, s.Base);
        Assert.Equal(112, s.OrgCovered);
        Assert.Equal(0.22, Math.Round(s.OrgCoverage, 2));
        Assert.Equal(224, s.PartyMembers);
        Assert.Equal(85, s.Organisations.Total);
        Assert.Equal((0, 42), (s.Instructors.FullTime, s.Instructors.PartTime));
        Assert.Equal(52, s.Instructors.EnterprisesGuided);
        Assert.Equal(65, demo.Enterprises.Sum(e => e.DemonstrationPosts));
        Assert.Equal(45, demo.Enterprises.Sum(e => e.ResponsibilityZones));
    }

    [Fact]
    public void Longxi_has_733_enterprises_with_11799_employees_and_59_organisations_covering_135_with_193_members()
    {
        var s = Summarize(Register("621122"));
        Assert.Equal(733, s.Base);
        Assert.Equal(11_799, s.Employees);
        Assert.Equal(59, s.Organisations.Total);
        Assert.Equal(135, s.OrgCovered);
        Assert.Equal(193, s.PartyMembers);
        Assert.Equal(0.0164, s.MembersShare);
    }

    [Fact]
    public void Xingyi_has_28_standalone_organisations()
    {
        var s = Summarize(Register("522301"));
        Assert.Equal(28, s.Standalone);
    }

    [Fact]
    public void Yinzhou_has_625_instructors_and_does_not_count_affiliated_enterprises_as_covered()
    {
        var s = Summarize(Register("330212"));
        Assert.Equal(625, s.Instructors.Total);
        Assert.True(s.Affiliated > 0);
        Assert.Equal(s.Standalone + s.Joint, s.OrgCovered);
    }

    [Fact]
    public void The_counties_of_LuAn_have_27_stations_126_groups_609_instructors_3254_linked_420_resolved_2570_archives_and_261_station_branch_members()
    {
        var registers = LuAn.Select(Register).ToArray();
        var summaries = registers.Select(r => Summarize(r)).ToArray();
        Assert.Equal(27, summaries.Sum(s => s.Stations));
        Assert.Equal(126, summaries.Sum(s => s.Groups));
        Assert.Equal(609, summaries.Sum(s => s.Instructors.Total));
        Assert.Equal(3_254, summaries.Sum(s => s.Linkage.Linked));
        Assert.Equal(2_570, summaries.Sum(s => s.Archives.Basic));
        Assert.Equal(261, summaries.Sum(s => s.StationBranchMembers));
        Assert.Equal(420, registers.Sum(r => r.Issues.Count(i => i.ResolvedAt is not null)));

        // As README says: 霍邱 and 金寨 fall below the 70% target, and each has one group below 2 full-time instructors.
        Assert.Equal(["341522", "341524"], summaries.Where(s => s.Linkage.Rate < s.Linkage.Target).Select(s => s.County));
        Assert.Equal(["341522", "341524"], summaries.Where(s => s.Instructors.GroupsBelowStrength == 1).Select(s => s.County));
        Assert.Equal(2, summaries.Sum(s => s.Instructors.GroupsBelowStrength));
    }

    [Fact]
    public void Every_county_has_the_demonstration_posts_and_responsibility_zones_of_its_row_in_covered_enterprises()
    {
        foreach (var county in DemoCounties.All)
        {
            var enterprises = new DemoRegister(county, Now).Enterprises;
            Assert.Equal(county.DemonstrationPosts, enterprises.Sum(e => e.DemonstrationPosts));
            Assert.Equal(county.ResponsibilityZones, enterprises.Sum(e => e.ResponsibilityZones));
            Assert.DoesNotContain(enterprises, e => e.Organisation.Mode == FormationMode.None && e.DemonstrationPosts + e.ResponsibilityZones > 0);
        }
    }

    [Fact]
    public void The_enterprises_of_a_county_have_distinct_names()
    {
        foreach (var county in DemoCounties.All)
        {
            var shared = new DemoRegister(county, Now).Enterprises.GroupBy(e => e.Name).Where(g => g.Count() > 1).Select(g => $"{g.Key} ×{g.Count()}").ToArray();
            Assert.True(shared.Length == 0, $"{county.Name}: {shared.Length} names held by several enterprises: {string.Join(", ", shared.Take(5))}");
        }
    }

    [Fact]
    public void A_demo_county_expands_the_same_way_every_time()
    {
        foreach (var county in DemoCounties.All)
        {
            var (a, b) = (new DemoRegister(county, Now), new DemoRegister(county, Now));
            Assert.Equal(a.Enterprises, b.Enterprises);
            Assert.Equal(a.Organisations, b.Organisations);
            Assert.Equal(a.Stations.Select(s => (s.StationId, s.Branch)), b.Stations.Select(s => (s.StationId, s.Branch)));
            Assert.Equal(a.Instructors, b.Instructors);
            Assert.Equal(a.Issues, b.Issues);
            Assert.Equal(a.Stations.Select(s => (s.ParentStationId, s.Premises)), b.Stations.Select(s => (s.ParentStationId, s.Premises)));
            Assert.Equal(a.StationMeetings, b.StationMeetings);
            Assert.Equal(a.StationReports.Select(r => (r.StationId, r.Report.Month, r.Report.Summary)), b.StationReports.Select(r => (r.StationId, r.Report.Month, r.Report.Summary)));
            Assert.Equal(a.Evaluations, b.Evaluations);
        }
    }

    [Fact]
    public void The_stations_of_LuAn_keep_a_year_of_meetings_and_reports_with_some_months_missing_so_that_counties_differ()
    {
        var lastMonth = Rules.OrganisationalLife.LastClosedMonth(Rules.Validation.Today(Now));
        var shares = new HashSet<(int, int, int)>();
        foreach (var code in LuAn)
        {
            var demo = Register(code);
            var stations = demo.Stations.Count;
            // A year: twelve closed months, none of them this month, some left out.
            var months = demo.StationMeetings.Select(m => Rules.OrganisationalLife.MonthIndex(m.Meeting.Date)).ToHashSet();
            Assert.Equal(Enumerable.Range(lastMonth - 11, 12).ToHashSet(), months);
            Assert.InRange(demo.StationMeetings.Count, stations * 9, stations * 12 - 1);
            Assert.InRange(demo.StationReports.Count, stations * 9, stations * 12 - 1);
            Assert.All(demo.StationMeetings, m => Assert.Equal(MeetingKind.StaffMeeting, m.Meeting.Kind));
            Assert.Equal(demo.StationReports.Count, demo.StationReports.Select(r => (r.StationId, r.Report.Month)).Distinct().Count());
            var held = demo.StationMeetings.Count(m => Rules.OrganisationalLife.MonthIndex(m.Meeting.Date) == lastMonth);
            var sent = demo.StationReports.Count(r => Rules.StationWork.MonthOf(r.Report.Month) == lastMonth);
            shares.Add((stations, held, sent));
        }
        Assert.True(shares.Count >= 3, $"the counties of 六安 have only {shares.Count} patterns of last month's duties");
        // 舒城's 杭埠分站 is a sub-station of a station that is not one itself.
        var shucheng = Register("341523");
        var hangbu = shucheng.Stations.Single(s => s.Name == "杭埠分站");
        Assert.Null(shucheng.Stations.Single(s => s.StationId == hangbu.ParentStationId).ParentStationId);
        Assert.All(shucheng.Stations, s => Assert.NotNull(s.Premises));
    }

    [Fact]
    public void Longxi_evaluated_its_organisations_last_year_26_percent_good_62_fairly_good_and_12_average()
    {
        var demo = Register("621122");
        Assert.Equal(demo.Organisations.Select(o => o.OrganisationId).Order(), demo.Evaluations.Select(e => e.OrganisationId).Order());
        Assert.All(demo.Evaluations, e => Assert.Equal(Now.Year - 1, e.Evaluation.Year));
        var n = (double)demo.Evaluations.Count;
        double Share(EvaluationRating r) => demo.Evaluations.Count(e => e.Evaluation.Rating == r) / n;
        Assert.Equal(0.26, Share(EvaluationRating.Good), 0.01);
        Assert.Equal(0.62, Share(EvaluationRating.FairlyGood), 0.01);
        Assert.Equal(0.12, Share(EvaluationRating.Average), 0.01);
        Assert.Equal(0, Share(EvaluationRating.Poor));
        Assert.Empty(Register("620521").Evaluations);
    }
}
