using Beacon.Grains.Figures;

namespace Beacon.Tests;

/// <summary>The running sums behind the figures, directly: overdue at a given moment, and that a replaced report leaves no trace.</summary>
public sealed class CountyTallyTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly CountyProfile Profile = new("620521", "清水县", "天水市", "甘肃省");

    private static IssueContribution Issue(string id, long version, IssueState state, double raisedDaysAgo, double deadlineInDays, double? resolvedDaysAgo = null, string? station = null) =>
        new(id, version, false, "", IssueCategory.Other, state, station, Now.AddDays(-raisedDaysAgo), Now.AddDays(deadlineInDays),
            resolvedDaysAgo is { } r ? Now.AddDays(-r) : null);

    private static (CountyTally Tally, CountyLedger Ledger) Tally(params Contribution[] contributions)
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
    public void Overdue_counts_open_issues_whose_deadline_has_passed()
    {
        var (t, ledger) = Tally(
            Issue("I1", 1, IssueState.Open, 40, -10),
            Issue("I2", 1, IssueState.Escalated, 31, -1),
            Issue("I3", 1, IssueState.Open, 29, 1),
            Issue("I4", 2, IssueState.Resolved, 45, -15, resolvedDaysAgo: 5));

        Assert.Equal(2, t.OverdueAt(Now));
        Assert.Equal(1, t.OverdueAt(Now.AddDays(-5)));
        Assert.Equal(3, t.OverdueAt(Now.AddDays(2)));
        Assert.Equal(0, t.OverdueAt(Now.AddDays(-20)));
        Assert.Equal(Now.AddDays(1), t.NextDeadlineAfter(Now));

        var s = CountyFigures.Summarize(Profile, t, ledger, 1, Now);
        Assert.Equal(new IssueFigures(4, 3, 1, 1, 2, 0.25, 40.0), s.Issues);
    }

    /// <summary>
    /// Each enterprise may have up to a million employees, so a county of a few thousand, and a province of many
    /// counties, pass int.MaxValue (found by the 300,000-enterprise benchmark, whose comparison answered 500).
    /// </summary>
    [Fact]
    public void Employees_and_members_add_up_beyond_two_billion_in_a_county_and_in_its_province()
    {
        const int million = 1_000_000;
        var (t, ledger) = Tally([.. Enumerable.Range(0, 2_500).Select(i => (Contribution)new EnterpriseContribution($"E{i}", 1, false, "", EnterpriseKind.Enterprise, true, FormationMode.Standalone, null, million, million, null, null, null, null, false, false))]);
        var county = CountyFigures.Summarize(Profile, t, ledger, 1, Now);
        Assert.Equal((2_500L * million, 2_500L * million, 1.0), (county.Employees, county.PartyMembers, county.MembersShare));

        var rows = Enumerable.Range(0, 3).Select(i => county with { County = $"62052{i}" }).ToArray();
        var province = CountyFigures.Totals("620000", "甘肃省", "620000", "甘肃省", "620000", rows, 1, Now);
        Assert.Equal((7_500L * million, 7_500L * million, 1.0), (province.Employees, province.PartyMembers, province.MembersShare));
    }

    [Fact]
    public void An_issue_is_not_overdue_at_the_moment_of_its_deadline()
    {
        var (t, _) = Tally(Issue("I1", 1, IssueState.Open, 30, 0));
        Assert.Equal(0, t.OverdueAt(Now));
        Assert.Equal(1, t.OverdueAt(Now.AddTicks(1)));
    }

    [Fact]
    public void A_resolved_then_reopened_issue_leaves_no_trace_in_days_to_resolve()
    {
        var (t, ledger) = Tally(
            Issue("I1", 1, IssueState.Open, 10, 20),
            Issue("I1", 2, IssueState.Resolved, 10, 20, resolvedDaysAgo: 6),
            Issue("I1", 3, IssueState.Open, 10, 25),
            Issue("I2", 2, IssueState.Resolved, 9, 21, resolvedDaysAgo: 8));

        var s = CountyFigures.Summarize(Profile, t, ledger, 1, Now);
        Assert.Equal(2, s.Issues.Raised);
        Assert.Equal(1, s.Issues.Open);
        Assert.Equal(1, s.Issues.Resolved);
        Assert.Equal(1.0, s.Issues.MedianDaysToResolve);
        Assert.Equal(0, s.Issues.Overdue);
    }

    [Fact]
    public void Applying_and_then_withdrawing_every_contribution_brings_every_figure_back_to_zero()
    {
        Contribution[] all =
        [
            new EnterpriseContribution("E1", 1, false, "", EnterpriseKind.Enterprise, true, FormationMode.Joint, "J1", 3, 10, "s1", "g1", "i1", "东镇", true, true),
            new EnterpriseContribution("E2", 1, false, "", EnterpriseKind.SocialOrganisation, true, FormationMode.Affiliated, "F1", 1, 5, null, null, null, "西镇", true, false),
            new InstructorContribution("i1", 1, false, "", true, "s1", "g1", AssessmentRating.Excellent, 5),
            new GroupContribution("g1", 1, false, "", "s1"),
            Issue("I1", 1, IssueState.Open, 40, -10, station: "s1"),
            Issue("I2", 2, IssueState.Resolved, 4, 26, resolvedDaysAgo: 1, station: "s1"),
        ];
        var tally = new CountyTally(false);
        foreach (var c in all) tally.Apply(c, +1);
        foreach (var c in all) tally.Apply(c, -1);

        var s = CountyFigures.Summarize(Profile, tally, new CountyLedger(), 1, Now);
        Assert.All(Infrastructure.Tenant.Figures(s), f => Assert.Equal(0, f.Item2));
        Assert.Null(s.Issues.MedianDaysToResolve);
        Assert.Null(tally.NextDeadlineAfter(Now));
    }
}
