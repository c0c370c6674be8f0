using System.Globalization;

namespace Beacon.Rules;

/// <summary>
/// Organisational life (组织生活, 三会一课): which meetings an organisation must hold, and whether it held them in a month.
/// Every month a 支委会 (committeeMeeting), a 党小组会 (groupMeeting) and a 主题党日 (themedPartyDay); every quarter a
/// 党员大会 (memberAssembly) and a 党课 (partyLecture), due in the quarter's last month unless held earlier in the
/// quarter; every year a 组织生活会 (lifeMeeting), due in December unless held earlier in the year. This is the one
/// place that says so: the organisation grain, the county's tally and the tests all ask it.
/// </summary>
public static class OrganisationalLife
{
    public static Said Label(OrganisationMeetingKind kind) => kind switch
    {
        OrganisationMeetingKind.CommitteeMeeting => new("支委会", "Branch committee meeting"),
        OrganisationMeetingKind.GroupMeeting => new("党小组会", "Party group meeting"),
        OrganisationMeetingKind.MemberAssembly => new("党员大会", "General members' meeting"),
        OrganisationMeetingKind.PartyLecture => new("党课", "Party lecture"),
        OrganisationMeetingKind.ThemedPartyDay => new("主题党日", "Themed party day"),
        OrganisationMeetingKind.LifeMeeting => new("组织生活会", "Organisational life meeting"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static readonly OrganisationMeetingKind[] Monthly =
        [OrganisationMeetingKind.CommitteeMeeting, OrganisationMeetingKind.GroupMeeting, OrganisationMeetingKind.ThemedPartyDay];
    private static readonly OrganisationMeetingKind[] Quarterly = [OrganisationMeetingKind.MemberAssembly, OrganisationMeetingKind.PartyLecture];
    private static readonly OrganisationMeetingKind[] Yearly = [OrganisationMeetingKind.LifeMeeting];

    /// <summary>A month as one number, year × 12 + month − 1, so that months compare and count as integers.</summary>
    public static int MonthIndex(int year, int month) => year * 12 + month - 1;

    public static int MonthIndex(DateOnly date) => MonthIndex(date.Year, date.Month);

    public static DateOnly FirstDay(int month) => new(month / 12, month % 12 + 1, 1);

    public static DateOnly LastDay(int month) => FirstDay(month).AddMonths(1).AddDays(-1);

    /// <summary>The month as the public JSON writes it: <c>2026-11</c>.</summary>
    public static string Name(int month) => FirstDay(month).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>
    /// The month the figure is about on <paramref name="today"/> (China's date): the last closed one, the month before
    /// today's. The current month is not over, so nobody is behind in it yet.
    /// </summary>
    public static int LastClosedMonth(DateOnly today) => MonthIndex(today) - 1;

    /// <summary>When the next month begins in China after <paramref name="now"/>: the last closed month changes then.</summary>
    public static DateTimeOffset MonthTurnsAfter(DateTimeOffset now) =>
        new(FirstDay(MonthIndex(Validation.Today(now)) + 1).ToDateTime(TimeOnly.MinValue), Validation.ChinaOffset);

    public static int Bit(OrganisationMeetingKind kind) => 1 << (int)kind;

    /// <summary>The kinds held in each month that has a meeting, oldest month first.</summary>
    public static HeldMonth[] Held(IEnumerable<OrganisationMeeting> meetings) =>
    [
        .. meetings.GroupBy(m => MonthIndex(m.Date))
            .OrderBy(g => g.Key)
            .Select(g => new HeldMonth(g.Key, g.Aggregate(0, (kinds, m) => kinds | Bit(m.Kind)))),
    ];

    /// <summary>
    /// The months a contribution must carry: from January of the year before the newest meeting's month. Nobody asks
    /// about a month before the last closed one, which is at least the month before the newest meeting (no meeting is
    /// dated in the future), and that month's compliance reads only its own year. Kept from the meetings alone, not
    /// from the clock, so that the same meetings always make the same contribution (the reconcile compares them).
    /// </summary>
    public static HeldMonth[] Kept(HeldMonth[] held)
    {
        if (held.Length == 0) return held;
        var from = MonthIndex(FirstDay(held[^1].Month - 1).Year, 1);
        return held[0].Month >= from ? held : [.. held.Where(h => h.Month >= from)];
    }

    /// <summary>Whether the meetings include every one due in the month.</summary>
    public static bool Compliant(IEnumerable<OrganisationMeeting> meetings, int year, int month) =>
        Compliant(Held(meetings), MonthIndex(year, month));

    /// <summary>
    /// Whether an organisation that held these kinds held every meeting due in <paramref name="month"/>: the monthly
    /// ones in the month itself; in a quarter's last month, the quarterly ones somewhere in that quarter; in December,
    /// the yearly one somewhere in that year. A month of another year never counts (January is judged by January's
    /// meetings alone; December's lifeMeeting belongs to its own year).
    /// </summary>
    public static bool Compliant(IReadOnlyList<HeldMonth> held, int month)
    {
        var monthOfYear = month % 12 + 1;
        if (!All(KindsIn(held, month, month), Monthly)) return false;
        if (monthOfYear % 3 == 0 && !All(KindsIn(held, month - 2, month), Quarterly)) return false;
        if (monthOfYear == 12 && !All(KindsIn(held, month - 11, month), Yearly)) return false;
        return true;
    }

    /// <summary>The months among <paramref name="held"/> the organisation complied in (every one has a meeting: the monthly ones).</summary>
    public static IEnumerable<int> CompliantMonths(IReadOnlyList<HeldMonth> held) =>
        held.Select(h => h.Month).Where(m => Compliant(held, m));

    private static int KindsIn(IReadOnlyList<HeldMonth> held, int from, int to)
    {
        var kinds = 0;
        foreach (var h in held)
            if (h.Month >= from && h.Month <= to) kinds |= h.Kinds;
        return kinds;
    }

    private static bool All(int kinds, OrganisationMeetingKind[] due) => due.All(k => (kinds & Bit(k)) != 0);
}
