using Beacon.Rules;

namespace Beacon;

/// <summary>The kinds of a county's children. Each has one <see cref="Register"/> (<see cref="Registers.Of"/>).</summary>
public enum EntityKind { Enterprise, Station, Group, Instructor, Issue, Organisation, Applicant, Training, Honour, ContactPoint, Circle }

/// <summary>
/// How a register refers to another: the field as the public JSON names it, the register it names, and how to read
/// the id from a contribution. A live reference blocks the removal of what it names (while <see cref="Blocks"/> says
/// so), and the county checks it on every change that alters it.
/// </summary>
public sealed record Link(string Field, EntityKind Target, Func<Contribution, string?> Of)
{
    /// <summary>
    /// The field of another link of the same register whose target must be this one's parent: an enterprise's group
    /// must belong to the enterprise's station. The parent is read through the target register's own link to it.
    /// </summary>
    public string? Within { get; init; }

    /// <summary>Whether a referring child blocks the removal of the target: resolved issues do not hold an enterprise.</summary>
    public Func<Contribution, bool> Blocks { get; init; } = _ => true;

    /// <summary>A rule about the target as the referrer sees it (a standalone enterprise names an organisation it hosts).</summary>
    public Func<Contribution, Contribution, Said?>? Accepts { get; init; }

    /// <summary>A link within one register (an organisation's parent) that must not close a cycle.</summary>
    public bool Tree { get; init; }

    /// <summary>
    /// A tree of one level (a station's sub-stations): what has children of its own cannot take a parent. That its
    /// parent has none is the target's side, said by <see cref="Accepts"/>.
    /// </summary>
    public bool OneLevel { get; init; }
}

/// <summary>A list filter: the query parameter, how to read its value off a contribution, and the values it takes.</summary>
public sealed record ListFilter(string Parameter, Func<Contribution, string?> Of)
{
    /// <summary>The values an enumerated filter takes, as the JSON writes them; null for free text.</summary>
    public string[]? Choices { get; init; }

    public static ListFilter Choice<TEnum>(string parameter, Func<Contribution, TEnum?> of) where TEnum : struct, Enum =>
        new(parameter, c => of(c) is { } v ? JsonNames.Of(v) : null) { Choices = [.. Enum.GetNames<TEnum>().Select(JsonNames.Of)] };

    public static ListFilter Flag(string parameter, Func<Contribution, bool> of) =>
        new(parameter, c => of(c) ? "true" : "false") { Choices = ["true", "false"] };
}

/// <summary>A value no two children of one register may share within a county: a township belongs to one station.</summary>
public sealed record Claim(string Field, string Value);

/// <summary>What a spreadsheet cell of a column holds, which decides how it is read and written.</summary>
public enum CellKind
{
    Text,
    Integer,
    Number,
    /// <summary>是 / 否 (also √, ×, true, false, 1, 0 when read).</summary>
    YesNo,
    /// <summary>A day: an Excel date, or text as 2026-11-05, 2026/11/5 or 2026年11月5日 when read.</summary>
    Date,
    /// <summary>One of <see cref="Column.Choices"/>: written as its Chinese label, read as the label or the JSON value.</summary>
    Choice,
    /// <summary>Several texts in one cell, separated by 、 (also ，, ; or a line break when read).</summary>
    List,
}

/// <summary>A value an enumerated column takes: as the JSON writes it, and as a county office reads it.</summary>
public sealed record Choice(string Value, string Label);

/// <summary>
/// A spreadsheet column of a register: the field's path in the public JSON, the header a county office writes
/// (Chinese, as the national information system names it where it does), and what the column takes.
/// </summary>
public sealed record Column(string Path, string Header, string Note)
{
    public CellKind Kind { get; init; } = CellKind.Text;
    /// <summary>The values of a <see cref="CellKind.Choice"/> column, in the order a drop-down list offers them.</summary>
    public IReadOnlyList<Choice> Choices { get; init; } = [];
    /// <summary>Other headers that mean this column in the workbooks county offices keep (other systems' names).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    public static Column Of(CellKind kind, string path, string header, string note) => new(path, header, note) { Kind = kind };

    /// <summary>A column of an enumeration, each value with its Chinese label, in the enumeration's order.</summary>
    public static Column Choice<TEnum>(string path, string header, string note, params string[] labels) where TEnum : struct, Enum
    {
        var values = Enum.GetValues<TEnum>();
        if (values.Length != labels.Length)
            throw new InvalidOperationException($"Column {path}: {typeof(TEnum).Name} has {values.Length} values and {labels.Length} labels.");
        return new(path, header, note) { Kind = CellKind.Choice, Choices = [.. values.Select((v, i) => new Choice(JsonNames.Of(v), labels[i]))] };
    }
}

/// <summary>
/// One register of a county, described once: its kind, its route and id field, what it refers to and what blocks
/// its removal, what it claims uniquely, its list filters, its station (for who may change it), how its entries sort
/// by name, and its spreadsheet columns. The grains, the gateway's routes, the lists, the references and the
/// workbooks all read it; a kind without one fails loudly (<see cref="Registers.Of"/>).
/// </summary>
public class Register
{
    public required EntityKind Kind { get; init; }
    /// <summary>The route under <c>/api/counties/{county}/</c>, and the OpenAPI tag.</summary>
    public required string Route { get; init; }
    /// <summary>The JSON name of the field that carries the id.</summary>
    public required string IdField { get; init; }
    /// <summary>What one entry is called, for messages ("enterprise 91620521…", "企业 91620521…").</summary>
    public required Said Noun { get; init; }
    /// <summary>The grain interface of an entry (an <see cref="IChildGrain"/>), keyed <c>county/id</c>.</summary>
    public required Type Grain { get; init; }
    /// <summary>The record an entry reports to its county.</summary>
    public required Type Contribution { get; init; }
    public IReadOnlyList<Link> Links { get; init; } = [];
    public IReadOnlyList<ListFilter> Filters { get; init; } = [];
    public Func<Contribution, IEnumerable<Claim>> Claims { get; init; } = _ => [];
    /// <summary>The station an entry belongs to, which decides what station staff may change.</summary>
    public Func<Contribution, string?> StationOf { get; init; } = _ => null;
    /// <summary>What a list sorts and searches by as the entry's name.</summary>
    public Func<Contribution, string> NameOf { get; init; } = c => c.Id;
    public IReadOnlyList<Column> Columns { get; init; } = [];
    /// <summary>
    /// What a client sees counted on each entry: the live children of another register that refer to it (an
    /// organisation's enterprises, a station's enterprises and instructors), under the name given.
    /// </summary>
    public IReadOnlyList<(string Name, EntityKind From)> Counted { get; init; } = [];
    /// <summary>
    /// Whether its entries are personal data (applicants' names and birth years): read only by those
    /// <see cref="Actor.MayReadPersonal(string, string?)"/> lets see them, an entry by its station (<see cref="StationOf"/>).
    /// The gateway holds every route of such a register to that one rule; the county's summary counts them for everyone.
    /// </summary>
    public bool Personal { get; init; }

    public string Tag => char.ToUpperInvariant(Route[0]) + Route[1..];

    public Link? LinkTo(EntityKind target) => Links.FirstOrDefault(l => l.Target == target);

    /// <summary>Hands a register of profiles to code that needs its profile type; a register without profiles (issues) has nothing to hand.</summary>
    public virtual void Accept(IRegisterVisitor visitor) { }
}

/// <summary>Code that does the same for every register of profiles (the gateway's routes, the workbooks).</summary>
public interface IRegisterVisitor
{
    void Visit<TProfile>(Register<TProfile> register) where TProfile : class;
}

/// <summary>A register whose entries are profiles a client creates, replaces and removes.</summary>
public sealed class Register<TProfile> : Register where TProfile : class
{
    public required Func<TProfile, string?> IdOf { get; init; }
    public required Func<TProfile, string, TProfile> WithId { get; init; }
    /// <summary>
    /// The rules a profile must keep on its own, on a day in China; what it refers to is the county's to check
    /// (<see cref="Register.Links"/>, <see cref="Register.Claims"/>).
    /// </summary>
    public required Func<TProfile, DateOnly, Validation> Validate { get; init; }
    /// <summary>What the entry adds to its county's figures and index; <c>profile</c> is null once it is removed.</summary>
    public required Func<string, TProfile?, long, Contribution> Contribute { get; init; }
    /// <summary>
    /// The next profile with every part equal to the previous one's taken from it, so that Orleans writes the kept
    /// parts of an entity's history as references (a part left out costs bytes, never a value).
    /// </summary>
    public Func<TProfile, TProfile, TProfile> Reusing { get; init; } = (next, _) => next;

    public override void Accept(IRegisterVisitor visitor) => visitor.Visit(this);
}

/// <summary>A register entry as stored, with the version every change increments.</summary>
[GenerateSerializer, Immutable]
public sealed record Versioned<T>(
    [property: Id(0)] T Value,
    [property: Id(1)] long Version,
    [property: Id(2)] DateTimeOffset UpdatedAt);

/// <summary>Every register, by kind.</summary>
public static partial class Registers
{
    private static IReadOnlyList<Register>? _all;
    private static Dictionary<EntityKind, Register>? _byKind;

    /// <summary>Built on first use, once every register's field is set (they live in one file each).</summary>
    public static IReadOnlyList<Register> All => _all ??= [Enterprises, Stations, Groups, Instructors, Organisations, Issues, Applicants, Trainings, Honours, ContactPoints, Circles];

    /// <summary>The register of a kind; a kind without one is a programming error, never an empty register.</summary>
    public static Register Of(EntityKind kind) =>
        (_byKind ??= All.ToDictionary(r => r.Kind)).TryGetValue(kind, out var register)
            ? register
            : throw new InvalidOperationException($"No register describes the kind {kind}: add one to Registers.All.");

    /// <summary>The kind whose register reports this contribution.</summary>
    public static EntityKind KindOf(Contribution contribution) =>
        (_byContribution ??= All.ToDictionary(r => r.Contribution)).TryGetValue(contribution.GetType(), out var register)
            ? register.Kind
            : throw new InvalidOperationException($"No register reports {contribution.GetType().Name}: add one to Registers.All.");

    private static Dictionary<Type, Register>? _byContribution;

    public static Register<TProfile> Of<TProfile>(EntityKind kind) where TProfile : class =>
        Of(kind) as Register<TProfile> ?? throw new InvalidOperationException($"The register of {kind} does not keep {typeof(TProfile).Name} profiles.");

    /// <summary><paramref name="previous"/> if it equals <paramref name="next"/> (see <see cref="Register{TProfile}.Reusing"/>).</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(next))]
    public static T? Reuse<T>(T? next, T? previous) where T : class => next is not null && next.Equals(previous) ? previous : next;

    /// <summary><see cref="Reuse"/> for arrays, which compare by reference: equal elements make an equal array.</summary>
    public static T[] ReuseAll<T>(T[] next, T[] previous) => next.SequenceEqual(previous) ? previous : next;
}
