using Beacon.Rules;

namespace Beacon.Grains.Figures;

/// <summary>
/// The running sums behind a county's figures. Every contribution is added when it arrives and subtracted
/// when a newer one from the same child replaces it, so the tally always equals the sum of the children's
/// last reports. This is the one place that says which enterprise counts towards which figure.
/// </summary>
internal sealed class CountyTally(bool affiliatedCountsAsCovered, int overdueDays = 30)
{
    public bool AffiliatedCountsAsCovered { get; } = affiliatedCountsAsCovered;

    /// <summary>The county's rule: an open issue falls overdue this many days after it was raised or last reopened.</summary>
    public int OverdueDays { get; } = overdueDays;

    // Enterprises. Everything but Registered counts base enterprises only: the base is the denominator.
    public int Registered, Base, OrgCovered, Standalone, Joint, Affiliated, WorkCovered, Linked;
    public int Guided, BasicArchives, FeaturedArchives;
    /// <summary>Sums of people: a county may have more than int.MaxValue employees (each enterprise up to a million).</summary>
    public long PartyMembers, Employees;
    public readonly Counter<string> BaseByTownship = new();
    public readonly Counter<(string Station, string Township)> LinkedByStationTownship = new();

    // Instructors and groups.
    public int FullTime, PartTime, FullTimeBelowDutyDays;
    public readonly int[] Ratings = new int[4];
    public readonly Counter<string> FullTimeByGroup = new();
    public readonly Counter<string> FullTimeByStation = new();
    public readonly Counter<string> PartTimeByStation = new();
    public readonly Counter<string> GroupsByStation = new();

    // Issues.
    public int Raised, Open, Escalated, Resolved;
    public readonly SortedSet<(DateTimeOffset Deadline, string Id)> OpenDeadlines = new();
    public readonly SortedDays DaysToResolve = new();
    public readonly Counter<string> OpenByStation = new();
    public readonly Counter<string> ResolvedByStation = new();

    // Organisations.
    public int Organisations;
    public readonly Counter<OrganisationKind> OrganisationsByKind = new();
    public readonly Counter<OrganisationHost> OrganisationsByHost = new();
    public readonly SortedSet<(DateOnly EndsOn, string Id)> TermEnds = new();

    // Organisational life, for the county and per station (an organisation's stationId). Kept for every month the
    // organisations' reports cover, so that the figure follows the calendar with no report: the month it is about is
    // chosen when the figures are built.
    public readonly OrgLifeCount OrgLife = new();
    public readonly Dictionary<string, OrgLifeCount> OrgLifeByStation = new(StringComparer.Ordinal);

    // Development: applicants by stage, new probationary and full members by year (China's), and the next step's
    // deadline of each applicant that has one, so that the overdue count follows the calendar with no report.
    public readonly Counter<ApplicantStage> ApplicantsByStage = new();
    public readonly Counter<int> ProbationaryByYear = new();
    public readonly Counter<int> FullByYear = new();
    public readonly SortedSet<(DateOnly Due, string Id)> DevelopmentDue = new();
    // Organisations' annual evaluations: each organisation's latest year and rating, counted per year, so that the
    // figure is about the latest year any organisation of the county was evaluated.
    public readonly Counter<(int Year, EvaluationRating Rating)> Evaluations = new();
    public readonly SortedDictionary<int, int> EvaluatedByYear = new();

    // Trainings by the year they began (China's calendar is the days' own: a class is dated, not timed), honours by
    // kind, contact points; the base's enterprises with a union and with a Youth League organisation.
    public readonly Counter<int> TrainingSessionsByYear = new();
    public readonly Counter<int> TrainingAttendancesByYear = new();
    public readonly Counter<HonourKind> HonoursByKind = new();
    public int Honours, ContactPoints, Unions, YouthLeagues;

    /// <summary>The latest year any organisation was evaluated, or null.</summary>
    public int? LatestEvaluatedYear => EvaluatedByYear.Count == 0 ? null : EvaluatedByYear.Keys.Max();

    /// <summary>组建率's numerator: standalone and joint organisations cover, affiliated ones only where the province says so.</summary>
    public bool CoversOrganisation(FormationMode mode) => mode switch
    {
        FormationMode.Standalone or FormationMode.Joint => true,
        FormationMode.Affiliated => AffiliatedCountsAsCovered,
        _ => false,
    };

    /// <summary>Work coverage: any party organisation, or an instructor assigned to an enterprise without one.</summary>
    public static bool CoversWork(EnterpriseContribution e) => e.Mode != FormationMode.None || e.InstructorId is not null;

    public void Apply(Contribution c, int sign)
    {
        if (c.Removed) return;
        switch (c)
        {
            case EnterpriseContribution e: Apply(e, sign); break;
            case InstructorContribution i: Apply(i, sign); break;
            case GroupContribution g: GroupsByStation.Add(g.StationId, sign); break;
            case IssueContribution i: Apply(i, sign); break;
            case OrganisationContribution o: Apply(o, sign); break;
            case ApplicantContribution a: Apply(a, sign); break;
            case TrainingContribution tr:
                TrainingSessionsByYear.Add(tr.Year, sign);
                TrainingAttendancesByYear.Add(tr.Year, sign * tr.Attendances);
                break;
            case HonourContribution h:
                Honours += sign;
                HonoursByKind.Add(h.Kind, sign);
                break;
            case ContactPointContribution: ContactPoints += sign; break;
            case StationContribution: break; // a station's area and months are read when the figures are built
            case CircleContribution: break; // a circle's members are the enterprises around it when the figures are built (CircleMembership)
            default: throw new ArgumentException($"No figures count {c.GetType().Name}: add it to CountyTally.", nameof(c));
        }
    }

    private void Apply(ApplicantContribution a, int sign)
    {
        ApplicantsByStage.Add(a.Stage, sign);
        // Counted in the year the step was taken, whatever became of the person after (a probationary member withdrawn
        // was still received that year).
        if (a.ProbationaryOn is { } probationary) ProbationaryByYear.Add(probationary.Year, sign);
        if (a.FullOn is { } full) FullByYear.Add(full.Year, sign);
        if (a.Due is { } due)
        {
            if (sign > 0) DevelopmentDue.Add((due, a.Id)); else DevelopmentDue.Remove((due, a.Id));
        }
    }

    /// <summary>Development steps overdue on <paramref name="today"/> (<see cref="Development.IsOverdue"/>: due before today).</summary>
    public int DevelopmentOverdueOn(DateOnly today) =>
        DevelopmentDue.Count == 0 || !Development.IsOverdue(DevelopmentDue.Min.Due, today)
            ? 0
            : DevelopmentDue.GetViewBetween(DevelopmentDue.Min, (today.AddDays(-1), "\uffff")).Count;

    /// <summary>When the next development step falls overdue after <paramref name="now"/>, so the county publishes then.</summary>
    public DateTimeOffset? NextDevelopmentOverdueAfter(DateTimeOffset now)
    {
        var today = Validation.Today(now);
        if (DevelopmentDue.Count == 0 || DevelopmentDue.Max.Due < today) return null;
        return Development.OverdueFrom(DevelopmentDue.GetViewBetween((today, ""), DevelopmentDue.Max).Min.Due);
    }

    private void Apply(OrganisationContribution o, int sign)
    {
        Organisations += sign;
        OrganisationsByKind.Add(o.Kind, sign);
        OrganisationsByHost.Add(o.Host, sign);
        if (o.TermEndsOn is { } ends)
        {
            if (sign > 0) TermEnds.Add((ends, o.Id)); else TermEnds.Remove((ends, o.Id));
        }
        OrgLife.Apply(o, sign);
        if (o.EvaluatedYear is { } year && o.Evaluation is { } rating)
        {
            Evaluations.Add((year, rating), sign);
            var evaluated = EvaluatedByYear.GetValueOrDefault(year) + sign;
            if (evaluated == 0) EvaluatedByYear.Remove(year); else EvaluatedByYear[year] = evaluated;
        }
        if (o.StationId is { } station)
        {
            if (!OrgLifeByStation.TryGetValue(station, out var count)) OrgLifeByStation[station] = count = new OrgLifeCount();
            count.Apply(o, sign);
        }
    }

    /// <summary>Terms that end within <see cref="TermsDueWithin"/> days of <paramref name="today"/>, or have ended.</summary>
    public int TermsDueOn(DateOnly today) =>
        TermEnds.Count == 0 || TermEnds.Min.EndsOn > today.AddDays(TermsDueWithin)
            ? 0
            : TermEnds.GetViewBetween(TermEnds.Min, (today.AddDays(TermsDueWithin), "\uffff")).Count;

    /// <summary>A term is due for election (换届) from this many days before it ends.</summary>
    public const int TermsDueWithin = 90;

    private void Apply(EnterpriseContribution e, int sign)
    {
        Registered += sign;
        if (!e.InBase) return;
        Base += sign;
        if (CoversOrganisation(e.Mode)) OrgCovered += sign;
        if (CoversWork(e)) WorkCovered += sign;
        switch (e.Mode)
        {
            case FormationMode.Standalone: Standalone += sign; break;
            case FormationMode.Joint: Joint += sign; break;
            case FormationMode.Affiliated: Affiliated += sign; break;
        }
        if (e.StationId is not null) Linked += sign;
        PartyMembers += sign * e.PartyMembers;
        Employees += sign * e.Employees;
        if (e.InstructorId is not null) Guided += sign;
        if (e.BasicArchive) BasicArchives += sign;
        if (e.FeaturedArchive) FeaturedArchives += sign;
        if (e.Union) Unions += sign;
        if (e.YouthLeague) YouthLeagues += sign;
        if (e.Township is { } township)
        {
            BaseByTownship.Add(township, sign);
            if (e.StationId is { } station) LinkedByStationTownship.Add((station, township), sign);
        }
    }

    private void Apply(InstructorContribution i, int sign)
    {
        if (i.FullTime)
        {
            FullTime += sign;
            if (i.DutyDaysPerWeek < Registers.MinDutyDaysPerWeek) FullTimeBelowDutyDays += sign;
            if (i.GroupId is { } g) FullTimeByGroup.Add(g, sign);
            if (i.StationId is { } s) FullTimeByStation.Add(s, sign);
        }
        else
        {
            PartTime += sign;
            if (i.StationId is { } s) PartTimeByStation.Add(s, sign);
        }
        if (i.Rating is { } r) Ratings[(int)r] += sign;
    }

    private void Apply(IssueContribution i, int sign)
    {
        Raised += sign;
        if (i.State == IssueState.Resolved)
        {
            Resolved += sign;
            if (i.StationId is { } s) ResolvedByStation.Add(s, sign);
            if (i.ResolvedAt is { } at)
            {
                var days = (at - i.RaisedAt).TotalDays;
                if (sign > 0) DaysToResolve.Add(days); else DaysToResolve.Remove(days);
            }
            return;
        }
        Open += sign;
        if (i.State == IssueState.Escalated) Escalated += sign;
        if (i.StationId is { } station) OpenByStation.Add(station, sign);
        var deadline = DeadlineOf(i);
        if (sign > 0) OpenDeadlines.Add((deadline, i.Id)); else OpenDeadlines.Remove((deadline, i.Id));
    }

    /// <summary>
    /// When an open issue falls overdue under the county's rule as it is now, so that a county that changes its days
    /// sees its figures follow; an issue stored before its clock was kept (no <c>OpenedAt</c>) keeps the deadline it was given.
    /// </summary>
    public DateTimeOffset DeadlineOf(IssueContribution i) => i.OpenedAt is { } opened ? opened.AddDays(OverdueDays) : i.Deadline;

    /// <summary>Open issues past their deadline at <paramref name="now"/>.</summary>
    public int OverdueAt(DateTimeOffset now) =>
        OpenDeadlines.Count == 0 || OpenDeadlines.Min.Deadline >= now
            ? 0
            : OpenDeadlines.GetViewBetween(OpenDeadlines.Min, (now, "")).Count;

    /// <summary>When the next open issue falls overdue, so the county can publish then without anyone touching it.</summary>
    public DateTimeOffset? NextDeadlineAfter(DateTimeOffset now) =>
        OpenDeadlines.Count == 0 || OpenDeadlines.Max.Deadline < now
            ? null
            : OpenDeadlines.GetViewBetween((now, ""), OpenDeadlines.Max).Min.Deadline;
}

/// <summary>
/// Organisational life over organisations: how many existed by a month's end, and how many of those held every
/// meeting due in it (<see cref="OrganisationalLife.Compliant(IReadOnlyList{HeldMonth}, int)"/>), for any month.
/// </summary>
internal sealed class OrgLifeCount
{
    private int _always;
    private readonly SortedSet<(DateOnly Since, string Id)> _since = new();
    private readonly Counter<int> _compliant = new();

    public void Apply(OrganisationContribution o, int sign)
    {
        if (o.ExistsSince is not { } since) _always += sign;
        else if (sign > 0) _since.Add((since, o.Id));
        else _since.Remove((since, o.Id));
        // Only an organisation counted for the month counts as compliant in it (a meeting dated before a later
        // establishedOn would otherwise make the rate pass 1).
        foreach (var month in OrganisationalLife.CompliantMonths(o.Held ?? []))
            if (o.ExistsSince is not { } s || s <= OrganisationalLife.LastDay(month)) _compliant.Add(month, sign);
    }

    /// <summary>The organisations that existed by the month's last day.</summary>
    public int Organisations(int month)
    {
        var last = OrganisationalLife.LastDay(month);
        return _always + (_since.Count == 0 || _since.Min.Since > last ? 0 : _since.GetViewBetween(_since.Min, (last, "\uffff")).Count);
    }

    public int Compliant(int month) => _compliant[month];
}

/// <summary>Durations kept sorted so the median is a look-up, not a sort per read.</summary>
internal sealed class SortedDays
{
    private readonly List<double> _days = [];

    public void Add(double d)
    {
        var i = _days.BinarySearch(d);
        _days.Insert(i < 0 ? ~i : i, d);
    }

    public void Remove(double d)
    {
        var i = _days.BinarySearch(d);
        if (i >= 0) _days.RemoveAt(i);
    }

    public double? Median => _days.Count == 0 ? null
        : _days.Count % 2 == 1 ? _days[_days.Count / 2]
        : (_days[_days.Count / 2 - 1] + _days[_days.Count / 2]) / 2;
}
