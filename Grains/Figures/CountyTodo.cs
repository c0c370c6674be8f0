using Beacon.Rules;

namespace Beacon.Grains.Figures;

/// <summary>
/// A county's to-do, read off what its children last reported (the same ledger and tally its figures are made of), so
/// that it changes with the next report and with the calendar, never from a copy of its own.
/// </summary>
internal static class CountyTodo
{
    /// <summary>Development steps and elections come onto the list this many days before they are due.</summary>
    public const int DueWithinDays = 30;

    /// <param name="station">Only that station's items (station staff's own list); null for the county's.</param>
    /// <param name="personal">Whether applicants' steps are listed: they are the committee's and their station's to see.</param>
    public static TodoItem[] Build(CountyTally t, CountyLedger ledger, DateTimeOffset now, string? station, bool personal)
    {
        var today = Validation.Today(now);
        var month = OrganisationalLife.LastClosedMonth(today);
        var monthName = OrganisationalLife.Name(month);
        // Last month's duties fall due on its last day.
        var monthEnd = OrganisationalLife.LastDay(month);
        int Late(DateOnly due) => today.DayNumber - due.DayNumber;
        var items = new List<TodoItem>();
        void Add(TodoKind kind, Register register, string id, DateOnly? due, string? stationId, Said text)
        {
            if (station is null || stationId == station)
                items.Add(new TodoItem(kind, register.Route, id, due, due is { } d ? Late(d) : null, stationId, text));
        }

        foreach (var i in ledger.Live<IssueContribution>(EntityKind.Issue))
        {
            if (i.State == IssueState.Resolved) continue;
            var deadline = t.DeadlineOf(i);
            if (deadline >= now) continue;
            var due = Validation.Today(deadline);
            Add(TodoKind.IssueOverdue, Registers.Issues, i.Id, due, i.StationId,
                new($"问题 {i.Id}（企业 {i.CreditCode}）超期未解决，已超 {Late(due)} 天", $"issue {i.Id} (enterprise {i.CreditCode}) is {Late(due)} days overdue"));
        }

        foreach (var s in ledger.Live<StationContribution>(EntityKind.Station))
        {
            if (!StationWork.In(s.ReportMonths, month))
                Add(TodoKind.StationReportMissing, Registers.Stations, s.Id, monthEnd, s.Id,
                    new($"{s.Name}未报送 {monthName} 月报", $"{s.Name} has sent no monthly report for {monthName}"));
            if (!StationWork.In(s.MeetingMonths, month))
                Add(TodoKind.StationMeetingMissing, Registers.Stations, s.Id, monthEnd, s.Id,
                    new($"{s.Name} {monthName} 未召开例会", $"{s.Name} held no staff meeting in {monthName}"));
        }

        foreach (var o in ledger.Live<OrganisationContribution>(EntityKind.Organisation))
        {
            var existed = o.ExistsSince is not { } since || since <= monthEnd;
            if (existed && !OrganisationalLife.Compliant(o.Held ?? [], month))
                Add(TodoKind.OrganisationalLifeBehind, Registers.Organisations, o.Id, monthEnd, o.StationId,
                    new($"{o.Name} {monthName} 未按规定开展组织生活", $"{o.Name} did not hold every meeting due in {monthName}"));
            if (o.TermEndsOn is { } ends && ends <= today.AddDays(CountyTally.TermsDueWithin))
                Add(TodoKind.TermDue, Registers.Organisations, o.Id, ends, o.StationId, ends < today
                    ? new($"{o.Name}任期已于 {ends:yyyy-MM-dd} 届满，未换届", $"{o.Name}'s term ended on {ends:yyyy-MM-dd} without an election")
                    : new($"{o.Name}任期 {ends:yyyy-MM-dd} 届满，须按期换届", $"{o.Name}'s term ends on {ends:yyyy-MM-dd}: an election is due"));
        }

        if (personal)
            foreach (var a in ledger.Live<ApplicantContribution>(EntityKind.Applicant))
                // Names are left out: a to-do names the record, its register shows the person to those who may see it.
                if (a.Due is { } due && due <= today.AddDays(DueWithinDays))
                    Add(TodoKind.DevelopmentStepDue, Registers.Applicants, a.Id, due, a.StationId, Development.IsOverdue(due, today)
                        ? new($"发展党员 {a.Id} 的下一步骤已超期（应于 {due:yyyy-MM-dd} 前办理）", $"applicant {a.Id}'s next step is overdue (due by {due:yyyy-MM-dd})")
                        : new($"发展党员 {a.Id} 的下一步骤应于 {due:yyyy-MM-dd} 前办理", $"applicant {a.Id}'s next step is due by {due:yyyy-MM-dd}"));

        foreach (var g in ledger.Live<GroupContribution>(EntityKind.Group))
            if (t.FullTimeByGroup[g.Id] < CountyFigures.MinGroupFullTime)
                Add(TodoKind.GroupBelowStrength, Registers.Groups, g.Id, null, g.StationId,
                    new($"{g.Name}专职指导员 {t.FullTimeByGroup[g.Id]} 名，不足 {CountyFigures.MinGroupFullTime} 名",
                        $"{g.Name} has {t.FullTimeByGroup[g.Id]} full-time instructors, fewer than {CountyFigures.MinGroupFullTime}"));

        foreach (var i in ledger.Live<InstructorContribution>(EntityKind.Instructor))
            if (i.FullTime && i.DutyDaysPerWeek < Registers.MinDutyDaysPerWeek)
                Add(TodoKind.InstructorBelowDutyDays, Registers.Instructors, i.Id, null, i.StationId,
                    new($"专职指导员{i.Name}每周在岗 {i.DutyDaysPerWeek} 天，不足 {Registers.MinDutyDaysPerWeek} 天",
                        $"full-time instructor {i.Name} is on duty {i.DutyDaysPerWeek} days a week, fewer than {Registers.MinDutyDaysPerWeek}"));

        // The latest first; states without a day after everything dated.
        return [.. items.OrderByDescending(x => x.DaysLate ?? int.MinValue).ThenBy(x => x.Kind).ThenBy(x => x.Id, StringComparer.Ordinal)];
    }
}
