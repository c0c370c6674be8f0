using Beacon.Grains.Demo;

namespace Beacon.Tests;

/// <summary>
/// The demo counties' past month-ends: 24 of them, deterministic, growing towards today's figures at each county's
/// own pace, with 陇西's members as its seed gives them (155, 1.46% of employees, two years before its 193, 1.64%).
/// </summary>
public sealed class DemoHistoryTests
{
    private static DaySnapshot[] History(string code) => DemoHistory.For(DemoFiguresTests.Register(code), DemoFiguresTests.Now);

    [Fact]
    public void Longxi_had_155_members_and_1_46_percent_two_years_ago_and_grew_to_its_193_and_1_64_percent()
    {
        var history = History("621122");
        Assert.Equal(DemoHistory.Months, history.Length);
        Assert.Equal(new DateOnly(2024, 12, 31), history[0].Day);
        Assert.Equal(new DateOnly(2026, 11, 30), history[^1].Day);
        Assert.Equal((155L, 0.0146), (history[0].Summary.PartyMembers, history[0].Summary.MembersShare));
        Assert.All(history.Zip(history.Skip(1)), p => Assert.True(p.First.Summary.PartyMembers <= p.Second.Summary.PartyMembers));
        var today = DemoFiguresTests.Summarize(DemoFiguresTests.Register("621122"));
        Assert.Equal(193L, today.PartyMembers);
        Assert.InRange(history[^1].Summary.PartyMembers, 190, 193);
        Assert.Equal(0.0164, today.MembersShare);
    }

    [Fact]
    public void Every_demo_county_covers_more_each_month_towards_today_and_the_counties_at_different_speeds()
    {
        var gains = new List<double>();
        foreach (var county in DemoCounties.All)
        {
            var history = History(county.Code);
            var today = DemoFiguresTests.Summarize(DemoFiguresTests.Register(county.Code));
            Assert.All(history.Zip(history.Skip(1)), p => Assert.True(p.First.Summary.OrgCovered <= p.Second.Summary.OrgCovered, $"{county.Name}: coverage fell"));
            Assert.True(history[0].Summary.OrgCovered < today.OrgCovered, $"{county.Name} did not improve");
            Assert.InRange(history[^1].Summary.OrgCovered, today.OrgCovered * 0.9, today.OrgCovered);
            Assert.Equal(today.Base, history[^1].Summary.Base);
            // Half-way, how much of the two years' gain was made: not the same for all.
            var first = history[0].Summary.OrgCoverage;
            gains.Add((history[11].Summary.OrgCoverage - first) / (today.OrgCoverage - first));
        }
        Assert.True(gains.Max() - gains.Min() > 0.2, $"half-way shares of the gain: {string.Join(", ", gains.Select(g => g.ToString("F2")))}");
        // The same day gives the same past.
        Assert.Equal(History("330212").Select(s => s.Summary.OrgCovered), History("330212").Select(s => s.Summary.OrgCovered));
    }
}
