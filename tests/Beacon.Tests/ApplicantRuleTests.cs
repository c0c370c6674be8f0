using Beacon.Grains.Figures;
using Beacon.Rules;
using static Beacon.Tests.DemoFiguresTests;

namespace Beacon.Tests;

/// <summary>
/// The path to membership (发展党员) as rules: each date in its time after the one before, the probation's extension,
/// the birth year, a withdrawal ending the path, no date in the future; the steps overdue as the days pass; and 陇西's
/// demo applicants, 33 developed in two years (seeds/001).
/// </summary>
public sealed class ApplicantRuleTests
{
    private static readonly DateOnly Today = new(2026, 12, 2);

    private static ApplicantProfile P(string applied = "2024-03-01", string? talked = null, string? activist = null, string? candidate = null,
        string? probationary = null, int? extended = null, string? full = null, string? withdrawn = null, int birthYear = 1995) =>
        new("FZ1", "张三", Gender.Female, birthYear, "S001", D(applied)!.Value, TalkedOn: D(talked), ActivistOn: D(activist),
            CandidateOn: D(candidate), ProbationaryOn: D(probationary), ExtendedMonths: extended, FullOn: D(full), WithdrawnOn: D(withdrawn));

    private static DateOnly? D(string? s) => s is null ? null : DateOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture);

    private static IReadOnlyDictionary<string, Said[]> Errors(ApplicantProfile p, DateOnly? today = null) =>
        Registers.Applicants.Validate(p, today ?? Today).Errors;

    private static void Valid(ApplicantProfile p, DateOnly? today = null)
    {
        var errors = Errors(p, today);
        Assert.True(errors.Count == 0, string.Join("; ", errors.Select(e => $"{e.Key} {string.Join(", ", e.Value.Select(w => w.En))}")));
    }

    private static Said Refused(ApplicantProfile p, string field, DateOnly? today = null)
    {
        var errors = Errors(p, today);
        Assert.True(errors.ContainsKey(field), $"{field} not refused: {string.Join("; ", errors.Keys)}");
        return errors[field][0];
    }

    private static readonly ApplicantProfile Full = P("2023-01-10", "2023-01-25", "2023-03-01", "2024-03-01", "2024-05-01", full: "2025-05-01");

    [Fact]
    public void A_whole_path_in_its_times_is_taken()
    {
        Valid(P());
        Valid(Full);
        Assert.Equal(ApplicantStage.Full, Development.Stage(Full));
        Assert.Equal(ApplicantStage.Withdrawn, Development.Stage(P(talked: "2024-03-05", withdrawn: "2024-06-01")));
    }

    [Fact]
    public void The_talk_is_within_30_days_of_the_application_and_not_before_it()
    {
        Valid(P(talked: "2024-03-31"));
        var why = Refused(P(talked: "2024-04-01"), "talkedOn");
        Assert.Contains("30 天内", why.Zh);
        Assert.Contains("30 days", why.En);
        Refused(P(talked: "2024-02-29"), "talkedOn");
    }

    [Fact]
    public void The_talk_across_a_year_end_counts_the_days_not_the_months()
    {
        Valid(P("2025-12-15", talked: "2026-01-14"));
        Refused(P("2025-12-15", talked: "2026-01-15"), "talkedOn");
    }

    [Fact]
    public void An_activist_is_named_on_or_after_the_talk()
    {
        Valid(P(talked: "2024-03-10", activist: "2024-03-10"));
        Assert.Contains("谈话", Refused(P(talked: "2024-03-10", activist: "2024-03-09"), "activistOn").Zh);
    }

    [Fact]
    public void A_candidate_is_named_a_year_after_becoming_an_activist_even_across_a_year_end()
    {
        Valid(P("2024-11-20", "2024-12-01", "2024-12-31", "2025-12-31"));
        var why = Refused(P("2024-11-20", "2024-12-01", "2024-12-31", "2025-12-30"), "candidateOn");
        Assert.Contains("满 1 年", why.Zh);
        Assert.Contains("2025-12-31", why.En);
        // A leap day's year ends on the 28th of February.
        Valid(P("2024-01-20", "2024-02-01", "2024-02-29", "2025-02-28"));
    }

    [Fact]
    public void Probation_follows_the_candidacy()
    {
        Valid(P("2024-01-02", "2024-01-10", "2024-02-01", "2025-02-01", "2025-02-01"));
        Refused(P("2024-01-02", "2024-01-10", "2024-02-01", "2025-02-01", "2025-01-31"), "probationaryOn");
    }

    [Fact]
    public void Full_membership_comes_a_year_after_probation_or_after_its_extension()
    {
        var probationary = P("2023-01-02", "2023-01-10", "2023-02-01", "2024-02-01", "2024-03-01");
        Valid(probationary with { FullOn = new(2025, 3, 1) });
        Assert.Contains("2025-03-01", Refused(probationary with { FullOn = new(2025, 2, 28) }, "fullOn").En);
        // Extended by six months: not before 2025-09-01.
        Valid(probationary with { ExtendedMonths = 6, FullOn = new(2025, 9, 1) });
        var why = Refused(probationary with { ExtendedMonths = 6, FullOn = new(2025, 8, 31) }, "fullOn");
        Assert.Contains("延长的 6 个月", why.Zh);
        // By twelve, the longest: a year later still, across the year end.
        Valid(probationary with { ExtendedMonths = 12, FullOn = new(2026, 3, 1) });
        Refused(probationary with { ExtendedMonths = 12, FullOn = new(2026, 2, 28) }, "fullOn");
        Assert.Equal(new DateOnly(2026, 3, 1), Development.ProbationEnds(new(2024, 3, 1), 12));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(13)]
    [InlineData(0)]
    [InlineData(-6)]
    public void An_extension_is_6_to_12_months(int months)
    {
        var why = Refused(P("2023-01-02", "2023-01-10", "2023-02-01", "2024-02-01", "2024-03-01", extended: months), "extendedMonths");
        Assert.Contains("6 到 12 个月", why.Zh);
    }

    [Fact]
    public void No_step_is_taken_without_the_one_before()
    {
        Assert.Contains("谈话日期", Refused(P(activist: "2024-04-01"), "activistOn").Zh);
        Assert.Contains("确定积极分子日期", Refused(P(talked: "2024-03-05", candidate: "2025-04-01"), "candidateOn").Zh);
        Refused(P(full: "2025-04-01"), "fullOn");
        Refused(P(extended: 6), "extendedMonths");
    }

    [Fact]
    public void No_date_is_in_the_future()
    {
        Assert.Equal("不能晚于今天", Refused(P("2026-12-03"), "appliedOn").Zh);
        Refused(P("2026-11-20", talked: "2026-12-03"), "talkedOn");
        // China's today decides: the 2nd of December is today there from 16:00 UTC on the 1st.
        Assert.Equal(Today, Validation.Today(new DateTimeOffset(2026, 12, 1, 16, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void An_applicant_is_at_least_18_at_application_and_the_birth_year_plausible()
    {
        Valid(P("2024-03-01", birthYear: 2006));
        Assert.Contains("18", Refused(P("2024-03-01", birthYear: 2007), "birthYear").Zh);
        Refused(P("2024-03-01", birthYear: 1900), "birthYear");
    }

    [Fact]
    public void A_withdrawal_ends_the_path()
    {
        Valid(P(talked: "2024-03-05", withdrawn: "2024-03-05"));
        Assert.Contains("退出", Refused(P(talked: "2024-03-20", withdrawn: "2024-03-10"), "talkedOn").Zh);
        Refused(P(withdrawn: "2024-02-01"), "withdrawnOn");
        Refused(Full with { WithdrawnOn = new(2025, 6, 1) }, "withdrawnOn");
        Assert.Null(Development.DueOn(P(withdrawn: "2024-03-10")));
    }

    [Fact]
    public void The_talk_is_due_30_days_after_the_application_and_full_membership_when_the_probation_ends()
    {
        Assert.Equal(new DateOnly(2024, 3, 31), Development.DueOn(P()));
        Assert.Null(Development.DueOn(P(talked: "2024-03-05")));
        Assert.Null(Development.DueOn(P(talked: "2024-03-05", activist: "2024-04-01")));
        var probationary = P("2023-01-02", "2023-01-10", "2023-02-01", "2024-02-01", "2024-03-01");
        Assert.Equal(new DateOnly(2025, 3, 1), Development.DueOn(probationary));
        Assert.Equal(new DateOnly(2025, 9, 1), Development.DueOn(probationary with { ExtendedMonths = 6 }));
        Assert.Null(Development.DueOn(Full));
        Assert.False(Development.IsOverdue(new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 1)));
        Assert.True(Development.IsOverdue(new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 2)));
        // Overdue from China's midnight at the end of the day it was due.
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 16, 0, 0, TimeSpan.Zero), Development.OverdueFrom(new DateOnly(2025, 3, 1)));
    }

    [Fact]
    public void The_county_counts_steps_overdue_as_the_days_pass_with_no_report()
    {
        var tally = new CountyTally(false);
        // Applied on the 20th of December: the talk is due by the 19th of January, across the year end.
        var applicant = Registers.Applicants.Contribute("FZ1", P("2025-12-20"), 1);
        var probationary = Registers.Applicants.Contribute("FZ2", P("2024-10-01", "2024-10-10", "2024-11-01", "2025-11-01", "2025-12-01") with { ApplicantId = "FZ2" }, 1);
        tally.Apply(applicant, +1);
        tally.Apply(probationary, +1);
        Assert.Equal(0, tally.DevelopmentOverdueOn(new DateOnly(2026, 1, 19)));
        Assert.Equal(1, tally.DevelopmentOverdueOn(new DateOnly(2026, 1, 20)));
        Assert.Equal(new DateTimeOffset(2026, 1, 20, 0, 0, 0, Validation.ChinaOffset), tally.NextDevelopmentOverdueAfter(new DateTimeOffset(2026, 1, 1, 0, 0, 0, Validation.ChinaOffset)));
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 0, 0, 0, Validation.ChinaOffset), tally.NextDevelopmentOverdueAfter(new DateTimeOffset(2026, 1, 20, 0, 0, 0, Validation.ChinaOffset)));
        Assert.Equal(2, tally.DevelopmentOverdueOn(new DateOnly(2026, 12, 2)));
        Assert.Null(tally.NextDevelopmentOverdueAfter(new DateTimeOffset(2026, 12, 2, 0, 0, 0, Validation.ChinaOffset)));
        // The talk held: the step is no longer due; a newer report replaces the old one.
        tally.Apply(applicant, -1);
        tally.Apply(Registers.Applicants.Contribute("FZ1", P("2025-12-20", talked: "2026-01-05"), 2), +1);
        Assert.Equal(1, tally.DevelopmentOverdueOn(new DateOnly(2026, 12, 2)));
    }

    [Fact]
    public void The_summary_counts_stages_and_this_years_new_members_in_Chinas_year()
    {
        var tally = new CountyTally(false);
        var ledger = new CountyLedger();
        void Add(string id, ApplicantProfile p)
        {
            var c = Registers.Applicants.Contribute(id, p with { ApplicantId = id }, 1);
            Assert.True(ledger.TryReplace(c, out _));
            tally.Apply(c, +1);
        }
        Add("A", P("2025-11-20"));
        Add("B", P("2025-01-02", "2025-01-10", "2025-02-01"));
        Add("C", P("2024-01-02", "2024-01-10", "2024-02-01", "2025-02-01"));
        Add("D", P("2024-01-02", "2024-01-10", "2024-02-01", "2025-02-01", "2025-12-31"));
        Add("E", P("2023-01-02", "2023-01-10", "2023-02-01", "2024-02-01", "2024-12-31", full: "2025-12-31"));
        Add("F", P("2025-01-02", "2025-01-10", withdrawn: "2025-03-01"));
        var profile = new CountyProfile("621122", "陇西县", "定西市", "甘肃省");
        // 2025-12-31 23:30 in China: still 2025 there, although 2026 has begun nowhere yet in UTC either way.
        var d = CountyFigures.Summarize(profile, tally, ledger, 1, new DateTimeOffset(2025, 12, 31, 15, 30, 0, TimeSpan.Zero)).Development;
        Assert.Equal((2025, 1, 1, 1, 1, 1, 1), (d.Year, d.Applicants, d.Activists, d.Candidates, d.Probationary, d.NewProbationaryThisYear, d.NewFullThisYear));
        Assert.Equal(1, d.Overdue); // A's talk, due by 2025-12-20
        // Half an hour later it is 2026 in China: none new yet this year.
        d = CountyFigures.Summarize(profile, tally, ledger, 2, new DateTimeOffset(2025, 12, 31, 16, 0, 0, TimeSpan.Zero)).Development;
        Assert.Equal((2026, 0, 0), (d.Year, d.NewProbationaryThisYear, d.NewFullThisYear));
    }

    [Fact]
    public void The_people_are_read_by_the_committee_and_their_stations_staff_and_no_overseer()
    {
        var committee = new Actor("a", Roles.CountyAdmin, Scope.Parse("county:621122"));
        var staff = new Actor("s", Roles.StationStaff, Scope.Parse("county:621122"), "LX-01");
        var overseer = new Actor("o", Roles.ProvinceOverseer, Scope.Parse("province:620000"));
        Assert.True(overseer.MayRead("621122"));
        Assert.False(overseer.MayReadPersonal("621122"));
        Assert.False(overseer.MayReadPersonal("621122", "LX-01"));
        Assert.False(new Actor("d", Roles.Display, Scope.Parse("county:621122")).MayReadPersonal("621122"));
        Assert.False(new Actor("n", Roles.StationStaff, Scope.Parse("county:621122")).MayReadPersonal("621122"));
        Assert.True(committee.MayReadPersonal("621122", null));
        Assert.Null(committee.PersonalStation("621122"));
        Assert.True(staff.MayReadPersonal("621122", "LX-01"));
        Assert.False(staff.MayReadPersonal("621122", "LX-02"));
        Assert.False(staff.MayReadPersonal("621122", null));
        Assert.False(staff.MayReadPersonal("620521"));
        Assert.Equal("LX-01", staff.PersonalStation("621122"));
        Assert.True(staff.MayChange("621122", EntityKind.Applicant, true, "LX-01", "LX-01"));
        Assert.False(staff.MayChange("621122", EntityKind.Applicant, true, "LX-01", "LX-02"));
        Assert.False(staff.MayChange("621122", EntityKind.Applicant, false, null, null));
        Assert.True(Registers.Applicants.Personal);
    }

    [Fact]
    public void Longxi_developed_33_members_in_two_years_and_every_demo_applicant_keeps_the_rules()
    {
        var demo = Register("621122");
        var today = Validation.Today(Now);
        foreach (var a in demo.Applicants)
        {
            var v = Registers.Applicants.Validate(a, today);
            Assert.True(v.IsValid, $"{a}: {string.Join("; ", v.Errors.Select(e => $"{e.Key} {string.Join(", ", e.Value.Select(w => w.En))}"))}");
            var host = demo.Enterprises.Single(e => e.CreditCode == a.CreditCode);
            Assert.Equal((host.Organisation.OrganisationId, host.StationId), (a.OrganisationId, a.StationId));
        }
        Assert.Equal(demo.Applicants.Count, demo.Applicants.Select(a => a.ApplicantId).Distinct().Count());
        Assert.Equal(33, demo.Applicants.Count(a => a.ProbationaryOn > today.AddYears(-2)));
        var d = Summarize(demo).Development;
        Assert.Equal(2, d.Overdue); // a talk not held and a probation ended a few days ago with no decision
        Assert.True(d.NewProbationaryThisYear is > 0 and <= 17, $"{d.NewProbationaryThisYear} new probationary this year");
        Assert.True(d.NewFullThisYear is > 0 and <= 17, $"{d.NewFullThisYear} new full this year");
        Assert.True(d.Applicants > 0 && d.Activists > 0 && d.Candidates > 0 && d.Probationary > 0);
        Assert.Contains(demo.Applicants, a => a.ExtendedMonths is not null && a.FullOn is not null);
        // The same day gives the same applicants.
        Assert.Equal(demo.Applicants, Register("621122").Applicants);
        // Counties whose seeds say nothing of development have none.
        Assert.Empty(Register("620521").Applicants);
    }
}
