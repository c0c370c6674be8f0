using Beacon.Rules;

namespace Beacon.Grains.Demo;

/// <summary>
/// Expands a <see cref="DemoCounty"/>'s totals into register entries, deterministically: the same county on the same
/// day always gives the same enterprises, stations, instructors, party organisations and issues, and its figures
/// equal the totals. Organisations' terms and dates are counted back from that day.
/// </summary>
public sealed partial class DemoRegister
{
    private static readonly string[] Brands = "恒达 顺达 鑫源 华信 宏泰 金盛 瑞丰 天和 永安 鸿运 嘉禾 中天 博远 兴业 锦程 新源 昌盛 汇通 德润 同创 聚力 龙腾 富民 亿丰 旭日 正大 联创 佳和 盛世 万隆".Split(' ');
    private static readonly string[] SocialForms = ["商会", "协会", "民办学校", "社区医疗服务中心", "职业培训学校", "行业联合会"];
    private static readonly string[] Exclusions = ["已注销", "空壳企业，无实际经营", "已迁出本县"];
    private static readonly string[] SourceUnits = ["组织", "工商", "工信", "统战", "人社", "税务"];
    private static readonly (IssueCategory Category, string Text)[] IssueTexts =
    [
        (IssueCategory.Financing, "企业流动资金紧张，申请协调银行贷款"),
        (IssueCategory.Labour, "季节性用工短缺，请求协调招聘"),
        (IssueCategory.Policy, "对减税降费政策不了解，请求上门解读"),
        (IssueCategory.LandAndPremises, "扩大生产需要新增厂房用地"),
        (IssueCategory.PartyOrganisation, "党组织缺少活动阵地，请求协调场所"),
        (IssueCategory.Other, "企业周边道路需要修缮"),
    ];

    public CountyProfile Profile { get; }
    public List<StationProfile> Stations { get; } = [];
    public List<InstructorGroupProfile> Groups { get; } = [];
    public List<InstructorProfile> Instructors { get; } = [];
    public List<EnterpriseProfile> Enterprises { get; } = [];
    /// <summary>Parents before their children, so that the loader can write them in this order.</summary>
    public List<OrganisationProfile> Organisations { get; } = [];
    public List<DemoIssue> Issues { get; } = [];
    /// <summary>Applicants (发展党员) at every stage, after the enterprises and organisations they name.</summary>
    public List<ApplicantProfile> Applicants { get; } = [];
    /// <summary>Stations' monthly meetings (例会) and reports over the twelve closed months before the day (六安's counties).</summary>
    public List<(string StationId, StationMeeting Meeting)> StationMeetings { get; } = [];
    public List<(string StationId, MonthlyReport Report)> StationReports { get; } = [];
    /// <summary>Training classes, honours and leading cadres' contact points (清水, 鄞州), after what they name.</summary>
    public List<TrainingProfile> Trainings { get; } = [];
    public List<HonourProfile> Honours { get; } = [];
    public List<ContactPointProfile> ContactPoints { get; } = [];
    public List<CircleProfile> Circles { get; } = [];
    /// <summary>Organisations' evaluations for the year before the day (陇西's survey).</summary>
    public List<(string OrganisationId, OrganisationEvaluation Evaluation)> Evaluations { get; } = [];

    public sealed record DemoIssue(string CreditCode, IssueCategory Category, string Text, DateTimeOffset RaisedAt,
        string? StationId, bool Escalated, DateTimeOffset? ResolvedAt);

    private enum Role { Standalone, Joint, Affiliated, InstructorOnly, None }

    public DemoRegister(DemoCounty c, DateTimeOffset now)
    {
        var random = new Random(int.Parse(c.Code));
        Profile = new CountyProfile(c.Code, c.Name, c.PrefectureName, c.ProvinceName, AffiliatedCountsAsCovered: c.AffiliatedCounts);

        // Stations, their groups, and the instructors who fill the groups.
        var instructorsOfStation = new Dictionary<string, List<InstructorProfile>>();
        var serial = 0;
        foreach (var s in c.Stations)
        {
            Stations.Add(new StationProfile(s.Id, s.Name, s.Townships, Chief: $"{Surname(serial)}站长", Deputy: $"{Surname(serial + 7)}副站长",
                Branch: s.BranchMembers > 0 || s.Surfaced > 0 ? new StationBranch(s.BranchMembers, s.BranchMembers / 3, s.Surfaced) : null,
                ParentStationId: s.ParentId,
                // Premises as 六安's stations report them: some 80 to 200 ㎡, and 2 to 5 万元 a year.
                Premises: c.Code.StartsWith(LuAnPrefecture, StringComparison.Ordinal)
                    ? new StationPremises(80 + serial * 37 % 120, 2 + serial * 13 % 31 / 10m) : null,
                Location: DemoPlaces.StationSite(c, s)));
            var mine = instructorsOfStation[s.Id] = [];
            for (var g = 0; g < s.GroupFullTime.Length; g++)
            {
                var group = new InstructorGroupProfile($"{s.Id}-G{g + 1}", $"{s.Name}第{g + 1}指导组", s.Id);
                Groups.Add(group);
                for (var k = 0; k < s.GroupFullTime[g]; k++) mine.Add(Instructor(++serial, true, s.Id, group.GroupId));
            }
            for (var k = 0; k < s.PartTimeInGroups; k++)
                mine.Add(Instructor(++serial, false, s.Id, $"{s.Id}-G{k % s.GroupFullTime.Length + 1}"));
            Instructors.AddRange(mine);
        }
        var unattachedFullTime = c.FullTime - Instructors.Count(i => i.FullTime);
        var unattachedPartTime = c.PartTime - Instructors.Count(i => !i.FullTime);
        if (unattachedFullTime < 0 || unattachedPartTime < 0) throw new InvalidOperationException($"{c.Code}: station instructors exceed the county's.");
        for (var k = 0; k < unattachedFullTime; k++) Instructors.Add(Instructor(++serial, true, null, null));
        for (var k = 0; k < unattachedPartTime; k++) Instructors.Add(Instructor(++serial, false, null, null));

        // Slots: each base enterprise's township and station; a station's area first, its linked ones at the front.
        var slots = new List<(string Township, string? Station)>();
        var linked = new List<(string, string?)>();
        foreach (var s in c.Stations)
            for (var k = 0; k < s.AreaBase; k++)
                (k < s.Linked ? linked : slots).Add((s.Townships[k % s.Townships.Length], k < s.Linked ? s.Id : null));
        var areaTownships = c.Stations.SelectMany(s => s.Townships).ToHashSet();
        var outside = c.Townships.Where(t => !areaTownships.Contains(t)).ToArray();
        if (outside.Length == 0) outside = c.Townships.Length > 0 ? c.Townships : [$"{c.Name}城区"];
        var rest = c.Base - c.Stations.Sum(s => s.AreaBase);
        for (var k = 0; k < rest; k++) slots.Add((outside[k % outside.Length], null));
        Shuffle(linked, random);
        Shuffle(slots, random);
        slots.InsertRange(0, linked);

        // Roles: covered and instructor-only enterprises first, shuffled, so the linked slots draw from them.
        var roles = new List<Role>();
        roles.AddRange(Enumerable.Repeat(Role.Standalone, c.Standalone));
        roles.AddRange(Enumerable.Repeat(Role.Joint, c.JointEnterprises));
        roles.AddRange(Enumerable.Repeat(Role.Affiliated, c.AffiliatedEnterprises));
        roles.AddRange(Enumerable.Repeat(Role.InstructorOnly, c.InstructorOnly));
        if (linked.Count > roles.Count) throw new InvalidOperationException($"{c.Code}: more linked enterprises than covered or guided ones.");
        Shuffle(roles, random);
        roles.AddRange(Enumerable.Repeat(Role.None, c.Base - roles.Count));

        var today = Validation.Today(now);
        var prefix = c.Name.EndsWith('区') ? c.PrefectureName + c.Name : c.Name;
        // The organisation each joint or affiliated enterprise belongs to; the general branches 陇西's branches are under, in turn.
        var coveredBy = new string?[c.Base];
        var generalBranches = new List<string>();
        var branchesUnder = 0;
        var jointCovering = new List<string>();
        var affiliatedCovering = new List<string>();

        // 陇西's development zone, "1+4+N" (seeds/001): its working committee, and a general branch per park under it,
        // to which the zone's affiliated enterprises are attached; then a regional general branch per activity circle.
        if (c.Zone is { } zone)
        {
            Add(ZoneCommittee, $"{zone.Name}党工委", OrganisationKind.Committee, OrganisationHost.Park, founded: 2010);
            for (var k = 0; k < zone.Parks.Length; k++)
            {
                var id = Add($"{ZoneCommittee}-{k + 1}", $"{zone.Name}{zone.Parks[k]}联合党总支", OrganisationKind.GeneralBranch, OrganisationHost.Park,
                    parent: ZoneCommittee, founded: 2010);
                generalBranches.Add(id);
                affiliatedCovering.Add(id);
            }
        }
        for (var k = 0; k < (c.Circles?.Length ?? 0); k++)
        {
            var id = Add($"QY-{k + 1}", $"{prefix}{c.Circles![k]}区域党总支", OrganisationKind.GeneralBranch, OrganisationHost.Region, founded: 2011);
            generalBranches.Add(id);
            jointCovering.Add(id);
        }

        // Joint enterprises by township, so that an organisation covers neighbours and is named after their place.
        var joint = Enumerable.Range(0, c.Base).Where(i => roles[i] == Role.Joint)
            .OrderBy(i => slots[i].Township, StringComparer.Ordinal).ThenBy(i => i).ToList();
        var affiliates = Enumerable.Range(0, c.Base).Where(i => roles[i] == Role.Affiliated)
            .OrderBy(i => slots[i].Township, StringComparer.Ordinal).ThenBy(i => i).ToList();

        // 鄞州's basic-level chambers of commerce (seeds/003): one general branch and the branches, one chamber per place,
        // each covering as many of the place's joint enterprises as an organisation covers on average.
        if (c.Chambers is { } chambers)
        {
            var places = c.Townships.Where(t => t != chambers.GeneralBranchPlace && joint.Any(i => slots[i].Township == t)).Take(chambers.Branches).Prepend(chambers.GeneralBranchPlace).ToArray();
            if (places.Length < 1 + chambers.Branches) throw new InvalidOperationException($"{c.Code}: fewer places with joint enterprises than chambers.");
            var each = Math.Max(1, c.JointEnterprises / (c.JointOrganisations + places.Length + jointCovering.Count));
            for (var k = 0; k < places.Length; k++)
            {
                var id = Add(k == 0 ? ChamberGeneralBranch : $"SH-{k:D2}", $"{prefix}{Place(places[k])}商会{(k == 0 ? "党总支" : "党支部")}",
                    k == 0 ? OrganisationKind.GeneralBranch : OrganisationKind.Branch, OrganisationHost.Chamber, founded: 2010);
                foreach (var i in joint.Where(i => slots[i].Township == places[k]).Take(each).ToArray())
                {
                    coveredBy[i] = id;
                    joint.Remove(i);
                }
            }
        }

        // 六安's station branches (seeds/004), one per station that has one: its members are the station's branch members.
        foreach (var s in c.Stations.Where(s => s.BranchMembers > 0))
            Add($"{s.Id}-DZB", $"{prefix}{s.Name}党支部", OrganisationKind.Branch, OrganisationHost.Station, station: s.Id);

        // Joint branches (联合党支部), and the joint branches that affiliated enterprises set up (挂靠建立, seeds/002):
        // each takes a run of neighbouring enterprises after the general branches and chambers that cover some directly.
        var placeOrdinals = new Dictionary<string, int>();
        Cover(joint, jointCovering, c.JointOrganisations, "J");
        Cover(affiliates, affiliatedCovering, c.AffiliatedOrganisations, "A");

        void Cover(List<int> enterprises, List<string> covering, int branches, string idPrefix)
        {
            var count = covering.Count + branches;
            if (enterprises.Count > 0 && count == 0) throw new InvalidOperationException($"{c.Code}: enterprises without an organisation to cover them.");
            for (var k = 0; k < count; k++)
            {
                var run = enterprises.GetRange(k * enterprises.Count / count, (k + 1) * enterprises.Count / count - k * enterprises.Count / count);
                string id;
                if (k < covering.Count) id = covering[k];
                else
                {
                    var place = run.Count > 0 ? slots[run[0]].Township : c.Name;
                    var ordinal = placeOrdinals[place] = placeOrdinals.GetValueOrDefault(place) + 1;
                    id = Add($"{idPrefix}{k - covering.Count + 1:D3}", $"{prefix}{place}非公企业{(ordinal > 1 ? $"第{Numeral(ordinal)}" : "")}联合党支部",
                        OrganisationKind.JointBranch, OrganisationHost.Joint, parent: NextGeneralBranch());
                }
                foreach (var i in run) coveredBy[i] = id;
            }
        }

        string? NextGeneralBranch() => generalBranches.Count == 0 ? null : generalBranches[branchesUnder++ % generalBranches.Count];

        // Members: a joint or affiliated enterprise's organisation has some, so they go to the first enterprise of each
        // organisation, then to the second of each, and so on.
        var members = new int[c.Base];
        var byMode = new[] { Role.Standalone, Role.Joint, Role.Affiliated, Role.None };
        for (var m = 0; m < 4; m++)
        {
            var holders = Enumerable.Range(0, c.Base).Where(i => roles[i] == byMode[m] || (byMode[m] == Role.None && roles[i] == Role.InstructorOnly)).ToArray();
            if (byMode[m] is Role.Joint or Role.Affiliated && holders.Length > 0)
            {
                var byOrganisation = holders.GroupBy(i => coveredBy[i]).Select(g => g.ToArray()).ToArray();
                holders = [.. Enumerable.Range(0, byOrganisation.Max(g => g.Length)).SelectMany(k => byOrganisation.Where(g => k < g.Length).Select(g => g[k]))];
            }
            Spread(members, holders, c.MembersByMode[m]);
        }
        var employees = Employees(c.Employees, members, random);

        var allInstructors = Instructors.ToArray();
        var names = new HashSet<string>(StringComparer.Ordinal);
        int guided = 0, posts = 0, zones = 0, coveredSeen = 0, standalone = 0, helped = 0;
        var coveredTotal = c.Standalone + c.JointEnterprises + c.AffiliatedEnterprises;
        for (var i = 0; i < c.Base; i++)
        {
            var (township, station) = slots[i];
            var role = roles[i];
            var organisation = role switch
            {
                Role.Standalone => new PartyOrganisation(FormationMode.Standalone, $"S{++standalone:D3}"),
                Role.Joint => new PartyOrganisation(FormationMode.Joint, coveredBy[i]),
                Role.Affiliated => new PartyOrganisation(FormationMode.Affiliated, coveredBy[i]),
                _ => new PartyOrganisation(FormationMode.None),
            };
            InstructorProfile? instructor = null;
            if (role == Role.InstructorOnly)
            {
                var pool = station is not null && instructorsOfStation[station].Count > 0 ? instructorsOfStation[station] : (IList<InstructorProfile>)allInstructors;
                instructor = pool[guided++ % pool.Count];
            }
            var socialSoFar = Enterprises.Count(e => e.Kind == EnterpriseKind.SocialOrganisation);
            var social = i % Math.Max(1, c.Base / Math.Max(1, c.SocialOrganisations)) == 0 && socialSoFar < c.SocialOrganisations;
            var covered = organisation.Mode != FormationMode.None;
            var p = covered && posts < c.DemonstrationPosts ? 1 : 0;
            posts += p;
            // Every other covered enterprise has a responsibility zone, and the last ones too if that is too few.
            var z = covered && zones < c.ResponsibilityZones && (coveredSeen % 2 == 0 || coveredTotal - coveredSeen <= c.ResponsibilityZones - zones) ? 1 : 0;
            zones += z;
            if (covered) coveredSeen++;
            var name = NameFor(c, i, township, social ? socialSoFar : null, names);
            if (role == Role.Standalone)
            {
                // Under 陇西's general branches in turn; in 鄞州, the first ones of the general branch's place were helped by its chamber.
                var parent = NextGeneralBranch();
                if (c.Chambers is { } ch && township == ch.GeneralBranchPlace && helped < ch.HelpedBranches)
                {
                    parent = ChamberGeneralBranch;
                    helped++;
                }
                Add(organisation.OrganisationId!, $"{name}党支部", OrganisationKind.Branch, OrganisationHost.Enterprise, parent, station, owner: standalone % 4 == 0);
            }
            var creditCode = CreditCodeFor(c.Code, i, social);
            Enterprises.Add(new EnterpriseProfile(
                creditCode, name, social ? EnterpriseKind.SocialOrganisation : EnterpriseKind.Enterprise,
                social ? "社会组织" : c.Industries[i % c.Industries.Length], AboveDesignatedSize: employees[i] >= 100,
                employees[i], members[i], InBase: true, ExclusionReason: null, organisation,
                StationId: station, GroupId: station is not null && instructor?.StationId == station ? instructor.GroupId : null,
                InstructorId: instructor?.InstructorId, Location: DemoPlaces.EnterpriseSite(c, township, creditCode), Township: township,
                Archive: i < c.BasicArchives ? new Archive(true, i < c.FeaturedArchives) : null,
                DemonstrationPosts: p, ResponsibilityZones: z));
        }
        // Archives went to the first enterprises in slot order, which are shuffled; registered but out of the base: about 3%.
        for (var k = 0; k < c.Base * 3 / 100; k++)
        {
            var i = c.Base + k;
            var creditCode = CreditCodeFor(c.Code, i, false);
            Enterprises.Add(new EnterpriseProfile(creditCode, NameFor(c, i, outside[k % outside.Length], null, names),
                EnterpriseKind.Enterprise, c.Industries[i % c.Industries.Length], false, 0, 0, InBase: false,
                Exclusions[k % Exclusions.Length], new PartyOrganisation(FormationMode.None),
                Location: DemoPlaces.EnterpriseSite(c, outside[k % outside.Length], creditCode), Township: outside[k % outside.Length]));
        }

        // Issues: resolved over the past year, open ones recent, a third of them past the 30-day deadline.
        var inBase = Enterprises.Take(c.Base).ToArray();
        var raised = c.IssuesResolved + c.IssuesOpen;
        for (var k = 0; k < raised; k++)
        {
            var e = inBase[(k * 7919) % inBase.Length];
            var (category, text) = IssueTexts[k % IssueTexts.Length];
            var open = k >= c.IssuesResolved;
            var openIndex = k - c.IssuesResolved;
            var age = !open ? random.Next(20, 360) : openIndex % 3 == 0 ? random.Next(31, 90) : random.Next(1, 25);
            var at = now.AddDays(-age).AddMinutes(-random.Next(0, 600));
            DateTimeOffset? resolvedAt = open ? null : at.AddDays(random.Next(1, Math.Min(age, 45))).AddHours(random.Next(3, 8));
            Issues.Add(new DemoIssue(e.CreditCode, category, text, at, e.StationId, open && openIndex < c.IssuesEscalated, resolvedAt));
        }

        AddApplicants(c, today, random);
        StationWork(c, today);
        Evaluate(c, today);
        Recognise(c, today);
        DrawCircles(c);

        // Terms of three years (five for a committee) begun on different days, so that some fall due for election within
        // 90 days of today; organisations the seeds date were founded in that year, the others before their term began.
        string Add(string id, string name, OrganisationKind kind, OrganisationHost host, string? parent = null, string? station = null,
            bool owner = false, int? founded = null)
        {
            var n = Organisations.Count + 1;
            var years = kind == OrganisationKind.Committee ? 5 : 3;
            var termStarted = today.AddYears(-years).AddDays(n * 53 % 1000);
            var established = founded is { } year ? new DateOnly(year, 1, 1).AddDays(n * 37 % 365) : termStarted.AddDays(-(n * 31 % 2000));
            Organisations.Add(new OrganisationProfile(id, name, kind, host, parent, station, Secretary: $"{Surname(n + 3)}{GivenName(n + 5)}",
                SecretaryIsOwner: owner, EstablishedOn: established < termStarted ? established : termStarted, TermStartedOn: termStarted, TermYears: years));
            return id;
        }

        InstructorProfile Instructor(int n, bool fullTime, string? station, string? group) =>
            new($"T{n:D4}", $"{Surname(n)}{GivenName(n)}", fullTime, SourceUnits[n % SourceUnits.Length], station, group,
                Rating: (n % 20) switch { 0 => AssessmentRating.BasicallyCompetent, < 7 => AssessmentRating.Excellent, _ => AssessmentRating.Competent },
                DutyDaysPerWeek: fullTime ? 3 + n % 3 : 1);
    }

    /// <summary>
    /// The county's <see cref="DemoCounty.Developed"/> new members of the last two years (received as probationary on
    /// days spread over the 730 days to today; full a year later where that has come, one after an extension of six
    /// months, the newest whose probation ended in the last month without a decision yet), and the people behind them
    /// on the path: as many
    /// activists as were developed, half as many candidates, a third as many applicants, one of whose talk is late, and
    /// one withdrawn. Each is developed by a standalone enterprise's own branch in turn, under its station where it has one.
    /// </summary>
    private void AddApplicants(DemoCounty c, DateOnly today, Random random)
    {
        if (c.Developed <= 0) return;
        // 鄞州's new members came through its chambers' organisations (seeds/003), each from an enterprise it covers;
        // elsewhere a standalone enterprise's own branch develops them.
        var chambers = Organisations.Where(o => o.Host == OrganisationHost.Chamber).Select(o => o.OrganisationId).ToHashSet(StringComparer.Ordinal);
        (string Organisation, string? CreditCode, string? Station)[] hosts = c.Chambers is not null
            ? [.. Enterprises.Where(e => e.Organisation.Mode == FormationMode.Joint && chambers.Contains(e.Organisation.OrganisationId!))
                .GroupBy(e => e.Organisation.OrganisationId).Select(g => (g.Key!, (string?)g.First().CreditCode, (string?)null))]
            : [.. Enterprises.Where(e => e.Organisation.Mode == FormationMode.Standalone).Select(e => (e.Organisation.OrganisationId!, (string?)e.CreditCode, e.StationId))];
        if (hosts.Length == 0) throw new InvalidOperationException($"{c.Code}: applicants without an organisation to develop them.");
        var n = 0;
        void Add(DateOnly applied, Func<DateOnly, ApplicantProfile, ApplicantProfile> steps)
        {
            var host = hosts[n % hosts.Length];
            n++;
            var p = new ApplicantProfile($"FZ{n:D4}", $"{Surname(n * 7 + 1)}{GivenName(n * 11 + 2)}", n % 3 == 0 ? Gender.Female : Gender.Male,
                applied.Year - 22 - random.Next(0, 18), host.Organisation, applied, host.CreditCode, host.Station);
            Applicants.Add(steps(applied, p));
        }
        // The path backwards from the day received as probationary: candidate 90 days before, activist a year and 30
        // days before that, the talk 60 days before that, 15 days after the application.
        static DateOnly Applied(DateOnly probationary) => probationary.AddDays(-90).AddYears(-1).AddDays(-30 - 60 - 15);
        static ApplicantProfile Path(ApplicantProfile p, DateOnly probationary) => p with
        {
            TalkedOn = p.AppliedOn.AddDays(15),
            ActivistOn = p.AppliedOn.AddDays(75),
            CandidateOn = probationary.AddDays(-90),
            ProbationaryOn = probationary,
        };

        var undecided = false;
        for (var k = 0; k < c.Developed; k++)
        {
            // The k-th new member, received 730 × (k + ½) / Developed days ago: the same spread every day; the oldest
            // had the probation extended by six months.
            var received = today.AddDays(-(int)(730 * (k + 0.5) / c.Developed));
            var extended = k == c.Developed - 1 ? 6 : (int?)null;
            var ends = Development.ProbationEnds(received, extended);
            // The newest probation that ended within the last 30 days waits for the branch's decision (overdue);
            // the others were made full on the day theirs ended.
            var late = !undecided && ends < today && ends > today.AddDays(-30);
            undecided |= late;
            Add(Applied(received), (_, p) =>
            {
                var path = Path(p, received) with { ExtendedMonths = extended };
                return late || ends > today ? path : path with { FullOn = ends };
            });
        }
        for (var k = 0; k < c.Developed / 2; k++)
        {
            var candidate = today.AddDays(-10 - k * 11);
            Add(candidate.AddYears(-1).AddDays(-30 - 75), (applied, p) => p with
                { TalkedOn = applied.AddDays(15), ActivistOn = applied.AddDays(75), CandidateOn = candidate });
        }
        for (var k = 0; k < c.Developed; k++)
        {
            var applied = today.AddDays(-120 - k * 17);
            Add(applied, (_, p) => p with { TalkedOn = applied.AddDays(10 + k % 15), ActivistOn = applied.AddDays(60 + k % 30) });
        }
        for (var k = 0; k < c.Developed / 3; k++)
        {
            // The first one's talk is late: 45 days since the application and none held.
            var applied = today.AddDays(k == 0 ? -45 : -(k * 5 % 28 + 1));
            Add(applied, (_, p) => k == 0 || applied.AddDays(15) > today ? p : p with { TalkedOn = applied.AddDays(15) });
        }
        var gone = today.AddDays(-200);
        Add(gone, (_, p) => p with { TalkedOn = gone.AddDays(12), WithdrawnOn = gone.AddDays(100) });
    }

    /// <summary>六安市: its counties' stations keep their monthly meetings and reports in the demo.</summary>
    public const string LuAnPrefecture = "3415";

    /// <summary>
    /// A year of stations' monthly duties in 六安's counties: a 例会 and a report for each of the twelve closed months
    /// before <paramref name="today"/>, except where the county's own pattern leaves one out, so that the counties'
    /// figures for last month differ (some stations missed their meeting, others their report).
    /// </summary>
    private void StationWork(DemoCounty c, DateOnly today)
    {
        if (!c.Code.StartsWith(LuAnPrefecture, StringComparison.Ordinal)) return;
        var seed = int.Parse(c.Code) % 7;
        var last = OrganisationalLife.LastClosedMonth(today);
        for (var k = 0; k < c.Stations.Length; k++)
        {
            var station = c.Stations[k];
            for (var back = 0; back < 12; back++)
            {
                var month = last - back;
                var first = OrganisationalLife.FirstDay(month);
                if ((k * 5 + back * 3 + seed) % 7 != 0)
                    StationMeetings.Add((station.Id, new StationMeeting(first.AddDays((k * 3 + back) % 20 + 2), MeetingKind.StaffMeeting,
                        station.GroupFullTime.Sum() - (k + back) % 3, $"{OrganisationalLife.FirstDay(month).Month}月工作例会：走访情况与问题梳理")));
                if ((k * 3 + back * 5 + seed * 2) % 6 != 0)
                    StationReports.Add((station.Id, new MonthlyReport(OrganisationalLife.Name(month),
                        $"{station.Name}{first.Year}年{first.Month}月工作月报：联系企业、走访、组织生活情况", [])));
            }
        }
    }

    /// <summary>
    /// 陇西's evaluation of its organisations for the year before <paramref name="today"/> (its survey: 26% good, 62%
    /// fairly good, 12% average), the ratings spread over the organisations by a shuffle of the county's own seed.
    /// </summary>
    private void Evaluate(DemoCounty c, DateOnly today)
    {
        if (c.Code != Longxi) return;
        var n = Organisations.Count;
        var good = (int)Math.Round(n * 0.26);
        var average = (int)Math.Round(n * 0.12);
        var order = Enumerable.Range(0, n).ToList();
        Shuffle(order, new Random(int.Parse(c.Code) + 18));
        for (var k = 0; k < n; k++)
        {
            var rating = k < good ? EvaluationRating.Good : k < n - average ? EvaluationRating.FairlyGood : EvaluationRating.Average;
            Evaluations.Add((Organisations[order[k]].OrganisationId, new OrganisationEvaluation(today.Year - 1, rating,
                rating == EvaluationRating.Average ? "组织生活不够经常，需加强" : null)));
        }
    }

    /// <summary>陇西县, whose survey evaluated its organisations.</summary>
    public const string Longxi = "621122";

    private static void Shuffle<T>(List<T> list, Random random)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }

    /// <summary>Shares <paramref name="total"/> out over <paramref name="holders"/> as evenly as whole people allow.</summary>
    private static void Spread(int[] into, int[] holders, int total)
    {
        if (holders.Length == 0) return;
        for (var k = 0; k < holders.Length; k++) into[holders[k]] = total / holders.Length + (k < total % holders.Length ? 1 : 0);
    }

    /// <summary>Employees vary by enterprise but sum to the total, and never fall below the enterprise's party members.</summary>
    private static int[] Employees(int total, int[] members, Random random)
    {
        var weights = members.Select(_ => 0.3 + random.NextDouble() * 2.7).ToArray();
        var sum = weights.Sum();
        var floor = members.Select(m => m + 2).ToArray();
        var spare = total - floor.Sum();
        if (spare < 0) throw new InvalidOperationException("Fewer employees than party members.");
        var result = floor.Select((f, i) => f + (int)(spare * weights[i] / sum)).ToArray();
        var left = total - result.Sum();
        for (var i = 0; left > 0; i = (i + 1) % result.Length, left--) result[i]++;
        return result;
    }

    private static string CreditCodeFor(string county, int index, bool social)
    {
        var first17 = (social ? "52" : "91") + county + $"MA{index:D7}";
        return first17 + CreditCode.CheckCharacter(first17);
    }

    /// <summary>
    /// A name no other enterprise of the county has: a company's brand and industry pair differs from every other's
    /// among the first brands × industries, and past those a branch office says which; the n-th social organisation
    /// takes the n-th form (a 商会 an industry too), and if another of its place has that name, a brand, then an ordinal.
    /// </summary>
    private static string NameFor(DemoCounty c, int i, string township, int? socialOrdinal, HashSet<string> taken)
    {
        var place = Place(township);
        var county = c.Name[..2];
        var industries = c.Industries.Length;
        if (socialOrdinal is not { } n)
        {
            var company = $"{county}{Brands[i / industries % Brands.Length]}{c.Industries[i % industries]}有限公司" +
                (i >= Brands.Length * industries ? $"（{place}分公司{i / (Brands.Length * industries)}）" : "");
            return taken.Add(company) ? company : throw new InvalidOperationException($"{c.Code}: {company} twice.");
        }
        var form = SocialForms[n % SocialForms.Length];
        // A 商会 of the register is an industry's chamber of its place: the place's own (基层商会) hosts organisations.
        var name = form == "商会" ? $"{county}{place}{c.Industries[n / SocialForms.Length % industries]}商会" : $"{county}{place}{form}";
        for (var k = 0; !taken.Add(name); k++)
            name = k < Brands.Length
                ? $"{county}{place}{Brands[(n / SocialForms.Length + k) % Brands.Length]}{form}"
                : $"{county}{place}第{Numeral(k - Brands.Length + 2)}{form}";
        return name;
    }

    /// <summary>A township as names of its place write it: 姜山镇 → 姜山, 五乡镇 → 五乡, 下应街道 → 下应.</summary>
    private static string Place(string township) =>
        township.EndsWith("街道") ? township[..^2] : township.Length > 2 && township[^1] is '镇' or '乡' ? township[..^1] : township;

    /// <summary>二, 三 … 十, 十一 … 九十九: ordinals in names.</summary>
    private static string Numeral(int n)
    {
        const string digits = "〇一二三四五六七八九";
        return n switch
        {
            < 10 => digits[n].ToString(),
            < 20 => "十" + (n % 10 == 0 ? "" : digits[n % 10].ToString()),
            _ => digits[n / 10] + "十" + (n % 10 == 0 ? "" : digits[n % 10].ToString()),
        };
    }

    /// <summary>陇西's development zone committee, whose park general branches are <c>KFQ-1</c> … (开发区).</summary>
    public const string ZoneCommittee = "KFQ";
    /// <summary>鄞州's chamber general branch; its chambers' branches are <c>SH-01</c> … (商会).</summary>
    public const string ChamberGeneralBranch = "SH-ZZ";

    private static string Surname(int n) => "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"[n % 20].ToString();
    private static string GivenName(int n) => new[] { "建国", "志强", "秀英", "海燕", "文华", "丽娟", "明", "军", "静", "磊", "芳", "伟", "敏", "勇", "娟" }[n / 20 % 15];
}
