using System.Globalization;
using System.Text;

namespace Beacon.Load;

/// <summary>
/// One line of the results: a Beacon figure, the ceiling it is compared with (when there is one), the target the issue
/// sets (when there is one) and whether it was met. <see cref="Ratio"/> is value ÷ ceiling: for rates, the share of the
/// ceiling reached; for times, how many times the ceiling's time it takes.
/// </summary>
public sealed record Figure(
    string Section,
    string Name,
    double? Value,
    string Unit,
    double? Ceiling = null,
    string? CeilingName = null,
    string? Target = null,
    bool? Met = null,
    string? Note = null)
{
    public double? Ratio => Value is { } v && Ceiling is { } c && c != 0 ? v / c : null;
}

public sealed class Report
{
    private readonly List<Figure> _figures = [];
    private readonly List<string> _notes = [];
    private readonly Lock _gate = new();

    public void Add(Figure figure)
    {
        lock (_gate) _figures.Add(figure);
        Console.WriteLine($"[result] {figure.Section} / {figure.Name}: {Format(figure.Value, figure.Unit)}" +
            (figure.Ceiling is { } c ? $" (ceiling {Format(c, figure.Unit)}, ratio {FormatRatio(figure.Ratio)})" : "") +
            (figure.Target is { } t ? $" target {t}: {(figure.Met == true ? "met" : figure.Met == false ? "NOT met" : "-")}" : ""));
    }

    public void Note(string note)
    {
        lock (_gate) _notes.Add(note);
        Console.WriteLine($"[note] {note}");
    }

    public static string Format(double? value, string unit)
    {
        if (value is not { } v || double.IsNaN(v)) return "—";
        var number = Math.Abs(v) switch
        {
            >= 1000 => v.ToString("N0", CultureInfo.InvariantCulture),
            >= 100 => v.ToString("F0", CultureInfo.InvariantCulture),
            >= 10 => v.ToString("F1", CultureInfo.InvariantCulture),
            >= 0.1 => v.ToString("F2", CultureInfo.InvariantCulture),
            0 => "0",
            _ => v.ToString("G3", CultureInfo.InvariantCulture),
        };
        return unit.Length == 0 ? number : $"{number} {unit}";
    }

    private static string FormatRatio(double? ratio) => ratio is { } r
        ? (r >= 10 ? r.ToString("F0", CultureInfo.InvariantCulture) : r.ToString("F2", CultureInfo.InvariantCulture)) + "×"
        : "—";

    public string ToMarkdown(string title, IEnumerable<string> header)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# {title}").AppendLine();
        foreach (var line in header) sb.AppendLine(line);
        sb.AppendLine();
        sb.AppendLine("| section | figure | value | ceiling or baseline | ratio | target | met? |");
        sb.AppendLine("|---|---|---:|---:|---:|---|---|");
        Figure[] figures;
        string[] notes;
        lock (_gate)
        {
            figures = [.. _figures.OrderBy(f => f.Section, StringComparer.Ordinal)];
            notes = [.. _notes];
        }
        foreach (var f in figures)
        {
            var name = f.Note is null ? f.Name : $"{f.Name} ({f.Note})";
            var ceiling = f.Ceiling is { } c ? $"{Format(c, f.Unit)}{(f.CeilingName is null ? "" : $" ({f.CeilingName})")}" : "—";
            var met = f.Met switch { true => "yes", false => "**no**", null => "—" };
            sb.AppendLine($"| {f.Section} | {Escape(name)} | {Format(f.Value, f.Unit)} | {Escape(ceiling)} | {FormatRatio(f.Ratio)} | {Escape(f.Target ?? "—")} | {met} |");
        }
        if (notes.Length > 0)
        {
            sb.AppendLine().AppendLine("Notes:").AppendLine();
            foreach (var n in notes) sb.AppendLine($"- {n}");
        }
        return sb.ToString();
    }

    private static string Escape(string text) => text.Replace("|", "\\|");
}
