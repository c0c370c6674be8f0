using System.Globalization;
using System.Text.RegularExpressions;

namespace Beacon.Rules;

/// <summary>
/// Collects what is wrong with a change, by the field's name in the public JSON, each reason in both languages.
/// Text is taken as text: quotes, semicolons, angle brackets and dashes are ordinary in names and sentences, and every
/// page and export encodes what it shows, so only what no person can read or type on purpose is refused.
/// </summary>
public sealed partial class Validation
{
    public static readonly Said Required = new("必填", "is required");

    /// <summary>
    /// No record Beacon keeps is older than the national opinion on party building in non-public enterprises (2000):
    /// an earlier date, like one in the future, is a typing or conversion error (0001-01-01 from an empty Excel cell).
    /// </summary>
    public static readonly DateOnly Earliest = new(2000, 1, 1);

    /// <summary>China Standard Time, no daylight saving: the day a county's people live in.</summary>
    public static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <summary>Today in China at <paramref name="now"/>.</summary>
    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(now.ToOffset(ChinaOffset).DateTime);

    private readonly Dictionary<string, List<Said>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public Validation Add(string field, Said why)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(why);
        return this;
    }

    public Validation Add(string field, string zh, string en) => Add(field, new Said(zh, en));

    public Validation Merge(IReadOnlyDictionary<string, Said[]> errors)
    {
        foreach (var (field, messages) in errors)
            foreach (var m in messages) Add(field, m);
        return this;
    }

    public IReadOnlyDictionary<string, Said[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public void Text(string field, string? value, int maxLength, bool required = true)
    {
        if (string.IsNullOrEmpty(value) || (string.IsNullOrWhiteSpace(value) && !value.Any(char.IsControl)))
        {
            if (required) Add(field, Required);
            return;
        }
        if (value.Length > maxLength) Add(field, $"最多 {maxLength} 个字符", $"must be at most {maxLength} characters");
        if (value.Any(char.IsControl)) Add(field, "不能包含控制字符", "must not contain control characters");
        // Text a person cannot see (zero-width spaces and joiners only) names nothing; direction overrides make a name
        // read otherwise than it is stored (a "Trojan Source" trick), and no register text needs them.
        if (value.Any(IsDirectionOverride))
            Add(field, "不能包含文字方向控制字符（U+202A–U+202E、U+2066–U+2069）", "must not contain direction-override characters (U+202A-U+202E, U+2066-U+2069)");
        else if (!value.Any(IsVisible)) Add(field, "须包含可见字符", "must contain a visible character");
    }

    private static bool IsDirectionOverride(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';

    private static bool IsVisible(char c) =>
        !char.IsWhiteSpace(c) && !char.IsControl(c) && char.GetUnicodeCategory(c) != UnicodeCategory.Format;

    public void Identifier(string field, string? value, bool required = true)
    {
        if (string.IsNullOrEmpty(value))
        {
            if (required) Add(field, Required);
            return;
        }
        if (!IdPattern().IsMatch(value)) Add(field, "须为 1–40 位字母、数字、“-”或“_”", "must be 1-40 letters, digits, '-' or '_'");
    }

    public void Count(string field, int value, int max)
    {
        if (value < 0) Add(field, "不能为负数", "must not be negative");
        else if (value > max) Add(field, $"不能超过 {max}", $"must be at most {max}");
    }

    public void Between(string field, int value, int min, int max)
    {
        if (value < min || value > max) Add(field, $"须在 {min} 到 {max} 之间", $"must be between {min} and {max}");
    }

    /// <summary>A date from <see cref="Earliest"/> to <paramref name="today"/>.</summary>
    public void Date(string field, DateOnly value, DateOnly today)
    {
        if (value < Earliest) Add(field, $"不能早于 {Earliest:yyyy-MM-dd}", $"must not be before {Earliest:yyyy-MM-dd}");
        else if (value > today) Add(field, "不能晚于今天", "must not be in the future");
    }

    /// <summary>A month written yyyy-MM, from <see cref="Earliest"/>'s to <paramref name="today"/>'s.</summary>
    public void Month(string field, string? value, DateOnly today)
    {
        if (value is not { Length: 7 } || !DateOnly.TryParseExact($"{value}-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first))
            Add(field, "须为 yyyy-MM 格式的月份", "must be a month as yyyy-MM");
        else if (first < Earliest) Add(field, $"不能早于 {Earliest:yyyy-MM}", $"must not be before {Earliest:yyyy-MM}");
        else if (first > new DateOnly(today.Year, today.Month, 1)) Add(field, "不能晚于本月", "must not be in the future");
    }

    /// <summary>A value of the enum that is one of its names (JSON reads any number into an enum).</summary>
    public void Defined<TEnum>(string field, TEnum value) where TEnum : struct, Enum
    {
        if (Enum.IsDefined(value)) return;
        var names = string.Join(", ", Enum.GetNames<TEnum>().Select(JsonNames.Of));
        Add(field, $"须为以下之一：{names}", $"must be one of {names}");
    }

    // \z: $ would let a final line break through.
    [GeneratedRegex(@"\A[A-Za-z0-9_-]{1,40}\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}

/// <summary>How the public JSON writes a name: camelCase, as enums and members are written.</summary>
public static class JsonNames
{
    public static string Of(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];

    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum => Of(value.ToString());
}
