using Beacon.Rules;

namespace Beacon.Grains.Demo;

/// <summary>
/// The demo organisations' organisational life over the last closed months: most hold every meeting due, in each
/// county a different share (六安's stations guide their organisations' 三会一课 and 主题党日, so its counties comply
/// best), and the others miss one meeting in a month. Deterministic: the same county and day give the same meetings.
/// </summary>
public static class DemoMeetings
{
    /// <summary>Months of meetings the demo holds, back from the last closed one: a quarter, so each quarterly rule is met once.</summary>
    public const int Months = 3;

    /// <summary>The share of organisation-months with every meeting held, by county; the rest comply less.</summary>
    private static readonly Dictionary<string, double> Compliance = new(StringComparer.Ordinal)
    {
        ["620521"] = 0.72, ["621122"] = 0.64, ["522301"] = 0.55, ["330212"] = 0.81,
        ["341502"] = 0.9, ["341503"] = 0.88, ["341504"] = 0.84, ["341522"] = 0.79, ["341523"] = 0.92, ["341524"] = 0.76, ["341525"] = 0.86,
    };

    private const double OtherCounties = 0.7;

    private static readonly string[] Topics =
    [
        "学习贯彻党的二十届四中全会精神", "重温入党誓词", "学习《中国共产党支部工作条例》", "开展“我为群众办实事”活动",
        "学习习近平新时代中国特色社会主义思想", "研究发展党员工作", "党员志愿服务进社区", "安全生产主题党日",
    ];

    /// <summary>Each organisation's meetings of the last <see cref="Months"/> closed months (none for one without any).</summary>
    public static IEnumerable<(string OrganisationId, OrganisationMeeting[] Meetings)> For(DemoRegister demo, DateOnly today)
    {
        var share = Compliance.GetValueOrDefault(demo.Profile.Code, OtherCounties);
        var last = OrganisationalLife.LastClosedMonth(today);
        for (var n = 0; n < demo.Organisations.Count; n++)
        {
            var o = demo.Organisations[n];
            var meetings = new List<OrganisationMeeting>();
            var expected = 5 + (n * 7 % 26);
            for (var month = last - Months + 1; month <= last; month++)
            {
                var first = OrganisationalLife.FirstDay(month);
                if (o.EstablishedOn is { } established && established > first) continue;
                // One organisation-month in (1 - share) misses a meeting: which one turns with the month.
                var draw = Draw(demo.Profile.Code, n, month);
                var missing = draw < share ? (OrganisationMeetingKind?)null : Due(month)[(int)(draw * 100) % Due(month).Length];
                var k = 0;
                foreach (var kind in Due(month))
                {
                    if (kind == missing) continue;
                    var day = first.AddDays(3 + (n + 5 * k++) % 22);
                    if (day > today) continue;
                    var attended = Math.Max(1, expected - (n + month + k) % 4);
                    meetings.Add(new OrganisationMeeting(day, kind, expected, attended, Topics[(n + month + k) % Topics.Length]));
                }
            }
            if (meetings.Count > 0) yield return (o.OrganisationId, [.. meetings]);
        }
    }

    /// <summary>What the rules want held in a month: the monthly meetings, the quarterly ones in a quarter's last month, the yearly in December.</summary>
    private static OrganisationMeetingKind[] Due(int month) => (month % 12 + 1) switch
    {
        12 => [.. Monthly, .. Quarterly, OrganisationMeetingKind.LifeMeeting],
        3 or 6 or 9 => [.. Monthly, .. Quarterly],
        _ => Monthly,
    };

    private static readonly OrganisationMeetingKind[] Monthly =
        [OrganisationMeetingKind.CommitteeMeeting, OrganisationMeetingKind.GroupMeeting, OrganisationMeetingKind.ThemedPartyDay];

    private static readonly OrganisationMeetingKind[] Quarterly = [OrganisationMeetingKind.MemberAssembly, OrganisationMeetingKind.PartyLecture];

    /// <summary>A number in [0, 1) fixed by the county, the organisation and the month.</summary>
    private static double Draw(string county, int organisation, int month)
    {
        // FNV-1a over the county code (string.GetHashCode differs per process), mixed with the organisation and the month.
        var h = 2166136261u;
        foreach (var c in county) h = (h ^ c) * 16777619u;
        h ^= (uint)organisation * 2654435761u;
        h ^= (uint)month * 40503u;
        h ^= h >> 15;
        h *= 2246822519u;
        h ^= h >> 13;
        return h / (double)uint.MaxValue;
    }
}
