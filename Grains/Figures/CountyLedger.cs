namespace Beacon.Grains.Figures;

/// <summary>
/// The last contribution of every child of a county, by kind and id. It is derived data: persisted behind the
/// entities (coalesced, in rows of a few children each) so a county can show its figures after a restart without
/// waking its children, and rebuilt from them by reconcile. A stored row is a ledger of the children in that row.
/// </summary>
[GenerateSerializer]
public sealed class CountyLedger
{
    [Id(0)] public Dictionary<string, EnterpriseContribution> Enterprises { get; set; } = [];
    [Id(1)] public Dictionary<string, StationContribution> Stations { get; set; } = [];
    [Id(2)] public Dictionary<string, GroupContribution> Groups { get; set; } = [];
    [Id(3)] public Dictionary<string, InstructorContribution> Instructors { get; set; } = [];
    [Id(4)] public Dictionary<string, IssueContribution> Issues { get; set; } = [];
    // Id 5 held the county's recent changes before they had their own pages (RecentChanges).

    /// <summary>A copy to write while this one goes on changing; the contributions themselves never change.</summary>
    public CountyLedger Copy() => new()
    {
        Enterprises = new(Enterprises),
        Stations = new(Stations),
        Groups = new(Groups),
        Instructors = new(Instructors),
        Issues = new(Issues),
    };

    public IEnumerable<Contribution> All =>
        Enterprises.Values.Concat<Contribution>(Stations.Values).Concat(Groups.Values).Concat(Instructors.Values).Concat(Issues.Values);

    /// <summary>
    /// Keeps <paramref name="next"/> if it is newer than the last report from the same child.
    /// Answers false, and changes nothing, for a repeated or late report.
    /// </summary>
    public bool TryReplace(Contribution next, out Contribution? previous) => next switch
    {
        EnterpriseContribution e => TryReplace(Enterprises, e, out previous),
        StationContribution s => TryReplace(Stations, s, out previous),
        GroupContribution g => TryReplace(Groups, g, out previous),
        InstructorContribution i => TryReplace(Instructors, i, out previous),
        IssueContribution i => TryReplace(Issues, i, out previous),
        _ => throw new ArgumentException($"Unknown contribution {next.GetType().Name}", nameof(next)),
    };

    private static bool TryReplace<T>(Dictionary<string, T> map, T next, out Contribution? previous) where T : Contribution
    {
        if (map.TryGetValue(next.Id, out var last) && last.Version >= next.Version)
        {
            previous = null;
            return false;
        }
        previous = last;
        map[next.Id] = next;
        return true;
    }

    public Contribution? Find(EntityKind kind, string id) => kind switch
    {
        EntityKind.Enterprise => Enterprises.GetValueOrDefault(id),
        EntityKind.Station => Stations.GetValueOrDefault(id),
        EntityKind.Group => Groups.GetValueOrDefault(id),
        EntityKind.Instructor => Instructors.GetValueOrDefault(id),
        EntityKind.Issue => Issues.GetValueOrDefault(id),
        _ => null,
    };

    public static EntityKind KindOf(Contribution c) => c switch
    {
        EnterpriseContribution => EntityKind.Enterprise,
        StationContribution => EntityKind.Station,
        GroupContribution => EntityKind.Group,
        InstructorContribution => EntityKind.Instructor,
        IssueContribution => EntityKind.Issue,
        _ => throw new ArgumentException($"Unknown contribution {c.GetType().Name}", nameof(c)),
    };
}
