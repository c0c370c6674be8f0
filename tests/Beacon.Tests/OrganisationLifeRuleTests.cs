using Beacon.Grains.Figures;
using Beacon.Rules;
using Beacon.Tests.Infrastructure;
using static Beacon.OrganisationMeetingKind;

namespace Beacon.Tests;

/// <summary>
/// Organisational life (三会一课) as a rule: which meetings are due in a month, the quarter's and the year's, and how
/// the county counts them for whatever month is the last closed one when it publishes.
/// </summary>
public sealed class OrganisationLifeRuleTests
{
    private static OrganisationMeeting M(int year, int month, int day, OrganisationMeetingKind kind) =>
        new(new DateOnly(year, month, day), kind, 10, 8, "学习");

    /// <summary>The three meetings due every month, in that month.</summary>
    private static OrganisationMeeting[] Monthly(int year, int month) =>
        [M(year, month, 5, CommitteeMeeting), M(year, month, 12, GroupMeeting), M(year, month, 20, ThemedPartyDay)];

    [Fact]
    public void A_month_needs_a_committee_meeting_a_group_meeting_and_a_themed_party_day_in_it()
    {
        Assert.True(OrganisationalLife.Compliant(Monthly(2026, 11), 2026, 11));
        foreach (var missing in new[] { CommitteeMeeting, GroupMeeting, ThemedPartyDay })
            Assert.False(OrganisationalLife.Compliant(Monthly(2026, 11).Where(m => m.Kind != missing), 2026, 11), $"{missing} missing");
        // Held the month before or after is not held in the month.
        Assert.False(OrganisationalLife.Compliant([.. Monthly(2026, 10), .. Monthly(2026, 12)], 2026, 11));
        // Nothing else is due outside a quarter's last month, and more meetings than due do no harm.
        Assert.True(OrganisationalLife.Compliant([.. Monthly(2026, 11), M(2026, 11, 25, CommitteeMeeting), M(2026, 11, 26, PartyLecture)], 2026, 11));
        Assert.False(OrganisationalLife.Compliant([], 2026, 11));
    }

    [Fact]
    public void A_quarters_last_month_needs_a_member_assembly_and_a_party_lecture_held_within_that_quarter()
    {
        var march = Monthly(2026, 3);
        Assert.False(OrganisationalLife.Compliant(march, 2026, 3));
        Assert.False(OrganisationalLife.Compliant([.. march, M(2026, 3, 28, MemberAssembly)], 2026, 3));
        Assert.False(OrganisationalLife.Compliant([.. march, M(2026, 3, 28, PartyLecture)], 2026, 3));
        Assert.True(OrganisationalLife.Compliant([.. march, M(2026, 3, 28, MemberAssembly), M(2026, 3, 29, PartyLecture)], 2026, 3));
        // Earlier in the quarter counts: a lecture in January is March's.
        Assert.True(OrganisationalLife.Compliant([.. march, M(2026, 2, 10, MemberAssembly), M(2026, 1, 8, PartyLecture)], 2026, 3));
        // The quarter before does not: December's lecture was the last quarter's.
        Assert.False(OrganisationalLife.Compliant([.. march, M(2026, 2, 10, MemberAssembly), M(2025, 12, 30, PartyLecture)], 2026, 3));
        // Nor does the next quarter's: April's assembly is June's.
        Assert.False(OrganisationalLife.Compliant([.. march, M(2026, 3, 20, PartyLecture), M(2026, 4, 1, MemberAssembly)], 2026, 3));
        // Each quarter's last month: 6, 9 and 12 as 3.
        foreach (var month in new[] { 6, 9 })
        {
            Assert.False(OrganisationalLife.Compliant(Monthly(2026, month), 2026, month));
            Assert.True(OrganisationalLife.Compliant([.. Monthly(2026, month), M(2026, month - 2, 3, MemberAssembly), M(2026, month - 1, 3, PartyLecture)], 2026, month));
        }
        // In the quarter's other months the quarterly meetings are not yet due.
        Assert.True(OrganisationalLife.Compliant(Monthly(2026, 1), 2026, 1));
        Assert.True(OrganisationalLife.Compliant(Monthly(2026, 2), 2026, 2));
    }

    [Fact]
    public void December_needs_the_years_life_meeting_as_well_as_the_quarters()
    {
        OrganisationMeeting[] december = [.. Monthly(2026, 12), M(2026, 10, 15, MemberAssembly), M(2026, 11, 15, PartyLecture)];
        Assert.False(OrganisationalLife.Compliant(december, 2026, 12));
        Assert.True(OrganisationalLife.Compliant([.. december, M(2026, 12, 28, LifeMeeting)], 2026, 12));
        // Held earlier in the year counts, last year's does not.
        Assert.True(OrganisationalLife.Compliant([.. december, M(2026, 3, 1, LifeMeeting)], 2026, 12));
        Assert.False(OrganisationalLife.Compliant([.. december, M(2025, 12, 28, LifeMeeting)], 2026, 12));
        // A life meeting is no quarterly meeting.
        Assert.False(OrganisationalLife.Compliant([.. Monthly(2026, 12), M(2026, 12, 28, LifeMeeting)], 2026, 12));
    }

    [Fact]
    public void January_is_judged_by_januarys_meetings_alone()
    {
        OrganisationMeeting[] december = [.. Monthly(2025, 12), M(2025, 12, 1, MemberAssembly), M(2025, 12, 2, PartyLecture), M(2025, 12, 3, LifeMeeting)];
        Assert.True(OrganisationalLife.Compliant(december, 2025, 12));
        Assert.False(OrganisationalLife.Compliant(december, 2026, 1));
        Assert.True(OrganisationalLife.Compliant([.. december, .. Monthly(2026, 1)], 2026, 1));
        // And the next December does not lean on this year's life meeting.
        Assert.False(OrganisationalLife.Compliant([.. december, .. Monthly(2026, 12), M(2026, 11, 1, MemberAssembly), M(2026, 11, 2, PartyLecture)], 2026, 12));
    }

    [Fact]
    public void Every_kind_has_a_chinese_label()
    {
        Assert.Equal(["支委会", "党小组会", "党员大会", "党课", "主题党日", "组织生活会"],
            Enum.GetValues<OrganisationMeetingKind>().Select(k => OrganisationalLife.Label(k).Zh));
    }

    [Fact]
    public void The_contribution_keeps_the_months_from_january_of_the_year_of_the_month_before_the_newest_meeting()
    {
        // A meeting in January 2026: the last closed month may be December 2025, which reads all of 2025.
        var held = OrganisationalLife.Held([.. Monthly(2024, 6), .. Monthly(2025, 1), .. Monthly(2025, 12), M(2026, 1, 3, CommitteeMeeting)]);
        Assert.Equal(["2025-01", "2025-12", "2026-01"], OrganisationalLife.Kept(held).Select(h => OrganisationalLife.Name(h.Month)));
        // A meeting in February: the last closed month is January at the earliest, which reads 2026 alone.
        Assert.Equal(["2026-02"], OrganisationalLife.Kept(OrganisationalLife.Held([.. Monthly(2025, 1), .. Monthly(2025, 12), M(2026, 2, 3, CommitteeMeeting)]))
            .Select(h => OrganisationalLife.Name(h.Month)));
    }

    [Fact]
    public void A_meeting_is_refused_by_field()
    {
        var today = new DateOnly(2026, 12, 2);
        var good = new OrganisationMeeting(today, CommitteeMeeting, 10, 10, "支委会");
        Assert.True(ActivityRules.OrganisationMeeting(good, today, null).IsValid);

        void Refused(OrganisationMeeting m, string field, DateOnly? established = null)
        {
            var v = ActivityRules.OrganisationMeeting(m, today, established);
            Assert.False(v.IsValid);
            Assert.Equal([field], v.Errors.Keys);
            Assert.All(v.Errors[field], why => Assert.False(string.IsNullOrEmpty(why.Zh) || string.IsNullOrEmpty(why.En)));
        }
        Refused(good with { Attended = 11 }, "attended");
        Refused(good with { Attended = -1 }, "attended");
        Refused(good with { Expected = 0, Attended = 0 }, "expected");
        Refused(good with { Date = today.AddDays(1) }, "date");
        Refused(good with { Date = new DateOnly(1999, 12, 31) }, "date");
        Refused(good with { Date = new DateOnly(2026, 5, 1) }, "date", established: new DateOnly(2026, 6, 1));
        Refused(good with { Kind = (OrganisationMeetingKind)42 }, "kind");
        Refused(good with { Topic = "" }, "topic");
        Refused(good with { Topic = "   " }, "topic");
        Refused(good with { Topic = new string('学', 201) }, "topic");
    }

    // ---- The county's count, for whatever month is the last closed one ----

    private static readonly CountyProfile Profile = new("620521", "清水县", "天水市", "甘肃省");

    /// <summary>Noon, China time, on the day.</summary>
    private static DateTimeOffset On(int year, int month, int day) => new(year, month, day, 12, 0, 0, Validation.ChinaOffset);

    private static OrganisationContribution Org(string id, long version, DateOnly? since, string? station, params OrganisationMeeting[] meetings) =>
        new(id, version, false, $"党组织{id}", OrganisationKind.Branch, OrganisationHost.Joint, null, station, null, since,
            OrganisationalLife.Kept(OrganisationalLife.Held(meetings)));

    private static (CountyTally, CountyLedger) Tally(params Contribution[] contributions)
    {
        var tally = new CountyTally(false);
        var ledger = new CountyLedger();
        foreach (var c in contributions)
        {
            if (!ledger.TryReplace(c, out var previous)) continue;
            if (previous is not null) tally.Apply(previous, -1);
            tally.Apply(c, +1);
        }
        return (tally, ledger);
    }

    [Fact]
    public void The_figure_is_about_the_last_closed_month_and_follows_the_calendar_without_a_report()
    {
        var (t, ledger) = Tally(
            new StationContribution("S1", 1, false, "站一", ["镇一"], 0),
            Org("A", 1, new DateOnly(2020, 1, 1), "S1", [.. Monthly(2026, 10), .. Monthly(2026, 11)]),
            Org("B", 1, new DateOnly(2020, 1, 1), null, [.. Monthly(2026, 11)]),
            // Established in November: counted from November on.
            Org("C", 1, new DateOnly(2026, 11, 30), "S1", [.. Monthly(2026, 11)]),
            // Established in December: not counted for November.
            Org("D", 1, new DateOnly(2026, 12, 1), null),
            // Stored before Beacon kept the day: counted for every month.
            Org("E", 1, null, null, [.. Monthly(2026, 10)]));

        var november = CountyFigures.Summarize(Profile, t, ledger, 1, On(2026, 12, 2));
        Assert.Equal(new OrgLifeFigures("2026-11", 4, 3, 0.75), november.OrgLife);
        Assert.Equal(new OrgLifeFigures("2026-11", 2, 2, 1), Assert.Single(november.StationLinkage).OrgLife);

        // In November, October is the month: A and E held theirs; B existed too, C did not yet.
        var october = CountyFigures.Summarize(Profile, t, ledger, 1, On(2026, 11, 15));
        Assert.Equal(new OrgLifeFigures("2026-10", 3, 2, Math.Round(2.0 / 3, 4)), october.OrgLife);

        // In January, December is the month: a quarter's and the year's last, held by nobody; D counts now.
        var december = CountyFigures.Summarize(Profile, t, ledger, 1, On(2027, 1, 1));
        Assert.Equal(new OrgLifeFigures("2026-12", 5, 0, 0), december.OrgLife);

        // The month turns at China's midnight, not UTC's.
        Assert.Equal("2026-11", CountyFigures.Summarize(Profile, t, ledger, 1, new DateTimeOffset(2026, 11, 30, 16, 0, 0, TimeSpan.Zero)).OrgLife.Month);
        Assert.Equal("2026-10", CountyFigures.Summarize(Profile, t, ledger, 1, new DateTimeOffset(2026, 11, 30, 15, 59, 0, TimeSpan.Zero)).OrgLife.Month);
    }

    [Fact]
    public void The_county_publishes_again_at_chinas_midnight_when_a_month_begins()
    {
        var turn = new DateTimeOffset(2026, 12, 31, 16, 0, 0, TimeSpan.Zero);
        Assert.Equal(turn, OrganisationalLife.MonthTurnsAfter(new DateTimeOffset(2026, 12, 2, 4, 0, 0, TimeSpan.Zero)));
        Assert.Equal(turn, OrganisationalLife.MonthTurnsAfter(turn.AddTicks(-1)));
        Assert.Equal(new DateTimeOffset(2027, 1, 31, 16, 0, 0, TimeSpan.Zero), OrganisationalLife.MonthTurnsAfter(turn));
        // At the turn the figure is about the month just ended.
        Assert.Equal("2026-11", OrganisationalLife.Name(OrganisationalLife.LastClosedMonth(Validation.Today(turn.AddTicks(-1)))));
        Assert.Equal("2026-12", OrganisationalLife.Name(OrganisationalLife.LastClosedMonth(Validation.Today(turn))));
    }

    [Fact]
    public void A_newer_report_replaces_the_organisations_months_and_a_removal_takes_them_away()
    {
        var since = new DateOnly(2020, 1, 1);
        var (t, ledger) = Tally(
            Org("A", 1, since, "S1", [.. Monthly(2026, 11)[..2]]),
            Org("A", 2, since, "S1", [.. Monthly(2026, 11)]));
        Assert.Equal(new OrgLifeFigures("2026-11", 1, 1, 1), CountyFigures.Summarize(Profile, t, ledger, 1, On(2026, 12, 2)).OrgLife);

        // A late report of the first version changes nothing.
        var late = Org("A", 1, since, "S1");
        Assert.False(ledger.TryReplace(late, out _));

        var removed = new OrganisationContribution("A", 3, true, "", OrganisationKind.Branch, OrganisationHost.Joint, null, null, null);
        Assert.True(ledger.TryReplace(removed, out var previous));
        t.Apply(previous!, -1);
        t.Apply(removed, +1);
        Assert.Equal(new OrgLifeFigures("2026-11", 0, 0, 0), CountyFigures.Summarize(Profile, t, ledger, 1, On(2026, 12, 2)).OrgLife);
    }

    [Fact]
    public void A_meeting_dated_before_the_organisation_counts_nothing_for_that_month()
    {
        // Its establishedOn moved later than meetings already held: not counted for the month, so not compliant in it.
        var (t, ledger) = Tally(Org("A", 1, new DateOnly(2026, 12, 1), null, [.. Monthly(2026, 11)]));
        Assert.Equal(new OrgLifeFigures("2026-11", 0, 0, 0), CountyFigures.Summarize(Profile, t, ledger, 1, On(2026, 12, 2)).OrgLife);
    }

    [Fact]
    public void The_totals_of_several_counties_sum_one_months_organisations()
    {
        CountySummary Row(string code, string month, int organisations, int compliant)
        {
            var (t, ledger) = Tally();
            var s = CountyFigures.Summarize(Profile with { Code = code }, t, ledger, 1, On(2026, 12, 2));
            return s with { OrgLife = new OrgLifeFigures(month, organisations, compliant, 0) };
        }
        var totals = CountyFigures.Totals("620000", "甘肃省", "620000", "甘肃省", "620000",
            [Row("620521", "2026-11", 10, 4), Row("621122", "2026-11", 30, 6), Row("620522", "2026-10", 99, 99)], 1, On(2026, 12, 2));
        Assert.Equal(new OrgLifeFigures("2026-11", 40, 10, 0.25), totals.OrgLife);
    }
}

/// <summary>
/// An organisation's meetings through its grain, in the in-process cluster: kept apart from its profile, reported to
/// its county, counted for the last closed month (whatever month it is when the test runs), and rebuilt the same.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class OrganisationLifeGrainTests(ClusterFixture fixture)
{
    private static DateOnly Today => Validation.Today(DateTimeOffset.UtcNow);
    private static int LastClosed => OrganisationalLife.LastClosedMonth(Today);

    /// <summary>Every kind, each on a day of the last closed month: whatever month that is, all that is due.</summary>
    private static OrganisationMeeting[] EverythingDue() =>
        [.. Enum.GetValues<OrganisationMeetingKind>().Select((k, i) => new OrganisationMeeting(OrganisationalLife.FirstDay(LastClosed).AddDays(i), k, 12, 10, $"{OrganisationalLife.Label(k).Zh}学习"))];

    [Fact]
    public async Task Meetings_make_an_organisation_compliant_for_the_last_closed_month_and_the_reconcile_finds_the_same()
    {
        var t = await Tenant.CreateAsync(fixture.Client, "110611");
        await t.StationAsync("S1", "一镇");
        await t.OkAsync(new OrganisationProfile("O1", "党组织O1", OrganisationKind.Branch, OrganisationHost.Joint, StationId: "S1", EstablishedOn: new DateOnly(2020, 1, 1)));
        // Entered today without an establishedOn: it did not exist in the last closed month.
        await t.OkAsync(new OrganisationProfile("O2", "党组织O2", OrganisationKind.Branch, OrganisationHost.Joint));

        var before = await t.SummaryAsync();
        Assert.Equal(new OrgLifeFigures(OrganisationalLife.Name(LastClosed), 1, 0, 0), before.OrgLife);

        var o1 = t.Organisation("O1");
        var meetings = EverythingDue();
        for (var i = 0; i < meetings.Length; i++)
            Assert.Equal(new ChangeResult(ChangeOutcome.Created, i + 1), await o1.RecordMeetingAsync(meetings[i], Tenant.Actor));

        var after = await t.SummaryAsync();
        Assert.Equal(new OrgLifeFigures(OrganisationalLife.Name(LastClosed), 1, 1, 1), after.OrgLife);
        Assert.Equal(new OrgLifeFigures(OrganisationalLife.Name(LastClosed), 1, 1, 1), Assert.Single(after.StationLinkage).OrgLife);

        // The profile's own version is untouched; the activity lists them newest first.
        Assert.Equal(1, (await o1.GetAsync())!.Version);
        Assert.Equal(meetings.Reverse().Select(m => m.Date), (await o1.GetActivityAsync())!.Meetings.Select(m => m.Date));
        // A profile change after the meetings keeps them counted.
        await t.OkAsync(new OrganisationProfile("O1", "党组织O1（改）", OrganisationKind.Branch, OrganisationHost.Joint, StationId: "S1", EstablishedOn: new DateOnly(2020, 1, 1)));
        Assert.Equal(1, (await t.SummaryAsync()).OrgLife.Compliant);

        var report = await t.County.ReconcileAsync();
        Assert.True(report.Consistent, string.Join("; ", report.ChildrenCorrected.Concat(report.Differences.Select(d => $"{d.Figure}: {d.Before} -> {d.After}"))));
    }

    [Fact]
    public async Task Station_staff_record_for_the_organisations_of_their_station_only_and_a_refusal_changes_nothing()
    {
        var t = await Tenant.CreateAsync(fixture.Client, "110612");
        await t.StationAsync("S1", "一镇");
        await t.StationAsync("S2", "二镇");
        await t.OkAsync(new OrganisationProfile("O1", "党组织O1", OrganisationKind.Branch, OrganisationHost.Joint, StationId: "S1", EstablishedOn: new DateOnly(2020, 1, 1)));
        var meeting = EverythingDue()[0];
        Actor Staff(string station) => new("staff", Roles.StationStaff, new Scope(Scope.County, t.Code), station);
        var o1 = t.Organisation("O1");

        Assert.Equal(ChangeOutcome.Forbidden, (await o1.RecordMeetingAsync(meeting, Staff("S2"))).Outcome);
        Assert.Equal(ChangeOutcome.Forbidden, (await o1.RecordMeetingAsync(meeting, new("other", Roles.CountyAdmin, new Scope(Scope.County, "110613")))).Outcome);
        Tenant.AssertRefused(await o1.RecordMeetingAsync(meeting with { Attended = 13 }, Tenant.Actor), "attended");
        Tenant.AssertRefused(await o1.RecordMeetingAsync(meeting with { Date = new DateOnly(2019, 12, 31) }, Tenant.Actor), "date");
        Assert.Empty((await o1.GetActivityAsync())!.Meetings);
        Assert.Equal(ChangeOutcome.NotFound, (await t.Organisation("NONE").RecordMeetingAsync(meeting, Tenant.Actor)).Outcome);

        Assert.Equal(ChangeOutcome.Created, (await o1.RecordMeetingAsync(meeting, Staff("S1"))).Outcome);
        Assert.Single((await o1.GetActivityAsync())!.Meetings);
    }
}
