namespace Beacon.Rules;

/// <summary>
/// A station's monthly duties (六安): a staff meeting (例会, <see cref="MeetingKind.StaffMeeting"/>) held in the month
/// and the month's report sent to the county. This is the one place that says which months count: the station grain
/// puts them in its contribution, the county's figures and the tests ask here.
/// </summary>
public static class StationWork
{
    /// <summary>The meeting a station owes every month; 三会一课 and 主题党日 at a station are its branch's, not this duty.</summary>
    public const MeetingKind MonthlyMeeting = MeetingKind.StaffMeeting;

    /// <summary>The months (<see cref="OrganisationalLife.MonthIndex(int, int)"/>) in which the station held its monthly meeting, oldest first.</summary>
    public static int[] MeetingMonths(IEnumerable<StationMeeting> meetings) =>
        Kept(meetings.Where(m => m.Kind == MonthlyMeeting).Select(m => OrganisationalLife.MonthIndex(m.Date)));

    /// <summary>The months the station sent a report for, oldest first.</summary>
    public static int[] ReportMonths(IEnumerable<MonthlyReport> reports) =>
        Kept(reports.Select(r => MonthOf(r.Month)).OfType<int>());

    /// <summary>A report's month (yyyy-MM) as an index, or null if it is not one.</summary>
    public static int? MonthOf(string? month) =>
        month is { Length: 7 } && int.TryParse(month.AsSpan(0, 4), out var y) && month[4] == '-' &&
        int.TryParse(month.AsSpan(5, 2), out var m) && m is >= 1 and <= 12
            ? OrganisationalLife.MonthIndex(y, m)
            : null;

    /// <summary>
    /// The months a contribution carries: the newest and the one before. The figure is about the last closed month,
    /// which is never earlier than the month before the newest (no meeting is dated and no report is sent for a month
    /// in the future), so nothing older is ever asked for; kept from the records alone, not the clock, so that the
    /// same records always make the same contribution (the reconcile compares them).
    /// </summary>
    public static int[] Kept(IEnumerable<int> months)
    {
        var distinct = months.Distinct().Order().ToArray();
        return distinct.Length == 0 ? distinct : [.. distinct.Where(m => m >= distinct[^1] - 1)];
    }

    /// <summary>Whether the months include <paramref name="month"/>.</summary>
    public static bool In(int[]? months, int month) => months is not null && Array.IndexOf(months, month) >= 0;
}
