using Beacon.Rules;

namespace Beacon.Grains.Figures;

/// <summary>Turns a county's tally into the figures clients see, and a province's rows into its totals.</summary>
internal static class CountyFigures
{
    /// <summary>A group needs at least 2 full-time instructors (a station's 6 to 10 are <see cref="Registers.MinStationFullTime"/>'s).</summary>
    public const int MinGroupFullTime = 2;

    public static double Rate(long numerator, long denominator) =>
        denominator <= 0 ? 0 : Math.Round((double)numerator / denominator, 4);

    public static CountySummary Summarize(CountyProfile profile, CountyTally t, CountyLedger ledger, long seq, DateTimeOffset now)
    {
        var month = OrganisationalLife.LastClosedMonth(Validation.Today(now));
        var stations = ledger.Live<StationContribution>(EntityKind.Station)
            .OrderBy(s => s.Id, StringComparer.Ordinal)
            .Select(s => StationLinkage(s, t, profile.LinkageTarget, month))
            .ToArray();
        var groups = ledger.Live<GroupContribution>(EntityKind.Group).ToArray();
        var groupsBelow = groups
            .Where(g => t.FullTimeByGroup[g.Id] < MinGroupFullTime)
            .Select(g => g.Id)
            .Order(StringComparer.Ordinal)
            .ToArray();
        var instructors = t.FullTime + t.PartTime;

        return new CountySummary(
            County: profile.Code,
            Name: profile.Name,
            Seq: seq,
            AsOf: now,
            Prefecture: Places.PrefectureOf(profile.Code),
            PrefectureName: profile.PrefectureName,
            Province: Places.ProvinceOf(profile.Code),
            Registered: t.Registered,
            Base: t.Base,
            OrgCovered: t.OrgCovered,
            OrgCoverage: Rate(t.OrgCovered, t.Base),
            Standalone: t.Standalone,
            StandaloneRate: Rate(t.Standalone, t.Base),
            Joint: t.Joint,
            Affiliated: t.Affiliated,
            WorkCovered: t.WorkCovered,
            WorkCoverage: Rate(t.WorkCovered, t.Base),
            PartyMembers: t.PartyMembers,
            Employees: t.Employees,
            MembersShare: Rate(t.PartyMembers, t.Employees),
            Stations: stations.Length,
            Groups: groups.Length,
            Instructors: new InstructorStrength(
                t.FullTime, t.PartTime, instructors, t.Guided,
                instructors == 0 ? 0 : Math.Round((double)t.Guided / instructors, 2),
                groupsBelow.Length, groupsBelow, t.FullTimeBelowDutyDays),
            Issues: new IssueFigures(
                t.Raised, t.Open, t.Escalated, t.Resolved, t.OverdueAt(now),
                Rate(t.Resolved, t.Raised),
                t.DaysToResolve.Median is { } m ? Math.Round(m, 1) : null),
            Archives: new ArchiveFigures(t.BasicArchives, t.FeaturedArchives, Rate(t.BasicArchives, t.Base), Rate(t.FeaturedArchives, t.Base)),
            Assessments: new AssessmentFigures(t.Ratings[0], t.Ratings[1], t.Ratings[2], t.Ratings[3]),
            Linkage: new LinkageFigures(t.Linked, t.Base, Rate(t.Linked, t.Base), profile.LinkageTarget),
            StationsMeetingTarget: stations.Count(s => s.MeetsTarget),
            StationLinkage: stations,
            StationBranchMembers: stations.Sum(s => s.BranchMembers),
            StationBranchSurfaced: stations.Sum(s => s.BranchSurfaced),
            Organisations: new OrganisationFigures(
                t.Organisations,
                Enum.GetValues<OrganisationKind>().ToDictionary(JsonNames.Of, k => t.OrganisationsByKind[k]),
                Enum.GetValues<OrganisationHost>().ToDictionary(JsonNames.Of, h => t.OrganisationsByHost[h]),
                t.TermsDueOn(Validation.Today(now))),
            OrgLife: OrgLife(t.OrgLife, month),
            Development: Development(t, Validation.Today(now)),
            StationWork: StationWork(month, stations.Length, stations.Count(s => s.HeldMeeting), stations.Count(s => s.SentReport),
                stations.Count(s => s.StrengthOutsideRange)),
            Evaluations: Evaluations(t),
            Training: new TrainingFigures(Validation.Today(now).Year,
                t.TrainingSessionsByYear[Validation.Today(now).Year], t.TrainingAttendancesByYear[Validation.Today(now).Year]),
            Honours: new HonourFigures(t.Honours, Enum.GetValues<HonourKind>().ToDictionary(JsonNames.Of, k => t.HonoursByKind[k])),
            ContactPoints: t.ContactPoints,
            MassOrganisations: MassOrganisations(t.Unions, t.YouthLeagues, t.Base),
            Circles: CircleMembership.Figures(ledger, t.Base));
    }

    public static MassOrganisationFigures MassOrganisations(int unions, int youthLeague, int @base) =>
        new(unions, Rate(unions, @base), youthLeague, Rate(youthLeague, @base));

    public static StationWorkFigures StationWork(int month, int stations, int heldMeeting, int sentReport, int outsideStrength) =>
        new(OrganisationalLife.Name(month), stations, heldMeeting, Rate(heldMeeting, stations), sentReport, Rate(sentReport, stations), outsideStrength);

    /// <summary>The latest year's evaluations: by rating, and the share rated good among those evaluated that year.</summary>
    private static EvaluationFigures Evaluations(CountyTally t)
    {
        if (t.LatestEvaluatedYear is not { } year) return Evaluations(null, 0, 0, 0, 0);
        return Evaluations(year, t.Evaluations[(year, EvaluationRating.Good)], t.Evaluations[(year, EvaluationRating.FairlyGood)],
            t.Evaluations[(year, EvaluationRating.Average)], t.Evaluations[(year, EvaluationRating.Poor)]);
    }

    public static EvaluationFigures Evaluations(int? year, int good, int fairlyGood, int average, int poor)
    {
        var evaluated = good + fairlyGood + average + poor;
        return new EvaluationFigures(year, evaluated, good, fairlyGood, average, poor, Rate(good, evaluated));
    }

    /// <summary>Development now: applicants by stage, this year's new probationary and full members, steps overdue today.</summary>
    private static DevelopmentFigures Development(CountyTally t, DateOnly today) => new(
        today.Year,
        t.ApplicantsByStage[ApplicantStage.Applicant], t.ApplicantsByStage[ApplicantStage.Activist],
        t.ApplicantsByStage[ApplicantStage.Candidate], t.ApplicantsByStage[ApplicantStage.Probationary],
        t.ProbationaryByYear[today.Year], t.FullByYear[today.Year], t.DevelopmentOverdueOn(today));

    /// <summary>Organisational life in <paramref name="month"/>: the organisations counted for it, and the compliant among them.</summary>
    private static OrgLifeFigures OrgLife(OrgLifeCount? count, int month)
    {
        var (organisations, compliant) = count is null ? (0, 0) : (count.Organisations(month), count.Compliant(month));
        return new OrgLifeFigures(OrganisationalLife.Name(month), organisations, compliant, Rate(compliant, organisations));
    }

    /// <summary>Station linkage: base enterprises of the station's townships that the station links, over all base enterprises there.</summary>
    private static StationFigures StationLinkage(StationContribution s, CountyTally t, double target, int month)
    {
        int area = 0, linked = 0;
        foreach (var township in s.Townships)
        {
            area += t.BaseByTownship[township];
            linked += t.LinkedByStationTownship[(s.Id, township)];
        }
        var linkage = Rate(linked, area);
        return new StationFigures(
            s.Id, s.Name, area, linked, linkage, area > 0 && (double)linked / area >= target,
            t.FullTimeByStation[s.Id], t.PartTimeByStation[s.Id], t.GroupsByStation[s.Id],
            t.OpenByStation[s.Id], t.ResolvedByStation[s.Id], s.BranchMembers, OrgLife(t.OrgLifeByStation.GetValueOrDefault(s.Id), month),
            HeldMeeting: Rules.StationWork.In(s.MeetingMonths, month),
            SentReport: Rules.StationWork.In(s.ReportMonths, month),
            StrengthOutsideRange: Registers.StrengthOutsideRange(t.FullTimeByStation[s.Id]),
            ParentStationId: s.ParentStationId,
            BranchSurfaced: s.BranchSurfaced);
    }

    /// <summary>
    /// The totals of several counties (a prefecture's, a province's): numerators and denominators summed over the
    /// counties, rates recomputed from the sums (never averaged). Lists that only make sense per county (stations) are
    /// left empty; counts made from them (groups below strength) are summed.
    /// </summary>
    public static CountySummary Totals(string code, string name, string prefecture, string prefectureName, string province,
        IReadOnlyCollection<CountySummary> rows, long seq, DateTimeOffset now)
    {
        int Sum(Func<CountySummary, int> f) => rows.Sum(f);
        Dictionary<string, int> SumMaps(Func<CountySummary, Dictionary<string, int>> f) =>
            rows.SelectMany(r => f(r)).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Sum(p => p.Value));
        var @base = Sum(r => r.Base);
        var fullTime = Sum(r => r.Instructors.FullTime);
        var partTime = Sum(r => r.Instructors.PartTime);
        var guided = Sum(r => r.Instructors.EnterprisesGuided);
        var raised = Sum(r => r.Issues.Raised);
        var resolved = Sum(r => r.Issues.Resolved);
        var basic = Sum(r => r.Archives.Basic);
        var featured = Sum(r => r.Archives.Featured);
        var orgCovered = Sum(r => r.OrgCovered);
        var standalone = Sum(r => r.Standalone);
        var workCovered = Sum(r => r.WorkCovered);
        var linked = Sum(r => r.Linkage.Linked);
        var area = Sum(r => r.Linkage.Area);
        var members = rows.Sum(r => r.PartyMembers);
        // Organisational life of one month, the newest the rows are about: a county that has not published since the
        // month turned (it does within the hour) is left out until it has, rather than mixing two months' figures.
        // A row stored before the figure existed has none.
        var month = rows.Select(r => r.OrgLife?.Month).OfType<string>().DefaultIfEmpty(
            OrganisationalLife.Name(OrganisationalLife.LastClosedMonth(Validation.Today(now)))).Max(StringComparer.Ordinal)!;
        var ofMonth = rows.Where(r => r.OrgLife?.Month == month).ToArray();
        var lifeOrganisations = ofMonth.Sum(r => r.OrgLife.Organisations);
        var lifeCompliant = ofMonth.Sum(r => r.OrgLife.Compliant);
        var employees = rows.Sum(r => r.Employees);
        // Development's counts of this year, of the newest year the rows are about, as organisational life's month.
        var developed = rows.Select(r => r.Development).OfType<DevelopmentFigures>().ToArray();
        var year = developed.Select(d => d.Year).DefaultIfEmpty(Validation.Today(now).Year).Max();
        var ofYear = developed.Where(d => d.Year == year).ToArray();
        // Stations' monthly duties, of the same month as organisational life and for the same reason.
        var stationMonth = rows.Select(r => r.StationWork?.Month).OfType<string>().DefaultIfEmpty(month).Max(StringComparer.Ordinal)!;
        var workOfMonth = rows.Where(r => r.StationWork?.Month == stationMonth).Select(r => r.StationWork).ToArray();
        // Evaluations of the latest year any county evaluated: a county whose latest is earlier has none of that year.
        var evaluationYear = rows.Select(r => r.Evaluations?.Year).Max();
        var evaluated = rows.Where(r => r.Evaluations is { } e && e.Year == evaluationYear && evaluationYear is not null).Select(r => r.Evaluations).ToArray();
        // Training of the newest year the rows are about, as development's.
        var trained = rows.Select(r => r.Training).OfType<TrainingFigures>().ToArray();
        var trainingYear = trained.Select(d => d.Year).DefaultIfEmpty(Validation.Today(now).Year).Max();
        var trainedOfYear = trained.Where(d => d.Year == trainingYear).ToArray();
        var mass = rows.Select(r => r.MassOrganisations).OfType<MassOrganisationFigures>().ToArray();
        return new CountySummary(
            County: code, Name: name, Seq: seq, AsOf: now,
            Prefecture: prefecture, PrefectureName: prefectureName, Province: province,
            Registered: Sum(r => r.Registered), Base: @base,
            OrgCovered: orgCovered, OrgCoverage: Rate(orgCovered, @base),
            Standalone: standalone, StandaloneRate: Rate(standalone, @base),
            Joint: Sum(r => r.Joint), Affiliated: Sum(r => r.Affiliated),
            WorkCovered: workCovered, WorkCoverage: Rate(workCovered, @base),
            PartyMembers: members, Employees: employees, MembersShare: Rate(members, employees),
            Stations: Sum(r => r.Stations), Groups: Sum(r => r.Groups),
            Instructors: new InstructorStrength(fullTime, partTime, fullTime + partTime, guided,
                fullTime + partTime == 0 ? 0 : Math.Round((double)guided / (fullTime + partTime), 2),
                Sum(r => r.Instructors.GroupsBelowStrength), [], Sum(r => r.Instructors.FullTimeBelowDutyDays)),
            Issues: new IssueFigures(raised, Sum(r => r.Issues.Open), Sum(r => r.Issues.Escalated), resolved,
                Sum(r => r.Issues.Overdue), Rate(resolved, raised), null),
            Archives: new ArchiveFigures(basic, featured, Rate(basic, @base), Rate(featured, @base)),
            Assessments: new AssessmentFigures(Sum(r => r.Assessments.Excellent), Sum(r => r.Assessments.Competent),
                Sum(r => r.Assessments.BasicallyCompetent), Sum(r => r.Assessments.Incompetent)),
            Linkage: new LinkageFigures(linked, area, Rate(linked, area), rows.Count == 0 ? 0.7 : rows.Max(r => r.Linkage.Target)),
            StationsMeetingTarget: Sum(r => r.StationsMeetingTarget),
            StationLinkage: [],
            StationBranchMembers: Sum(r => r.StationBranchMembers),
            StationBranchSurfaced: Sum(r => r.StationBranchSurfaced),
            Organisations: new OrganisationFigures(Sum(r => r.Organisations.Total), SumMaps(r => r.Organisations.ByKind),
                SumMaps(r => r.Organisations.ByHost), Sum(r => r.Organisations.TermsDue)),
            OrgLife: new OrgLifeFigures(month, lifeOrganisations, lifeCompliant, Rate(lifeCompliant, lifeOrganisations)),
            Development: new DevelopmentFigures(year, developed.Sum(d => d.Applicants), developed.Sum(d => d.Activists),
                developed.Sum(d => d.Candidates), developed.Sum(d => d.Probationary), ofYear.Sum(d => d.NewProbationaryThisYear),
                ofYear.Sum(d => d.NewFullThisYear), developed.Sum(d => d.Overdue)),
            StationWork: StationWork(Rules.StationWork.MonthOf(stationMonth) ?? OrganisationalLife.LastClosedMonth(Validation.Today(now)),
                workOfMonth.Sum(w => w.Stations), workOfMonth.Sum(w => w.HeldMeeting), workOfMonth.Sum(w => w.SentReport),
                rows.Sum(r => r.StationWork?.OutsideStrength ?? 0)),
            Evaluations: Evaluations(evaluationYear, evaluated.Sum(e => e.Good), evaluated.Sum(e => e.FairlyGood),
                evaluated.Sum(e => e.Average), evaluated.Sum(e => e.Poor)),
            Training: new TrainingFigures(trainingYear, trainedOfYear.Sum(d => d.Sessions), trainedOfYear.Sum(d => d.Attendances)),
            Honours: new HonourFigures(rows.Sum(r => r.Honours?.Total ?? 0), SumMaps(r => r.Honours?.ByKind ?? [])),
            ContactPoints: Sum(r => r.ContactPoints),
            MassOrganisations: MassOrganisations(mass.Sum(m => m.Unions), mass.Sum(m => m.YouthLeague), @base),
            Circles: CircleTotals(rows.Select(r => r.Circles).OfType<CircleFigures>().ToArray(), @base));
    }

    private static CircleFigures CircleTotals(CircleFigures[] circles, int @base)
    {
        var within = circles.Sum(c => c.EnterprisesWithin);
        return new CircleFigures(circles.Sum(c => c.Circles), within, Rate(within, @base), circles.Sum(c => c.PartyMembersWithin), circles.Sum(c => c.CentresAreaM2));
    }
}
