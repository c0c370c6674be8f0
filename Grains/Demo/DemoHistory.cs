using Beacon.Grains.Figures;
using Beacon.Rules;

namespace Beacon.Grains.Demo;

/// <summary>
/// A demo county's last <see cref="Months"/> month-ends, made deterministically from its register as it stands today:
/// the register as it was then (what was covered, linked and archived grows towards today at the county's own pace,
/// organisations exist once they cover something or were founded, issues, applicants, classes, honours, contact points
/// and meetings count from their dates), summed by the county's own tally. 陇西's members follow its seed: 155 members,
/// 1.46% of employees at the start, 193 and 1.64% today (seeds/001 gives them two years apart).
/// </summary>
public static class DemoHistory
{
    public const int Months = 24;

    private const string Longxi = "621122";

    public static DaySnapshot[] For(DemoRegister demo, DateTimeOffset now)
    {
        var today = Validation.Today(now);
        var code = demo.Profile.Code;
        var seed = int.Parse(code);
        // The share of today's covered, linked and archived enterprises the county had at the start, and how the rest
        // came: a speed above 1 came late, below 1 early. Assumed, so that counties improve at different speeds.
        var start = 0.45 + seed % 7 * 0.06;
        var speed = 0.6 + seed % 5 * 0.35;
        var meetings = DemoMeetings.For(demo, today).ToDictionary(m => m.OrganisationId, m => m.Meetings);
        var thisMonth = new DateOnly(today.Year, today.Month, 1);
        var snapshots = new List<DaySnapshot>();
        for (var back = Months; back >= 1; back--)
        {
            var end = thisMonth.AddMonths(1 - back).AddDays(-1);
            var progress = (double)(Months - back) / Months;
            var share = start + (1 - start) * Math.Pow(progress, speed);
            var at = new DateTimeOffset(end.ToDateTime(new TimeOnly(23, 59)), Validation.ChinaOffset);
            snapshots.Add(new DaySnapshot(end, Summarize(demo, meetings, share, progress, end, at)));
        }
        return [.. snapshots];
    }

    private static CountySummary Summarize(DemoRegister demo, Dictionary<string, OrganisationMeeting[]> meetings,
        double share, double progress, DateOnly end, DateTimeOffset at)
    {
        var tally = new CountyTally(demo.Profile.AffiliatedCountsAsCovered, demo.Profile.OverdueDays);
        var ledger = new CountyLedger();
        void Add(Contribution c)
        {
            if (ledger.TryReplace(c, out _)) tally.Apply(c, +1);
        }

        var enterprises = Thin(demo.Enterprises, share);
        if (demo.Profile.Code == Longxi)
        {
            var members = Scale([.. enterprises.Select(e => e.PartyMembers)], (int)Math.Round(155 + (193 - 155) * progress));
            var employees = Scale([.. enterprises.Select(e => e.Employees)], (int)Math.Round(10_616 + (11_799 - 10_616) * progress));
            enterprises = [.. enterprises.Select((e, i) => e with { PartyMembers = Math.Min(members[i], employees[i]), Employees = employees[i] })];
        }
        var referenced = enterprises.Where(e => e.Organisation.OrganisationId is not null).Select(e => e.Organisation.OrganisationId!).ToHashSet(StringComparer.Ordinal);

        foreach (var s in demo.Stations)
            Add((StationContribution)Registers.Stations.Contribute(s.StationId, s, 1) with
            {
                MeetingMonths = StationWork.MeetingMonths(demo.StationMeetings.Where(m => m.StationId == s.StationId && m.Meeting.Date <= end).Select(m => m.Meeting)),
                ReportMonths = StationWork.ReportMonths(demo.StationReports.Where(r => r.StationId == s.StationId && StationWork.MonthOf(r.Report.Month) is { } m && OrganisationalLife.LastDay(m) < end.AddDays(1)).Select(r => r.Report)),
            });
        foreach (var g in demo.Groups) Add(Registers.Groups.Contribute(g.GroupId, g, 1));
        foreach (var i in demo.Instructors) Add(Registers.Instructors.Contribute(i.InstructorId, i, 1));
        foreach (var o in demo.Organisations)
        {
            // An organisation of enterprises is there while it covers one; the others once they were founded.
            var there = o.Host is OrganisationHost.Enterprise or OrganisationHost.Joint
                ? referenced.Contains(o.OrganisationId)
                : (o.EstablishedOn ?? DateOnly.MinValue) <= end;
            if (!there) continue;
            Add((OrganisationContribution)Registers.Organisations.Contribute(o.OrganisationId, o, 1) with
            {
                Held = OrganisationalLife.Kept(OrganisationalLife.Held(meetings.GetValueOrDefault(o.OrganisationId, []).Where(m => m.Date <= end))),
            });
        }
        foreach (var e in enterprises) Add(Registers.Enterprises.Contribute(e.CreditCode, e, 1));
        foreach (var a in demo.Applicants.Where(a => a.AppliedOn <= end))
            Add(Registers.Applicants.Contribute(a.ApplicantId, AsOf(a, end), 1));
        foreach (var x in demo.Trainings.Where(x => x.StartsOn <= end)) Add(Registers.Trainings.Contribute(x.TrainingId, x, 1));
        foreach (var x in demo.Honours.Where(x => x.Year <= end.Year)) Add(Registers.Honours.Contribute(x.HonourId, x, 1));
        foreach (var x in demo.ContactPoints.Where(x => x.Since <= end)) Add(Registers.ContactPoints.Contribute(x.ContactPointId, x, 1));
        var n = 0;
        foreach (var i in demo.Issues.Where(i => i.RaisedAt <= at))
        {
            var resolved = i.ResolvedAt is { } r && r <= at;
            var state = resolved ? IssueState.Resolved : i.Escalated ? IssueState.Escalated : IssueState.Open;
            Add(new IssueContribution($"H{++n:D6}", 1, false, i.CreditCode, i.Category, state, i.StationId, i.RaisedAt,
                i.RaisedAt.AddDays(demo.Profile.OverdueDays), resolved ? i.ResolvedAt : null, i.RaisedAt));
        }
        return CountyFigures.Summarize(demo.Profile, tally, ledger, 0, at);
    }

    /// <summary>
    /// The register with only <paramref name="share"/> of today's covered, linked and archived enterprises as such,
    /// the first ones in the register's own (shuffled) order: those that came later were not yet.
    /// </summary>
    private static List<EnterpriseProfile> Thin(List<EnterpriseProfile> enterprises, double share)
    {
        int Keep(Func<EnterpriseProfile, bool> what) => (int)Math.Round(enterprises.Count(what) * share);
        int covered = Keep(e => e.Organisation.Mode != FormationMode.None), linked = Keep(e => e.StationId is not null),
            archived = Keep(e => e.Archive is not null);
        var result = new List<EnterpriseProfile>(enterprises.Count);
        foreach (var e in enterprises)
        {
            var next = e;
            if (e.Organisation.Mode != FormationMode.None && covered-- <= 0)
                next = next with { Organisation = new PartyOrganisation(FormationMode.None), DemonstrationPosts = 0, ResponsibilityZones = 0 };
            if (e.StationId is not null && linked-- <= 0) next = next with { StationId = null, GroupId = null };
            if (e.Archive is not null && archived-- <= 0) next = next with { Archive = null };
            result.Add(next);
        }
        return result;
    }

    /// <summary>The applicant as the record stood at <paramref name="end"/>: the steps taken by then.</summary>
    private static ApplicantProfile AsOf(ApplicantProfile a, DateOnly end)
    {
        DateOnly? By(DateOnly? d) => d <= end ? d : null;
        return a with
        {
            TalkedOn = By(a.TalkedOn), ActivistOn = By(a.ActivistOn), CandidateOn = By(a.CandidateOn), ProbationaryOn = By(a.ProbationaryOn),
            FullOn = By(a.FullOn), WithdrawnOn = By(a.WithdrawnOn), ExtendedMonths = By(a.ProbationaryOn) is null ? null : a.ExtendedMonths,
        };
    }

    /// <summary>Whole numbers in proportion to <paramref name="values"/> summing to <paramref name="total"/> (largest remainders).</summary>
    private static int[] Scale(int[] values, int total)
    {
        var sum = values.Sum(v => (long)v);
        if (sum == 0) return values;
        var exact = values.Select(v => (double)v * total / sum).ToArray();
        var result = exact.Select(x => (int)Math.Floor(x)).ToArray();
        foreach (var i in Enumerable.Range(0, values.Length).OrderByDescending(i => exact[i] - result[i]).ThenBy(i => i).Take(total - result.Sum()))
            result[i]++;
        return result;
    }
}
