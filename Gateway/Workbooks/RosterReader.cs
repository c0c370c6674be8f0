using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Beacon.Gateway.Apis;

namespace Beacon.Gateway.Workbooks;

/// <summary>The sheet a roster was found on, where its header is, and which column of the file fills which column of the register.</summary>
public sealed record RosterLayout(ReadSheet Sheet, int FirstDataRow, IReadOnlyList<(int Index, string Header, Column Column)> Columns, IReadOnlyList<string> Ignored);

/// <summary>One row of a roster read into the public JSON of its register, with the cells it could not read.</summary>
public sealed record RosterRow(int Row, string? Id, JsonObject Json, IReadOnlyList<RefusedCell> Refused, IReadOnlySet<string> Given);

/// <summary>
/// Reads a county office's roster as it comes: the header found among the first rows of whichever sheet carries it
/// (under a title, split over two rows by merged cells, in any order, by Beacon's names or the national system's),
/// then each row's cells by the kind of their column, forgiving what people type (spaces, full-width digits, numbers
/// stored as text, dates as serial numbers or text, 是/否/√).
/// </summary>
public static partial class RosterReader
{
    /// <summary>How far down a header may sit under titles and notes.</summary>
    private const int HeaderSearchRows = 20;

    /// <summary>The sheet and header that match the register best, or why none does (naming the headers it expected).</summary>
    public static RosterLayout Layout(Register register, IReadOnlyList<ReadSheet> sheets)
    {
        var names = register.Columns
            .SelectMany(c => c.Aliases.Prepend(c.Header).Select(h => (Key: HeaderKey(h), Column: c)))
            .GroupBy(x => x.Key).ToDictionary(g => g.Key, g => g.First().Column, StringComparer.Ordinal);
        var idColumn = register.Columns.First(c => c.Path == register.IdField);
        RosterLayout? best = null;
        foreach (var sheet in sheets)
            for (var h = 0; h < Math.Min(HeaderSearchRows, sheet.Rows.Count); h++)
            {
                var layout = At(sheet, h, names);
                if (layout is not null && (best is null || layout.Columns.Count > best.Columns.Count)) best = layout;
            }
        if (best is null || best.Columns.All(c => c.Column != idColumn))
            throw new UnreadableWorkbook(new(
                $"找不到{register.Noun.Zh}名册的表头：须有“{idColumn.Header}”列，可有 {string.Join("、", register.Columns.Select(c => c.Header))}",
                $"no header of a roster of {register.Route} found: it must have a column '{idColumn.Header}' and may have {string.Join(", ", register.Columns.Select(c => c.Header))}"));
        return best;
    }

    /// <summary>The header at row <paramref name="h"/> (0-based), completed from the row below or above where merged cells split it.</summary>
    private static RosterLayout? At(ReadSheet sheet, int h, Dictionary<string, Column> names)
    {
        var columns = new List<(int, string, Column)>();
        var ignored = new List<string>();
        var taken = new HashSet<Column>();
        var lastHeaderRow = h;
        var width = sheet.Rows[h].Cells.Count;
        for (var i = 0; i < width; i++)
        {
            var found = false;
            foreach (var r in new[] { h, h + 1, h - 1 })
            {
                if (r < 0 || r >= sheet.Rows.Count || i >= sheet.Rows[r].Cells.Count || Text(sheet.Rows[r].Cells[i]) is not { } text) continue;
                if (names.TryGetValue(HeaderKey(text), out var column) && taken.Add(column))
                {
                    columns.Add((i, text.Trim(), column));
                    lastHeaderRow = Math.Max(lastHeaderRow, r);
                    found = true;
                    break;
                }
            }
            if (!found && Text(sheet.Rows[h].Cells[i]) is { } other) ignored.Add(other.Trim());
        }
        // One matching cell is a title that happens to be a header's word; a roster names at least two of its columns.
        return columns.Count < 2 ? null : new RosterLayout(sheet, lastHeaderRow + 1, columns, ignored);
    }

    /// <summary>A header as compared: no spaces or line breaks, half-width, without the marks of a required column (*, 必填).</summary>
    private static string HeaderKey(string header)
    {
        var key = WhiteSpace().Replace(header.Normalize(NormalizationForm.FormKC), "");
        key = key.Trim('*');
        key = Required().Replace(key, "");
        return key;
    }

    /// <summary>The data rows: each non-empty row below the header, read into JSON by its columns.</summary>
    public static IEnumerable<RosterRow> Rows(Register register, RosterLayout layout)
    {
        foreach (var row in layout.Sheet.Rows.Skip(layout.FirstDataRow))
        {
            if (layout.Columns.All(c => c.Index >= row.Cells.Count || Text(row.Cells[c.Index]) is null)) continue;
            var json = new JsonObject();
            var refused = new List<RefusedCell>();
            var given = new HashSet<string>(StringComparer.Ordinal);
            string? id = null;
            foreach (var (index, header, column) in layout.Columns)
            {
                given.Add(column.Path);
                var cell = index < row.Cells.Count ? row.Cells[index] : null;
                var (value, why) = Read(column, cell, code: column.Path == register.IdField || register.Links.Any(l => l.Field == column.Path));
                if (why is not null) { refused.Add(new RefusedCell(row.Number, header, column.Path, why)); continue; }
                if (value is null) continue;
                Set(json, column.Path, value);
                if (column.Path == register.IdField) id = value.GetValue<string>();
            }
            yield return new RosterRow(row.Number, id, json, refused, given);
        }
    }

    /// <summary>Sets a dotted path (<c>organisation.mode</c>), making the objects on the way.</summary>
    public static void Set(JsonObject json, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var at = json;
        foreach (var part in parts[..^1])
        {
            if (at[part] is not JsonObject next) at[part] = next = new JsonObject();
            at = next;
        }
        at[parts[^1]] = value;
    }

    /// <summary>Removes a dotted path, and the objects it leaves empty.</summary>
    public static void Remove(JsonObject json, string path)
    {
        var parts = path.Split('.');
        if (parts.Length == 1) { json.Remove(path); return; }
        if (json[parts[0]] is not JsonObject child) return;
        Remove(child, string.Join('.', parts[1..]));
        if (child.Count == 0) json.Remove(parts[0]);
    }

    /// <summary>A cell as its column takes it: the JSON value, null when empty, or why it cannot be read.</summary>
    internal static (JsonNode? Value, Said? Why) Read(Column column, object? cell, bool code)
    {
        if (cell is string s && string.IsNullOrWhiteSpace(s) || cell is null) return (null, null);
        switch (column.Kind)
        {
            case CellKind.Integer:
                return Number(cell) is { } n && n == Math.Floor(n) && Math.Abs(n) < int.MaxValue
                    ? (JsonValue.Create((int)n), null) : (null, new("须为整数", "must be a whole number"));
            case CellKind.Number:
                return Number(cell) is { } x ? (JsonValue.Create(x), null) : (null, new("须为数字", "must be a number"));
            case CellKind.YesNo:
                return YesNo(Text(cell)!) is { } yes ? (JsonValue.Create(yes), null) : (null, new("须为“是”或“否”", "must be 是 or 否 (yes or no)"));
            case CellKind.Date:
                return Day(cell) is { } day ? (JsonValue.Create(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), null)
                    : (null, new("须为日期，如 2026-11-05、2026/11/5 或 2026年11月5日", "must be a date such as 2026-11-05, 2026/11/5 or 2026年11月5日"));
            case CellKind.Choice:
                var text = Half(Text(cell)!);
                return column.Choices.FirstOrDefault(c => c.Label == text || string.Equals(c.Value, text, StringComparison.OrdinalIgnoreCase)) is { } choice
                    ? (JsonValue.Create(choice.Value), null)
                    : (null, new($"须为以下之一：{string.Join("、", column.Choices.Select(c => c.Label))}",
                        $"must be one of {string.Join(", ", column.Choices.Select(c => c.Label))}"));
            case CellKind.List:
                return (new JsonArray([.. ListSeparators().Split(Text(cell)!).Select(p => p.Trim()).Where(p => p.Length > 0).Select(p => (JsonNode)JsonValue.Create(p))]), null);
            default:
                // An id or a code is typed with full-width digits as often as not; a name keeps its own characters.
                var value = cell is double d ? d.ToString(CultureInfo.InvariantCulture) : Text(cell)!.Trim();
                return (JsonValue.Create(code ? Half(value) : value), null);
        }
    }

    private static string? Text(object? cell) => cell switch
    {
        null => null,
        string s => string.IsNullOrWhiteSpace(s) ? null : s,
        DateTime t => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        double d => d.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "是" : "否",
        _ => Convert.ToString(cell, CultureInfo.InvariantCulture),
    };

    /// <summary>Full-width letters and digits as ASCII, without the spaces around.</summary>
    private static string Half(string text) => text.Normalize(NormalizationForm.FormKC).Trim();

    private static double? Number(object cell) => cell switch
    {
        double d => d,
        int i => i,
        long l => l,
        decimal m => (double)m,
        string s when double.TryParse(Half(s).Replace(",", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) => v,
        _ => null,
    };

    private static bool? YesNo(string text) => Half(text).ToLowerInvariant() switch
    {
        "是" or "√" or "✓" or "✔" or "有" or "y" or "yes" or "true" or "1" => true,
        "否" or "×" or "✗" or "✘" or "无" or "n" or "no" or "false" or "0" => false,
        _ => null,
    };

    private static DateOnly? Day(object cell)
    {
        switch (cell)
        {
            case DateTime t: return DateOnly.FromDateTime(t);
            // A serial number: the cell was a date without a date format.
            case double d when d is > 0 and < 2958466: return DateOnly.FromDateTime(DateTime.FromOADate(d));
        }
        var text = Half(Text(cell)!);
        var m = DateText().Match(text);
        if (!m.Success) return null;
        var (y, mo, day) = (int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture),
            int.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture));
        return mo is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(y, mo) ? new DateOnly(y, mo, day) : null;
    }

    [GeneratedRegex(@"^(?<y>\d{4})\s*(?:[-/.年]\s*(?<m>\d{1,2})\s*[-/.月]\s*(?<d>\d{1,2})\s*日?|(?<m>\d{2})(?<d>\d{2}))$")]
    private static partial Regex DateText();

    [GeneratedRegex(@"[、，,;；\r\n]+")]
    private static partial Regex ListSeparators();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    [GeneratedRegex(@"[（(](必填|选填|必须|可选)[）)]$")]
    private static partial Regex Required();
}
