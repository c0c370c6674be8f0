namespace Beacon.Rules;

/// <summary>What makes a record of activity acceptable: a station's meetings and reports, visits, assessments, issues.</summary>
public static class ActivityRules
{
    public static Validation Meeting(StationMeeting m, DateOnly today)
    {
        var v = new Validation();
        v.Date("date", m.Date, today);
        v.Defined("kind", m.Kind);
        v.Count("attendees", m.Attendees, 10_000);
        v.Text("topic", m.Topic, 200);
        return v;
    }

    /// <summary>Most members an organisation's meeting expects: a county's largest committee has some thousands.</summary>
    public const int MaxMembersExpected = 100_000;

    /// <summary>
    /// An organisation's meeting (三会一课, 主题党日, 组织生活会). A meeting before the organisation was established is a
    /// typing error, and would count it compliant in a month it is not counted for.
    /// </summary>
    public static Validation OrganisationMeeting(OrganisationMeeting m, DateOnly today, DateOnly? establishedOn)
    {
        var v = new Validation();
        v.Date("date", m.Date, today);
        if (establishedOn is { } established && m.Date >= Validation.Earliest && m.Date <= today && m.Date < established)
            v.Add("date", $"不能早于党组织成立日期 {established:yyyy-MM-dd}", $"must not be before the organisation was established, {established:yyyy-MM-dd}");
        v.Defined("kind", m.Kind);
        v.Between("expected", m.Expected, 1, MaxMembersExpected);
        v.Count("attended", m.Attended, MaxMembersExpected);
        if (m.Attended > m.Expected && m.Expected >= 1) v.Add("attended", "不能多于应到人数（expected）", "must not be more than expected");
        v.Text("topic", m.Topic, 200);
        return v;
    }

    /// <summary>Most issues one monthly report names for the county: each is looked up in the county's register.</summary>
    public const int MaxIssuesPerReport = 200;

    public static Validation Report(MonthlyReport r, DateOnly today)
    {
        var v = new Validation();
        v.Month("month", r.Month, today);
        v.Text("summary", r.Summary, 4000);
        if (r.IssuesForCounty is null) v.Add("issuesForCounty", "必填（可为空列表）", "is required (may be empty)");
        else
        {
            for (var i = 0; i < r.IssuesForCounty.Length; i++) v.Identifier($"issuesForCounty[{i}]", r.IssuesForCounty[i]);
            if (r.IssuesForCounty.Length > MaxIssuesPerReport)
                v.Add("issuesForCounty", $"最多 {MaxIssuesPerReport} 项", $"must name at most {MaxIssuesPerReport} issues");
            else if (r.IssuesForCounty.Distinct(StringComparer.Ordinal).Count() != r.IssuesForCounty.Length)
                v.Add("issuesForCounty", "问题不能重复", "must not repeat an issue");
        }
        return v;
    }

    /// <summary>The first year an organisation's effectiveness is evaluated in Beacon's registers.</summary>
    public const int EarliestEvaluationYear = 2000;

    /// <summary>An organisation's annual evaluation: a year that has begun, a rating, a note of at most 500 characters.</summary>
    public static Validation Evaluation(OrganisationEvaluation e, DateOnly today)
    {
        var v = new Validation();
        if (e.Year < EarliestEvaluationYear) v.Add("year", $"不能早于 {EarliestEvaluationYear} 年", $"must not be before {EarliestEvaluationYear}");
        else if (e.Year > today.Year) v.Add("year", "不能晚于今年", "must not be in the future");
        v.Defined("rating", e.Rating);
        v.Text("note", e.Note, 500, required: false);
        return v;
    }

    public static Validation Visit(Visit visit, DateOnly today)
    {
        var v = new Validation();
        if (CreditCode.Check(visit.CreditCode) is { } why) v.Add("creditCode", why);
        v.Date("date", visit.Date, today);
        v.Text("note", visit.Note, 2000);
        return v;
    }

    public static Validation Assessment(Assessment a)
    {
        var v = new Validation();
        v.Defined("kind", a.Kind);
        v.Text("period", a.Period, 20);
        if (a.Score is < 0 or > 100) v.Add("score", "须在 0 到 100 之间", "must be between 0 and 100");
        v.Defined("rating", a.Rating);
        return v;
    }

    public static Validation Issue(string creditCode, IssueCategory category, string text)
    {
        var v = new Validation();
        if (CreditCode.Check(creditCode) is { } why) v.Add("creditCode", why);
        v.Defined("category", category);
        v.Text("text", text, 2000);
        return v;
    }
}
