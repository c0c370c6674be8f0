using Beacon.Grains.Demo;
using Beacon.Grains.Figures;
using Beacon.Rules;

namespace Beacon.Tests;

/// <summary>
/// The demo organisations' meetings (三会一课, 主题党日) over the last closed months: every one passes the rules a
/// client's would, and the counties comply to different degrees, 六安's best, as the organisational-life figure shows.
/// </summary>
public sealed class DemoMeetingsTests
{
    private static readonly DateOnly Today = Validation.Today(DemoFiguresTests.Now);

    /// <summary>The county's organisational life for the last closed month, its organisations reporting their meetings.</summary>
    private static OrgLifeFigures OrgLife(string code)
    {
        var demo = DemoFiguresTests.Register(code);
        var meetings = DemoMeetings.For(demo, Today).ToDictionary(m => m.OrganisationId, m => m.Meetings);
        var tally = new CountyTally(demo.Profile.AffiliatedCountsAsCovered);
        var ledger = new CountyLedger();
        foreach (var o in demo.Organisations)
        {
            var held = meetings.GetValueOrDefault(o.OrganisationId) ?? [];
            Assert.All(held, m => Assert.True(ActivityRules.OrganisationMeeting(m, Today, o.EstablishedOn).IsValid, $"{o.OrganisationId} {m}"));
            var c = (OrganisationContribution)Registers.Organisations.Contribute(o.OrganisationId, o, 1) with
            {
                ExistsSince = o.EstablishedOn ?? Today,
                Held = OrganisationalLife.Kept(OrganisationalLife.Held(held)),
            };
            Assert.True(ledger.TryReplace(c, out _));
            tally.Apply(c, +1);
        }
        return CountyFigures.Summarize(demo.Profile, tally, ledger, 1, DemoFiguresTests.Now).OrgLife;
    }

    [Fact]
    public void Every_demo_county_holds_its_meetings_to_a_different_degree_and_luan_complies_best()
    {
        var rates = DemoCounties.All.ToDictionary(c => c.Code, c => OrgLife(c.Code));
        Assert.All(rates.Values, r =>
        {
            Assert.Equal(OrganisationalLife.Name(OrganisationalLife.LastClosedMonth(Today)), r.Month);
            Assert.InRange(r.Rate, 0.3, 0.98);
            Assert.True(r.Compliant < r.Organisations);
        });
        // 舒城 (六安) against 兴义: the stations' guidance shows.
        Assert.True(rates["341523"].Rate > rates["522301"].Rate + 0.2, $"舒城 {rates["341523"].Rate}, 兴义 {rates["522301"].Rate}");
        Assert.True(rates.Values.Select(r => Math.Round(r.Rate, 2)).Distinct().Count() >= 6, "the counties' rates differ");
    }

    [Fact]
    public void The_same_county_and_day_give_the_same_meetings()
    {
        var demo = DemoFiguresTests.Register("621122");
        var first = DemoMeetings.For(demo, Today).SelectMany(m => m.Meetings.Select(x => (m.OrganisationId, x))).ToArray();
        var again = DemoMeetings.For(DemoFiguresTests.Register("621122"), Today).SelectMany(m => m.Meetings.Select(x => (m.OrganisationId, x))).ToArray();
        Assert.NotEmpty(first);
        Assert.Equal(first, again);
    }
}
