namespace Beacon.Grains.Figures;

/// <summary>A summary as a flat list of named figures, to say what a reconcile changed.</summary>
internal static class SummaryFigures
{
    public static IEnumerable<(string Figure, double Value)> Flatten(CountySummary s)
    {
        yield return ("registered", s.Registered);
        yield return ("base", s.Base);
        yield return ("orgCovered", s.OrgCovered);
        yield return ("orgCoverage", s.OrgCoverage);
        yield return ("standalone", s.Standalone);
        yield return ("standaloneRate", s.StandaloneRate);
        yield return ("joint", s.Joint);
        yield return ("affiliated", s.Affiliated);
        yield return ("organisations", s.Organisations);
        yield return ("workCovered", s.WorkCovered);
        yield return ("workCoverage", s.WorkCoverage);
        yield return ("partyMembers", s.PartyMembers);
        yield return ("employees", s.Employees);
        yield return ("membersShare", s.MembersShare);
        yield return ("stations", s.Stations);
        yield return ("groups", s.Groups);
        yield return ("stationsMeetingTarget", s.StationsMeetingTarget);
        yield return ("stationBranchMembers", s.StationBranchMembers);
        yield return ("instructors.fullTime", s.Instructors.FullTime);
        yield return ("instructors.partTime", s.Instructors.PartTime);
        yield return ("instructors.enterprisesGuided", s.Instructors.EnterprisesGuided);
        yield return ("instructors.groupsBelowTwoFullTime", s.Instructors.GroupsBelowTwoFullTime.Length);
        yield return ("issues.raised", s.Issues.Raised);
        yield return ("issues.open", s.Issues.Open);
        yield return ("issues.escalated", s.Issues.Escalated);
        yield return ("issues.resolved", s.Issues.Resolved);
        yield return ("issues.overdue", s.Issues.Overdue);
        yield return ("archives.basic", s.Archives.Basic);
        yield return ("archives.featured", s.Archives.Featured);
        yield return ("assessments.excellent", s.Assessments.Excellent);
        yield return ("assessments.competent", s.Assessments.Competent);
        yield return ("assessments.basicallyCompetent", s.Assessments.BasicallyCompetent);
        yield return ("assessments.incompetent", s.Assessments.Incompetent);
        foreach (var st in s.StationLinkage)
        {
            yield return ($"stationLinkage[{st.StationId}].areaEnterprises", st.AreaEnterprises);
            yield return ($"stationLinkage[{st.StationId}].linked", st.Linked);
        }
    }

    public static FigureDifference[] Differences(CountySummary before, CountySummary after)
    {
        var old = Flatten(before).ToDictionary(f => f.Figure, f => f.Value);
        var now = Flatten(after).ToDictionary(f => f.Figure, f => f.Value);
        return old.Keys.Union(now.Keys)
            .Select(k => new FigureDifference(k, old.GetValueOrDefault(k), now.GetValueOrDefault(k)))
            .Where(d => d.Before != d.After)
            .ToArray();
    }
}
