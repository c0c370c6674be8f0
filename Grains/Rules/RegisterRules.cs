namespace Beacon.Grains.Rules;

/// <summary>What makes a register entry acceptable on its own; references to other entries are checked by the county.</summary>
public static class RegisterRules
{
    /// <summary>More people than the largest private employers have; anything above is a typing error.</summary>
    public const int MaxEmployees = 1_000_000;
    public const int MinStandaloneMembers = 3;

    public static Validation Enterprise(EnterpriseProfile p)
    {
        var v = new Validation();
        if (CreditCode.Check(p.CreditCode) is { } why) v.Add("creditCode", why);
        v.Text("name", p.Name, 200);
        v.Text("industry", p.Industry, 100, required: false);
        v.Text("township", p.Township, 50, required: false);
        if (!Enum.IsDefined(p.Kind)) v.Add("kind", "must be enterprise or socialOrganisation");
        v.Count("employees", p.Employees, MaxEmployees);
        v.Count("partyMembers", p.PartyMembers, MaxEmployees);
        if (p.PartyMembers > p.Employees && p.Employees >= 0)
            v.Add("partyMembers", $"must not exceed employees ({p.Employees})");
        v.Count("demonstrationPosts", p.DemonstrationPosts, 10_000);
        v.Count("responsibilityZones", p.ResponsibilityZones, 10_000);

        if (p.Organisation is null) v.Add("organisation", "is required");
        else
        {
            var mode = p.Organisation.Mode;
            if (!Enum.IsDefined(mode)) v.Add("organisation.mode", "must be none, standalone, joint or affiliated");
            if (mode == FormationMode.Standalone && p.PartyMembers < MinStandaloneMembers)
                v.Add("organisation.mode", $"a standalone organisation needs at least {MinStandaloneMembers} party members, this enterprise has {p.PartyMembers}");
            if (mode is FormationMode.Joint or FormationMode.Affiliated)
                v.Identifier("organisation.organisationId", p.Organisation.OrganisationId);
            else if (mode == FormationMode.None && p.Organisation.OrganisationId is not null)
                v.Add("organisation.organisationId", "must be empty when there is no organisation");
        }

        if (p.InBase && !string.IsNullOrEmpty(p.ExclusionReason))
            v.Add("exclusionReason", "must be empty for an enterprise in the base");
        if (!p.InBase) v.Text("exclusionReason", p.ExclusionReason, 200);
        else v.Text("exclusionReason", p.ExclusionReason, 200, required: false);

        v.Identifier("stationId", p.StationId, required: false);
        v.Identifier("groupId", p.GroupId, required: false);
        v.Identifier("instructorId", p.InstructorId, required: false);
        if (p.Location is { } at)
        {
            if (!double.IsFinite(at.Lat) || at.Lat is < -90 or > 90) v.Add("location.lat", "must be between -90 and 90");
            if (!double.IsFinite(at.Lon) || at.Lon is < -180 or > 180) v.Add("location.lon", "must be between -180 and 180");
        }
        if (p.Archive is { Featured: true, Basic: false })
            v.Add("archive.featured", "a featured archive needs a basic archive first");
        return v;
    }

    public static Validation Station(StationProfile p)
    {
        var v = new Validation();
        v.Identifier("stationId", p.StationId);
        v.Text("name", p.Name, 100);
        if (p.Townships is null || p.Townships.Length == 0) v.Add("townships", "must name at least one township of the station's area");
        else
        {
            for (var i = 0; i < p.Townships.Length; i++) v.Text($"townships[{i}]", p.Townships[i], 50);
            if (p.Townships.Distinct(StringComparer.Ordinal).Count() != p.Townships.Length) v.Add("townships", "must not repeat a township");
        }
        v.Text("chief", p.Chief, 50, required: false);
        v.Text("deputy", p.Deputy, 50, required: false);
        v.Text("address", p.Address, 200, required: false);
        if (p.Branch is { } branch)
        {
            v.Count("branch.members", branch.Members, 100_000);
            v.Count("branch.applications", branch.Applications, 100_000);
        }
        return v;
    }

    public static Validation Group(InstructorGroupProfile p)
    {
        var v = new Validation();
        v.Identifier("groupId", p.GroupId);
        v.Text("name", p.Name, 100);
        v.Identifier("stationId", p.StationId);
        return v;
    }

    public static Validation Instructor(InstructorProfile p)
    {
        var v = new Validation();
        v.Identifier("instructorId", p.InstructorId);
        v.Text("name", p.Name, 50);
        v.Text("sourceUnit", p.SourceUnit, 50, required: false);
        v.Identifier("stationId", p.StationId, required: false);
        v.Identifier("groupId", p.GroupId, required: false);
        if (p.Rating is { } r && !Enum.IsDefined(r)) v.Add("rating", "must be excellent, competent, basicallyCompetent or incompetent");
        if (p.DutyDaysPerWeek is < 0 or > 7) v.Add("dutyDaysPerWeek", "must be between 0 and 7");
        return v;
    }

    public static Validation Meeting(StationMeeting m, DateOnly today)
    {
        var v = new Validation();
        v.Date("date", m.Date, today);
        if (!Enum.IsDefined(m.Kind)) v.Add("kind", "must be staffMeeting, threeMeetingsOneLesson or themedPartyDay");
        v.Count("attendees", m.Attendees, 10_000);
        v.Text("topic", m.Topic, 200);
        return v;
    }

    public static Validation Report(MonthlyReport r, DateOnly today)
    {
        var v = new Validation();
        v.Month("month", r.Month, today);
        v.Text("summary", r.Summary, 4000);
        if (r.IssuesForCounty is null) v.Add("issuesForCounty", "is required (may be empty)");
        else for (var i = 0; i < r.IssuesForCounty.Length; i++) v.Identifier($"issuesForCounty[{i}]", r.IssuesForCounty[i]);
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
        if (!Enum.IsDefined(a.Kind)) v.Add("kind", "must be daily, annual or democratic");
        v.Text("period", a.Period, 20);
        if (a.Score is < 0 or > 100) v.Add("score", "must be between 0 and 100");
        if (!Enum.IsDefined(a.Rating)) v.Add("rating", "must be excellent, competent, basicallyCompetent or incompetent");
        return v;
    }

    public static Validation Issue(string creditCode, IssueCategory category, string text)
    {
        var v = new Validation();
        if (CreditCode.Check(creditCode) is { } why) v.Add("creditCode", why);
        if (!Enum.IsDefined(category)) v.Add("category", "must be financing, labour, policy, landAndPremises, partyOrganisation or other");
        v.Text("text", text, 2000);
        return v;
    }
}
