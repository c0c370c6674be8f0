namespace Beacon.Rules;

/// <summary>
/// The path to membership (发展党员) and its time rules, in one place: the applicants' register validates with
/// <see cref="Check"/>, the applicant's contribution carries <see cref="Stage"/> and <see cref="DueOn"/>, and the
/// county's tally counts a step overdue with <see cref="IsOverdue"/>. The numbers are the 《中国共产党发展党员工作细则》's:
/// a talk within a month of the application (一个月内派人谈话), at least a year of training as an activist before
/// becoming a candidate (培养教育考察一年以上), a probation of one year (预备期一年), which may be extended once by
/// six months to a year (延长一次，时间不能少于半年，最长不超过一年), and applicants of eighteen or more (年满十八岁).
/// </summary>
public static class Development
{
    /// <summary>The branch talks with an applicant within this many days of the application.</summary>
    public const int TalkWithinDays = 30;
    /// <summary>An activist is trained for at least this many years before being made a candidate.</summary>
    public const int ActivistYears = 1;
    /// <summary>The probation (预备期) lasts this many years before full membership (转正).</summary>
    public const int ProbationYears = 1;
    /// <summary>A probation may be extended once by this many months at least…</summary>
    public const int MinExtensionMonths = 6;
    /// <summary>…and at most.</summary>
    public const int MaxExtensionMonths = 12;
    /// <summary>Only a person of eighteen or more may apply; with a birth year only, the years between are counted.</summary>
    public const int MinAgeAtApplication = 18;
    /// <summary>An applicant older than this at application is a typing error in the birth year.</summary>
    public const int MaxAgeAtApplication = 100;

    /// <summary>The field of each step, in the order of the path, with its label: what a refusal names.</summary>
    private static readonly (string Field, Said Label)[] Steps =
    [
        ("appliedOn", new("申请入党日期", "the application")),
        ("talkedOn", new("谈话日期", "the talk")),
        ("activistOn", new("确定积极分子日期", "becoming an activist")),
        ("candidateOn", new("确定发展对象日期", "becoming a candidate")),
        ("probationaryOn", new("接收预备党员日期", "becoming probationary")),
        ("fullOn", new("转正日期", "full membership")),
    ];

    /// <summary>Where an applicant stands: the last step taken, or withdrawn (which ends the path).</summary>
    public static ApplicantStage Stage(ApplicantProfile p) =>
        p.WithdrawnOn is not null ? ApplicantStage.Withdrawn
        : p.FullOn is not null ? ApplicantStage.Full
        : p.ProbationaryOn is not null ? ApplicantStage.Probationary
        : p.CandidateOn is not null ? ApplicantStage.Candidate
        : p.ActivistOn is not null ? ApplicantStage.Activist
        : ApplicantStage.Applicant;

    /// <summary>The last day the talk may be held.</summary>
    public static DateOnly TalkDueBy(DateOnly appliedOn) => appliedOn.AddDays(TalkWithinDays);

    /// <summary>The first day an activist may become a candidate (a year later: 2025-12-31 → 2026-12-31).</summary>
    public static DateOnly EarliestCandidate(DateOnly activistOn) => activistOn.AddYears(ActivistYears);

    /// <summary>When the probation ends, with its extension if any: the first day full membership may be decided.</summary>
    public static DateOnly ProbationEnds(DateOnly probationaryOn, int? extendedMonths) =>
        probationaryOn.AddYears(ProbationYears).AddMonths(extendedMonths ?? 0);

    /// <summary>
    /// The day by which the next step is due, or null when nothing is due by a day: the talk (30 days after the
    /// application) and full membership (when the probation and its extension end) have deadlines; becoming an activist,
    /// a candidate or probationary wait on the branch's judgement, with a least time but no latest. A withdrawn or full
    /// applicant has nothing due.
    /// </summary>
    public static DateOnly? DueOn(ApplicantProfile p) => Stage(p) switch
    {
        ApplicantStage.Applicant when p.TalkedOn is null => TalkDueBy(p.AppliedOn),
        ApplicantStage.Probationary => ProbationEnds(p.ProbationaryOn!.Value, p.ExtendedMonths),
        _ => null,
    };

    /// <summary>A step due by <paramref name="due"/> and not taken is overdue from the day after (China's date).</summary>
    public static bool IsOverdue(DateOnly due, DateOnly today) => today > due;

    /// <summary>When a step due by <paramref name="due"/> falls overdue: China's midnight at the end of that day.</summary>
    public static DateTimeOffset OverdueFrom(DateOnly due) => new(due.AddDays(1).ToDateTime(TimeOnly.MinValue), Validation.ChinaOffset);

    /// <summary>
    /// The rules an applicant's dates keep, each refusal under its field: no date in the future (nor before
    /// <see cref="Validation.Earliest"/>), no step without the one before, each step in its time, the extension of 6 to
    /// 12 months on a probation, a plausible birth year, and nothing after a withdrawal.
    /// </summary>
    public static void Check(Validation v, ApplicantProfile p, DateOnly today)
    {
        v.Defined("gender", p.Gender);
        v.Date("appliedOn", p.AppliedOn, today);
        var age = p.AppliedOn.Year - p.BirthYear;
        if (age < MinAgeAtApplication)
            v.Add("birthYear", $"申请入党时须年满 {MinAgeAtApplication} 岁（出生年份不晚于 {p.AppliedOn.Year - MinAgeAtApplication}）",
                $"the applicant must be at least {MinAgeAtApplication} at application (born in {p.AppliedOn.Year - MinAgeAtApplication} or earlier)");
        else if (age > MaxAgeAtApplication)
            v.Add("birthYear", $"申请入党时不可能超过 {MaxAgeAtApplication} 岁（出生年份不早于 {p.AppliedOn.Year - MaxAgeAtApplication}）",
                $"cannot be more than {MaxAgeAtApplication} years before the application ({p.AppliedOn.Year - MaxAgeAtApplication} or later)");

        DateOnly?[] dates = [p.AppliedOn, p.TalkedOn, p.ActivistOn, p.CandidateOn, p.ProbationaryOn, p.FullOn];
        for (var i = 1; i < dates.Length; i++)
        {
            if (dates[i] is not { } on) continue;
            var (field, _) = Steps[i];
            v.Date(field, on, today);
            // No step without the one before: the previous one names what is missing.
            if (dates[i - 1] is not { } before)
            {
                v.Add(field, $"须先有{Steps[i - 1].Label.Zh}", $"needs {Steps[i - 1].Label.En} first");
                continue;
            }
            switch (field)
            {
                case "talkedOn" when on < before || on > TalkDueBy(before):
                    v.Add(field, $"须在申请入党后 {TalkWithinDays} 天内（{before:yyyy-MM-dd} 至 {TalkDueBy(before):yyyy-MM-dd}）",
                        $"must be within {TalkWithinDays} days of the application ({before:yyyy-MM-dd} to {TalkDueBy(before):yyyy-MM-dd})");
                    break;
                case "activistOn" when on < before:
                    v.Add(field, $"不能早于谈话日期（{before:yyyy-MM-dd}）", $"must not be before the talk ({before:yyyy-MM-dd})");
                    break;
                case "candidateOn" when on < EarliestCandidate(before):
                    v.Add(field, $"须在确定积极分子满 {ActivistYears} 年后（不早于 {EarliestCandidate(before):yyyy-MM-dd}）",
                        $"must be at least {ActivistYears} year after becoming an activist (on or after {EarliestCandidate(before):yyyy-MM-dd})");
                    break;
                case "probationaryOn" when on < before:
                    v.Add(field, $"不能早于确定发展对象日期（{before:yyyy-MM-dd}）", $"must not be before becoming a candidate ({before:yyyy-MM-dd})");
                    break;
                case "fullOn" when on < ProbationEnds(before, p.ExtendedMonths):
                    var ends = ProbationEnds(before, p.ExtendedMonths);
                    v.Add(field, p.ExtendedMonths is { } m
                            ? $"须在预备期 {ProbationYears} 年及延长的 {m} 个月满后（不早于 {ends:yyyy-MM-dd}）"
                            : $"须在预备期满 {ProbationYears} 年后（不早于 {ends:yyyy-MM-dd}）",
                        p.ExtendedMonths is { } n
                            ? $"must be after the probation of {ProbationYears} year and its extension of {n} months (on or after {ends:yyyy-MM-dd})"
                            : $"must be after the probation of {ProbationYears} year (on or after {ends:yyyy-MM-dd})");
                    break;
            }
        }

        if (p.ExtendedMonths is { } months)
        {
            if (months < MinExtensionMonths || months > MaxExtensionMonths)
                v.Add("extendedMonths", $"预备期只能延长一次，须为 {MinExtensionMonths} 到 {MaxExtensionMonths} 个月",
                    $"a probation is extended once, by {MinExtensionMonths} to {MaxExtensionMonths} months");
            else if (p.ProbationaryOn is null)
                v.Add("extendedMonths", "须先有接收预备党员日期", "needs becoming probationary first");
        }

        if (p.WithdrawnOn is { } withdrawn)
        {
            v.Date("withdrawnOn", withdrawn, today);
            if (p.FullOn is not null)
                v.Add("withdrawnOn", "已转正为正式党员，发展已结束，不能再填退出日期", "full membership ended the path; there is nothing to withdraw from");
            else
            {
                // Withdrawn ends the path: no step after it, and it cannot come before the application.
                if (withdrawn < p.AppliedOn)
                    v.Add("withdrawnOn", $"不能早于申请入党日期（{p.AppliedOn:yyyy-MM-dd}）", $"must not be before the application ({p.AppliedOn:yyyy-MM-dd})");
                for (var i = 1; i < dates.Length; i++)
                    if (dates[i] is { } on && on > withdrawn)
                        v.Add(Steps[i].Field, $"不能晚于退出日期（{withdrawn:yyyy-MM-dd}）：退出后发展终止",
                            $"must not be after the withdrawal ({withdrawn:yyyy-MM-dd}), which ended the path");
            }
        }
    }
}
