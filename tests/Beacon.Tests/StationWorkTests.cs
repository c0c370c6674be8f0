using Beacon.Grains.Figures;
using Beacon.Rules;
using Beacon.Tests.Infrastructure;

namespace Beacon.Tests;

/// <summary>
/// Stations' monthly duties, their strength, sub-stations, organisations' evaluations and instructors' ratings, kept
/// through the entity grains and counted by the county (issue 18's activity that had no figures).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class StationWorkTests(ClusterFixture fixture)
{
    private Task<Tenant> NewCountyAsync(string code) => Tenant.CreateAsync(fixture.Client, code);
    private static readonly Actor Actor = Tenant.Actor;

    private static DateOnly ChinaToday => Validation.Today(DateTimeOffset.UtcNow);
    private static DateOnly LastMonth => new DateOnly(ChinaToday.Year, ChinaToday.Month, 1).AddMonths(-1);

    // ---- the rules ----

    [Fact]
    public void The_months_kept_are_the_newest_and_the_one_before_whatever_the_order_of_the_records()
    {
        var jan = OrganisationalLife.MonthIndex(2026, 1);
        Assert.Equal([jan + 1, jan + 2], StationWork.Kept([jan + 2, jan, jan + 1, jan + 2]));
        Assert.Equal([jan], StationWork.Kept([jan]));
        Assert.Empty(StationWork.Kept([]));
        // Only the staff meeting (例会) is the station's monthly duty.
        var meetings = new[]
        {
            new StationMeeting(new DateOnly(2026, 3, 5), MeetingKind.ThemedPartyDay, 9, "主题党日"),
            new StationMeeting(new DateOnly(2026, 2, 5), MeetingKind.StaffMeeting, 9, "例会"),
        };
        Assert.Equal([jan + 1], StationWork.MeetingMonths(meetings));
        Assert.Equal([jan + 10, jan + 11], StationWork.ReportMonths([new("2026-10", "月报", []), new("2026-12", "月报", []), new("2026-11", "月报", [])]));
        Assert.Null(StationWork.MonthOf("2026-13"));
        Assert.Null(StationWork.MonthOf("202611"));
        Assert.Equal(jan + 10, StationWork.MonthOf("2026-11"));
    }

    [Theory]
    [InlineData(5, true)]
    [InlineData(6, false)]
    [InlineData(10, false)]
    [InlineData(11, true)]
    [InlineData(0, true)]
    public void A_station_is_outside_its_strength_below_6_or_above_10_full_time(int fullTime, bool outside)
    {
        Assert.Equal(6, Registers.MinStationFullTime);
        Assert.Equal(10, Registers.MaxStationFullTime);
        Assert.Equal(outside, Registers.StrengthOutsideRange(fullTime));
    }

    [Fact]
    public void An_evaluation_takes_a_year_that_has_begun_a_rating_and_a_short_note()
    {
        var today = new DateOnly(2026, 12, 2);
        Assert.True(ActivityRules.Evaluation(new(2025, EvaluationRating.Good), today).IsValid);
        Assert.True(ActivityRules.Evaluation(new(2026, EvaluationRating.Poor, "整改中"), today).IsValid);
        Assert.Equal(["year"], ActivityRules.Evaluation(new(2027, EvaluationRating.Good), today).Errors.Keys);
        Assert.Equal(["year"], ActivityRules.Evaluation(new(1999, EvaluationRating.Good), today).Errors.Keys);
        Assert.Equal(["rating"], ActivityRules.Evaluation(new(2025, (EvaluationRating)9), today).Errors.Keys);
        Assert.Equal(["note"], ActivityRules.Evaluation(new(2025, EvaluationRating.Good, new string('好', 501)), today).Errors.Keys);
    }

    [Fact]
    public void The_good_share_is_of_the_organisations_evaluated_that_year()
    {
        // 陇西's survey: 26% good, 62% fairly good, 12% average.
        var figures = CountyFigures.Evaluations(2025, 13, 31, 6, 0);
        Assert.Equal(50, figures.Evaluated);
        Assert.Equal(0.26, figures.GoodShare);
        Assert.Equal(0, CountyFigures.Evaluations(null, 0, 0, 0, 0).GoodShare);
    }

    [Fact]
    public void Last_months_duties_follow_the_calendar_with_no_report_from_the_station()
    {
        // A station that held its 例会 and sent its report in November 2026, asked in December, then in January.
        var november = OrganisationalLife.MonthIndex(2026, 11);
        var ledger = new CountyLedger();
        Assert.True(ledger.TryReplace(new StationContribution("s1", 3, false, "站", ["城关镇"], 0, MeetingMonths: [november], ReportMonths: [november - 1, november]), out _));
        var tally = new CountyTally(false);
        var profile = new CountyProfile("130199", "县", "市", "河北省");
        StationWorkFigures At(int year, int month, int day) =>
            CountyFigures.Summarize(profile, tally, ledger, 1, new DateTimeOffset(year, month, day, 0, 30, 0, Validation.ChinaOffset)).StationWork;

        // At 00:30 on 1 December in China (still 30 November in UTC) the figure is about November already.
        Assert.Equal(new StationWorkFigures("2026-11", 1, 1, 1, 1, 1, 1), At(2026, 12, 1));
        // On 1 January the last closed month is December: neither was done in it.
        Assert.Equal(new StationWorkFigures("2026-12", 1, 0, 0, 0, 0, 1), At(2027, 1, 1));
    }

    // ---- through the grains ----

    [Fact]
    public async Task An_annual_assessment_of_an_earlier_year_does_not_replace_the_rating_of_the_latest_year()
    {
        var t = await NewCountyAsync("130101");
        await t.OkAsync(new InstructorProfile("i1", "甲", FullTime: true));
        var instructor = t.Instructor("i1");
        await t.OkAsync(instructor.AssessAsync(new Assessment(AssessmentKind.Annual, "2025", 93, AssessmentRating.Excellent), Actor));
        Assert.Equal(new AssessmentFigures(1, 0, 0, 0), (await t.SummaryAsync()).Assessments);

        // Last year's is entered after this year's (taken over from paper): the instructor is still rated for 2025.
        await t.OkAsync(instructor.AssessAsync(new Assessment(AssessmentKind.Annual, "2024", 66, AssessmentRating.BasicallyCompetent), Actor));
        Assert.Equal(new AssessmentFigures(1, 0, 0, 0), (await t.SummaryAsync()).Assessments);
        Assert.Equal(AssessmentRating.Excellent, (await instructor.GetAsync())!.Value.Rating);

        // A daily assessment is evidence, not a grade; a corrected 2025 one moves the instructor between grades.
        await t.OkAsync(instructor.AssessAsync(new Assessment(AssessmentKind.Daily, "2026-03", 50, AssessmentRating.Incompetent), Actor));
        Assert.Equal(new AssessmentFigures(1, 0, 0, 0), (await t.SummaryAsync()).Assessments);
        await t.OkAsync(instructor.AssessAsync(new Assessment(AssessmentKind.Annual, "2025", 82, AssessmentRating.Competent), Actor));
        Assert.Equal(new AssessmentFigures(0, 1, 0, 0), (await t.SummaryAsync()).Assessments);
        Assert.Equal(4, (await instructor.GetActivityAsync())!.Assessments.Length);
    }

    [Fact]
    public async Task A_second_report_for_a_month_is_its_revision_and_keeps_the_first()
    {
        var t = await NewCountyAsync("130102");
        await t.StationAsync("s1", "城关镇");
        var station = t.Station("s1");
        var month = LastMonth.ToString("yyyy-MM");
        var first = await station.SubmitMonthlyReportAsync(new MonthlyReport(month, "第一稿", []), Actor);
        Assert.Equal((ChangeOutcome.Created, 1L), (first.Outcome, first.Version));
        var second = await station.SubmitMonthlyReportAsync(new MonthlyReport(month, "修订稿", []), Actor);
        Assert.Equal((ChangeOutcome.Updated, 1L), (second.Outcome, second.Version));

        var activity = (await station.GetActivityAsync())!;
        var report = Assert.Single(activity.Reports);
        Assert.Equal(("修订稿", 2), (report.Summary, report.Revision));
        var revision = Assert.Single(activity.Revisions!);
        Assert.Equal(("第一稿", 1), (revision.Summary, revision.Revision));
        Assert.NotNull(report.SubmittedAt);

        var s = await t.SummaryAsync();
        Assert.Equal((1, 0, 1), (s.StationWork.Stations, s.StationWork.HeldMeeting, s.StationWork.SentReport));
        Assert.True(Assert.Single(s.StationLinkage).SentReport);
    }

    [Fact]
    public async Task A_report_naming_an_issue_the_county_does_not_hold_is_refused_by_its_field()
    {
        var t = await NewCountyAsync("130103");
        await t.StationAsync("s1", "城关镇");
        await t.OkAsync(Ent.Of(t.CreditCode(1), station: "s1", township: "城关镇"));
        var issue = await t.RaiseAsync(t.CreditCode(1));
        var station = t.Station("s1");
        var refused = await station.SubmitMonthlyReportAsync(new MonthlyReport(LastMonth.ToString("yyyy-MM"), "月报", [issue, "Q-9999"]), Actor);
        Assert.Equal(ChangeOutcome.Invalid, refused.Outcome);
        Assert.Equal(["issuesForCounty[1]"], refused.Errors!.Keys);
        Assert.Contains("Q-9999", refused.Errors["issuesForCounty[1]"][0].Zh);
        Assert.Empty((await station.GetActivityAsync())!.Reports);
        await t.OkAsync(station.SubmitMonthlyReportAsync(new MonthlyReport(LastMonth.ToString("yyyy-MM"), "月报", [issue]), Actor));
    }

    [Fact]
    public async Task Last_months_meeting_and_report_and_the_strength_flag_are_counted_per_station_and_for_the_county()
    {
        var t = await NewCountyAsync("130104");
        await t.StationAsync("s1", "东镇");
        await t.StationAsync("s2", "西镇");
        for (var k = 0; k < 6; k++) await t.OkAsync(new InstructorProfile($"a{k}", $"甲{k}", FullTime: true, StationId: "s1", DutyDaysPerWeek: 5));
        for (var k = 0; k < 3; k++) await t.OkAsync(new InstructorProfile($"b{k}", $"乙{k}", FullTime: true, StationId: "s2", DutyDaysPerWeek: 5));
        // Part-time instructors do not make up a station's full-time strength.
        for (var k = 0; k < 4; k++) await t.OkAsync(new InstructorProfile($"c{k}", $"丙{k}", FullTime: false, StationId: "s2"));

        await t.OkAsync(t.Station("s1").RecordMeetingAsync(new StationMeeting(LastMonth.AddDays(4), MeetingKind.StaffMeeting, 8, "例会"), Actor));
        // s2 held a 主题党日 only last month, and its 例会 this month: neither is last month's duty.
        await t.OkAsync(t.Station("s2").RecordMeetingAsync(new StationMeeting(LastMonth.AddDays(6), MeetingKind.ThemedPartyDay, 8, "主题党日"), Actor));
        await t.OkAsync(t.Station("s2").RecordMeetingAsync(new StationMeeting(ChinaToday, MeetingKind.StaffMeeting, 8, "例会"), Actor));
        await t.OkAsync(t.Station("s2").SubmitMonthlyReportAsync(new MonthlyReport(LastMonth.ToString("yyyy-MM"), "月报", []), Actor));

        var s = await t.SummaryAsync();
        Assert.Equal(new StationWorkFigures(LastMonth.ToString("yyyy-MM"), 2, 1, 0.5, 1, 0.5, 1), s.StationWork);
        var s1 = s.StationLinkage.Single(x => x.StationId == "s1");
        var s2 = s.StationLinkage.Single(x => x.StationId == "s2");
        Assert.Equal((true, false, false), (s1.HeldMeeting, s1.SentReport, s1.StrengthOutsideRange));
        Assert.Equal((false, true, true), (s2.HeldMeeting, s2.SentReport, s2.StrengthOutsideRange));

        // The rebuild from the stations finds what the county counted.
        var report = await t.County.ReconcileAsync();
        Assert.Empty(report.ChildrenCorrected);
        Assert.DoesNotContain(report.Differences, d => d.Figure.StartsWith("station", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sub_station_hangs_under_a_station_that_is_not_itself_one_and_never_in_a_cycle()
    {
        var t = await NewCountyAsync("130105");
        await t.StationAsync("main", "城关镇");
        await t.OkAsync(new StationProfile("sub", "杭埠分站", ["杭埠镇"], ParentStationId: "main", Premises: new StationPremises(120.5m, 3.5m)));
        Assert.Equal("main", (await t.SummaryAsync()).StationLinkage.Single(s => s.StationId == "sub").ParentStationId);

        var underSub = await t.PutAsync(new StationProfile("subsub", "分站的分站", ["千人桥镇"], ParentStationId: "sub"));
        Assert.Equal(["parentStationId"], underSub.Errors!.Keys);
        var cycle = await t.PutAsync(new StationProfile("main", "站main", ["城关镇"], ParentStationId: "sub"));
        Assert.Equal(ChangeOutcome.Invalid, cycle.Outcome);
        Assert.Equal(["parentStationId"], cycle.Errors!.Keys);
        // A station with sub-stations cannot become one itself: they would be two levels down.
        await t.StationAsync("top2", "舒茶镇");
        var withSubs = await t.PutAsync(new StationProfile("main", "站main", ["城关镇"], ParentStationId: "top2"));
        Assert.Equal(["parentStationId"], withSubs.Errors!.Keys);
        Assert.Contains("sub", withSubs.Errors["parentStationId"][0].Zh);
        var self = await t.PutAsync(new StationProfile("main", "站main", ["城关镇"], ParentStationId: "main"));
        Assert.Equal(["parentStationId"], self.Errors!.Keys);
        var nowhere = await t.PutAsync(new StationProfile("x", "站x", ["百神庙镇"], ParentStationId: "no-such"));
        Assert.Equal(["parentStationId"], nowhere.Errors!.Keys);
        var premises = await t.PutAsync(new StationProfile("y", "站y", ["春秋乡"], Premises: new StationPremises(-1, 100_001)));
        Assert.Equal(["premises.areaM2", "premises.funds"], premises.Errors!.Keys.Order());
        // A station with a sub-station is not removed from under it.
        Assert.Equal(ChangeOutcome.Invalid, (await t.Station("main").DeleteAsync(Actor)).Outcome);
    }

    [Fact]
    public async Task Evaluations_count_the_latest_year_and_a_revision_moves_an_organisation_between_ratings()
    {
        var t = await NewCountyAsync("130106");
        for (var k = 0; k < 4; k++) await t.OrganisationAsync($"o{k}");
        await t.OkAsync(t.Organisation("o0").EvaluateAsync(new(2024, EvaluationRating.Poor), Actor));
        Assert.Equal(new EvaluationFigures(2024, 1, 0, 0, 0, 1, 0), (await t.SummaryAsync()).Evaluations);

        await t.OkAsync(t.Organisation("o0").EvaluateAsync(new(2025, EvaluationRating.Good), Actor));
        await t.OkAsync(t.Organisation("o1").EvaluateAsync(new(2025, EvaluationRating.FairlyGood), Actor));
        await t.OkAsync(t.Organisation("o2").EvaluateAsync(new(2025, EvaluationRating.Average, "活动阵地不足"), Actor));
        // o3 was evaluated in 2024 only: it is not among 2025's.
        await t.OkAsync(t.Organisation("o3").EvaluateAsync(new(2024, EvaluationRating.Good), Actor));
        Assert.Equal(new EvaluationFigures(2025, 3, 1, 1, 1, 0, 0.3333), (await t.SummaryAsync()).Evaluations);

        var revised = await t.Organisation("o2").EvaluateAsync(new(2025, EvaluationRating.Good, "复核后改评"), Actor);
        Assert.Equal(ChangeOutcome.Updated, revised.Outcome);
        Assert.Equal(new EvaluationFigures(2025, 3, 2, 1, 0, 0, 0.6667), (await t.SummaryAsync()).Evaluations);
        var activity = (await t.Organisation("o2").GetActivityAsync())!;
        Assert.Equal((2025, EvaluationRating.Good, 2), (activity.Evaluations![0].Year, activity.Evaluations[0].Rating, activity.Evaluations[0].Revision));
        Assert.Equal(EvaluationRating.Average, Assert.Single(activity.EvaluationRevisions!).Rating);

        // An organisation removed takes its evaluation out of the figure.
        await t.OkAsync(t.Organisation("o1").DeleteAsync(Actor));
        Assert.Equal(new EvaluationFigures(2025, 2, 2, 0, 0, 0, 1), (await t.SummaryAsync()).Evaluations);
        var report = await t.County.ReconcileAsync();
        Assert.DoesNotContain(report.Differences, d => d.Figure.StartsWith("evaluations", StringComparison.Ordinal));
    }
}
