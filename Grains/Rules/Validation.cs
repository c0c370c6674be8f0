using System.Text.RegularExpressions;

namespace Beacon.Grains.Rules;

/// <summary>Collects what is wrong with a change, by the field's name in the public JSON.</summary>
public sealed class Validation
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public Validation Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
        return this;
    }

    public Validation Merge(IReadOnlyDictionary<string, string[]> errors)
    {
        foreach (var (field, messages) in errors)
            foreach (var m in messages) Add(field, m);
        return this;
    }

    public IReadOnlyDictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public void Text(string field, string? value, int maxLength, bool required = true)
    {
        if (string.IsNullOrEmpty(value) || (string.IsNullOrWhiteSpace(value) && !value.Any(char.IsControl)))
        {
            if (required) Add(field, "is required");
            return;
        }
        if (value.Length > maxLength) Add(field, $"must be at most {maxLength} characters");
        if (value.Any(char.IsControl)) Add(field, "must not contain control characters");
        // Text a person cannot see (zero-width spaces and joiners only) names nothing; direction overrides make a name
        // read otherwise than it is stored (a "Trojan Source" trick), and no register text needs them.
        if (value.Any(IsDirectionOverride)) Add(field, "must not contain direction-override characters (U+202A-U+202E, U+2066-U+2069)");
        else if (!value.Any(IsVisible)) Add(field, "must contain a visible character");
        if (value.IndexOfAny(Markup) >= 0 || value.Contains("--") || value.Contains("/*"))
            Add(field, "must not contain markup or SQL characters (< > ' \" ; \\ -- /*); Chinese punctuation such as “”；is fine");
    }

    /// <summary>
    /// Register text is names, places and plain sentences. These characters only ever arrive in it as markup or SQL
    /// pasted from elsewhere (or an attack), and every page and export would have to defuse them, so they are refused at the door.
    /// </summary>
    private static readonly char[] Markup = ['<', '>', '\'', '"', ';', '\\'];

    private static bool IsDirectionOverride(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';

    private static bool IsVisible(char c) =>
        !char.IsWhiteSpace(c) && !char.IsControl(c) && char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.Format;

    /// <summary>
    /// No record Beacon keeps is older than the national opinion on party building in non-public enterprises (2000):
    /// an earlier date, like one in the future, is a typing or conversion error (0001-01-01 from an empty Excel cell).
    /// </summary>
    public static readonly DateOnly Earliest = new(2000, 1, 1);

    /// <summary>A date from <see cref="Earliest"/> to <paramref name="today"/>.</summary>
    public void Date(string field, DateOnly value, DateOnly today)
    {
        if (value < Earliest) Add(field, $"must not be before {Earliest:yyyy-MM-dd}");
        else if (value > today) Add(field, "must not be in the future");
    }

    /// <summary>A month written yyyy-MM, from <see cref="Earliest"/>'s to <paramref name="today"/>'s.</summary>
    public void Month(string field, string? value, DateOnly today)
    {
        if (value is not { Length: 7 } || !DateOnly.TryParseExact($"{value}-01", "yyyy-MM-dd", out var first)) Add(field, "must be a month as yyyy-MM");
        else if (first < Earliest) Add(field, $"must not be before {Earliest:yyyy-MM}");
        else if (first > new DateOnly(today.Year, today.Month, 1)) Add(field, "must not be in the future");
    }

    public void Identifier(string field, string? value, bool required = true)
    {
        if (string.IsNullOrEmpty(value))
        {
            if (required) Add(field, "is required");
            return;
        }
        if (!IdPattern().IsMatch(value)) Add(field, "must be 1-40 letters, digits, '-' or '_'");
    }

    public void Count(string field, int value, int max)
    {
        if (value < 0) Add(field, "must not be negative");
        else if (value > max) Add(field, $"must be at most {max}");
    }

    private static Regex IdPattern() => IdRegex;
    private static readonly Regex IdRegex = new(@"\A[A-Za-z0-9_-]{1,40}\z", RegexOptions.Compiled | RegexOptions.CultureInvariant); // \z: $ would let a final line break through
}
