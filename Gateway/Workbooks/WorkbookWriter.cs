using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Beacon.Gateway.Workbooks;

/// <summary>How a column's cells are written and shown.</summary>
public enum CellType { Text, Integer, Number, Percent, Date }

/// <summary>
/// A column of a sheet: its header, how its cells are shown, its width (in characters), a note on the header
/// (an Excel comment) and the values of a drop-down list (a data validation over the column's rows).
/// </summary>
public sealed record SheetColumn(string Header, CellType Type = CellType.Text)
{
    public double Width { get; init; } = 14;
    public string? Note { get; init; }
    public IReadOnlyList<string> Choices { get; init; } = [];
}

/// <summary>
/// A value written as its own type rather than its column's: a sheet of figures, one per row, holds counts, rates and
/// decimals in the same column.
/// </summary>
public sealed record TypedValue(object? Value, CellType Type);

/// <summary>A sheet: its name, an optional title row above the header, the columns and the rows (one value per column).</summary>
public sealed record Sheet(string Name, IReadOnlyList<SheetColumn> Columns, IEnumerable<IReadOnlyList<object?>> Rows)
{
    public string? Title { get; init; }
    /// <summary>How many rows a drop-down list covers below the header when the sheet has fewer (a template has none).</summary>
    public int ValidatedRows { get; init; } = 1000;
}

/// <summary>
/// Writes workbooks of typed cells with DocumentFormat.OpenXml: text, integers, numbers, percentages (0.0%) and real
/// Excel dates, a frozen header row, column widths, notes on headers and drop-down lists. Every workbook it writes is
/// valid Open XML, so Excel opens it without offering a repair.
/// </summary>
public static class WorkbookWriter
{
    // Cell formats (indices into cellXfs): 0 general, 1 header, 2 title, 3 integer, 4 number, 5 percent, 6 date.
    private const uint HeaderStyle = 1, TitleStyle = 2, IntegerStyle = 3, NumberStyle = 4, PercentStyle = 5, DateStyle = 6;
    private const uint PercentFormat = 164, DateFormat = 165;

    public static byte[] Write(params Sheet[] sheets)
    {
        if (sheets.Length == 0) throw new ArgumentException("A workbook has at least one sheet.", nameof(sheets));
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddWorkbookPart();
            var stylesPart = workbookPart.AddNewPart<WorkbookStylesPart>();
            stylesPart.Stylesheet = Styles();
            var strings = new SharedStrings();
            var sheetList = new Sheets();
            for (var i = 0; i < sheets.Length; i++)
            {
                var part = workbookPart.AddNewPart<WorksheetPart>();
                WriteSheet(part, sheets[i], strings, i);
                sheetList.Append(new DocumentFormat.OpenXml.Spreadsheet.Sheet
                {
                    Name = sheets[i].Name, SheetId = (uint)(i + 1), Id = workbookPart.GetIdOfPart(part),
                });
            }
            var stringsPart = workbookPart.AddNewPart<SharedStringTablePart>();
            stringsPart.SharedStringTable = strings.Table();
            workbookPart.Workbook = new Workbook(new BookViews(new WorkbookView()), sheetList);
            workbookPart.Workbook.Save();
        }
        return stream.ToArray();
    }

    private static void WriteSheet(WorksheetPart part, Sheet sheet, SharedStrings strings, int index)
    {
        var columns = sheet.Columns;
        var headerRow = sheet.Title is null ? 1u : 2u;
        var data = new SheetData();
        if (sheet.Title is { } title)
            data.Append(new Row(TextCell(Reference(0, 1), title, strings, TitleStyle)) { RowIndex = 1 });
        data.Append(new Row(columns.Select((c, i) => TextCell(Reference(i, headerRow), c.Header, strings, HeaderStyle))) { RowIndex = headerRow });
        var rowIndex = headerRow;
        foreach (var values in sheet.Rows)
        {
            rowIndex++;
            var row = new Row { RowIndex = rowIndex };
            for (var i = 0; i < columns.Count && i < values.Count; i++)
                if ((values[i] is TypedValue typed
                        ? ValueCell(Reference(i, rowIndex), typed.Value, typed.Type, strings)
                        : ValueCell(Reference(i, rowIndex), values[i], columns[i].Type, strings)) is { } cell)
                    row.Append(cell);
            data.Append(row);
        }

        var worksheet = new Worksheet();
        worksheet.Append(new SheetViews(new SheetView(
            new Pane
            {
                VerticalSplit = headerRow, TopLeftCell = Reference(0, headerRow + 1),
                ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen,
            },
            new Selection { Pane = PaneValues.BottomLeft, ActiveCell = Reference(0, headerRow + 1), SequenceOfReferences = new ListValue<StringValue> { InnerText = Reference(0, headerRow + 1) } })
        { TabSelected = index == 0, WorkbookViewId = 0 }));
        worksheet.Append(new SheetFormatProperties { DefaultRowHeight = 15 });
        if (columns.Count > 0)
            worksheet.Append(new Columns(columns.Select((c, i) => new DocumentFormat.OpenXml.Spreadsheet.Column
            {
                Min = (uint)(i + 1), Max = (uint)(i + 1), Width = c.Width, CustomWidth = true,
            })));
        worksheet.Append(data);

        var lastRow = Math.Max(rowIndex, headerRow + (uint)sheet.ValidatedRows);
        var validations = columns.Select((c, i) => (c, i)).Where(x => x.c.Choices.Count > 0).Select(x => new DataValidation(
            new Formula1('"' + string.Join(',', x.c.Choices.Select(v => v.Replace("\"", "\"\""))) + '"'))
        {
            Type = DataValidationValues.List, AllowBlank = true, ShowInputMessage = true, ShowErrorMessage = true,
            ErrorTitle = "不在可选范围内", Error = "请从下拉列表中选择。",
            SequenceOfReferences = new ListValue<StringValue> { InnerText = $"{Reference(x.i, headerRow + 1)}:{Reference(x.i, lastRow)}" },
        }).ToList();
        if (validations.Count > 0) worksheet.Append(new DataValidations(validations) { Count = (uint)validations.Count });
        worksheet.Append(new PageMargins { Left = 0.7, Right = 0.7, Top = 0.75, Bottom = 0.75, Header = 0.3, Footer = 0.3 });

        var notes = columns.Select((c, i) => (c.Note, i)).Where(x => !string.IsNullOrWhiteSpace(x.Note)).ToList();
        if (notes.Count > 0)
        {
            var comments = part.AddNewPart<WorksheetCommentsPart>();
            comments.Comments = new Comments(new Authors(new Author("Beacon")),
                new CommentList(notes.Select(n => new Comment(new CommentText(new Run(new Text(n.Note!) { Space = SpaceProcessingModeValues.Preserve })))
                {
                    Reference = Reference(n.i, headerRow), AuthorId = 0,
                })));
            var vml = part.AddNewPart<VmlDrawingPart>();
            using (var writer = new StreamWriter(vml.GetStream(FileMode.Create), new UTF8Encoding(false)))
                writer.Write(Vml(notes.Select(n => n.i), headerRow - 1, index + 1));
            worksheet.Append(new LegacyDrawing { Id = part.GetIdOfPart(vml) });
        }
        part.Worksheet = worksheet;
        part.Worksheet.Save();
    }

    /// <summary>The shapes Excel draws the notes with (legacy VML; without it Excel shows no notes).</summary>
    private static string Vml(IEnumerable<int> columns, uint row, int block)
    {
        var text = new StringBuilder();
        text.Append("<xml xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\" xmlns:x=\"urn:schemas-microsoft-com:office:excel\">");
        text.Append(CultureInfo.InvariantCulture, $"<o:shapelayout v:ext=\"edit\"><o:idmap v:ext=\"edit\" data=\"{block}\"/></o:shapelayout>");
        text.Append("<v:shapetype id=\"_x0000_t202\" coordsize=\"21600,21600\" o:spt=\"202\" path=\"m,l,21600r21600,l21600,xe\"><v:stroke joinstyle=\"miter\"/><v:path gradientshapeok=\"t\" o:connecttype=\"rect\"/></v:shapetype>");
        var n = 0;
        foreach (var column in columns)
        {
            n++;
            text.Append(CultureInfo.InvariantCulture, $"<v:shape id=\"_x0000_s{block * 1024 + n}\" type=\"#_x0000_t202\" style=\"position:absolute;margin-left:60pt;margin-top:2pt;width:180pt;height:80pt;z-index:{n};visibility:hidden\" fillcolor=\"#ffffe1\" o:insetmode=\"auto\">");
            text.Append("<v:fill color2=\"#ffffe1\"/><v:shadow on=\"t\" color=\"black\" obscured=\"t\"/><v:path o:connecttype=\"none\"/><v:textbox style=\"mso-direction-alt:auto\"><div style=\"text-align:left\"></div></v:textbox>");
            text.Append(CultureInfo.InvariantCulture, $"<x:ClientData ObjectType=\"Note\"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>{column + 1}, 15, {row}, 2, {column + 4}, 15, {row + 5}, 16</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>{row}</x:Row><x:Column>{column}</x:Column></x:ClientData></v:shape>");
        }
        text.Append("</xml>");
        return text.ToString();
    }

    private static Cell TextCell(string reference, string text, SharedStrings strings, uint style) =>
        new() { CellReference = reference, DataType = CellValues.SharedString, CellValue = new CellValue(strings.Index(text)), StyleIndex = style };

    private static Cell? ValueCell(string reference, object? value, CellType type, SharedStrings strings)
    {
        var style = type switch
        {
            CellType.Integer => IntegerStyle, CellType.Number => NumberStyle, CellType.Percent => PercentStyle,
            CellType.Date => DateStyle, _ => 0u,
        };
        double? number = value switch
        {
            null => null,
            DateOnly d => d.ToDateTime(TimeOnly.MinValue).ToOADate(),
            DateTime d => d.ToOADate(),
            DateTimeOffset d => d.DateTime.ToOADate(),
            double d when double.IsFinite(d) => d,
            float f when float.IsFinite(f) => f,
            int or long or short or byte or uint or ulong or ushort or decimal => Convert.ToDouble(value, CultureInfo.InvariantCulture),
            _ => null,
        };
        if (number is { } x)
            return new Cell { CellReference = reference, CellValue = new CellValue(x), StyleIndex = style };
        var text = value switch { null => null, bool b => b ? "是" : "否", IFormattable f => f.ToString(null, CultureInfo.InvariantCulture), _ => value.ToString() };
        return string.IsNullOrEmpty(text) ? null : TextCell(reference, text, strings, 0);
    }

    /// <summary>
    /// Sheet names Excel accepts for the wanted ones, in order: without []:*?/\ (each becomes _), no apostrophe at either
    /// end, at most 31 characters, not blank and not "History" (Excel's own), and unique as Excel compares them (case
    /// ignored), a later duplicate cut shorter to take " (2)", " (3)"….
    /// </summary>
    public static IReadOnlyList<string> SheetNames(IEnumerable<string> wanted)
    {
        const int MaxLength = 31;
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var names = new List<string>();
        foreach (var want in wanted)
        {
            var clean = new string([.. want.Select(c => "[]:*?/\\".Contains(c) || char.IsControl(c) ? '_' : c)]).Trim().Trim('\'');
            if (clean.Length == 0 || string.Equals(clean, "History", StringComparison.OrdinalIgnoreCase)) clean = "Sheet";
            var name = Cut(clean, MaxLength).TrimEnd('\'');
            for (var n = 2; !taken.Add(name); n++)
            {
                var suffix = string.Create(CultureInfo.InvariantCulture, $" ({n})");
                name = Cut(clean, MaxLength - suffix.Length).TrimEnd('\'') + suffix;
            }
            names.Add(name);
        }
        return names;

        // Not through half of a surrogate pair: a name cut there is not valid XML.
        static string Cut(string text, int length) =>
            text.Length <= length ? text : char.IsHighSurrogate(text[length - 1]) ? text[..(length - 1)] : text[..length];
    }

    /// <summary>A1-style reference of a zero-based column and a one-based row.</summary>
    public static string Reference(int column, uint row)
    {
        var name = "";
        for (var c = column + 1; c > 0; c = (c - 1) / 26) name = (char)('A' + (c - 1) % 26) + name;
        return name + row.ToString(CultureInfo.InvariantCulture);
    }

    private static Stylesheet Styles() => new(
        new NumberingFormats(
            new NumberingFormat { NumberFormatId = PercentFormat, FormatCode = "0.0%" },
            new NumberingFormat { NumberFormatId = DateFormat, FormatCode = "yyyy-mm-dd" }) { Count = 2 },
        new Fonts(
            new Font(new FontSize { Val = 11 }, new FontName { Val = "等线" }),
            new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "等线" }),
            new Font(new Bold(), new FontSize { Val = 14 }, new FontName { Val = "等线" })) { Count = 3 },
        new Fills(
            new Fill(new PatternFill { PatternType = PatternValues.None }),
            new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
            new Fill(new PatternFill(new ForegroundColor { Rgb = "FFDDEBF7" }, new BackgroundColor { Indexed = 64 }) { PatternType = PatternValues.Solid })) { Count = 3 },
        new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder())) { Count = 1 },
        new CellStyleFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }) { Count = 1 },
        new CellFormats(
            new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0 },
            new CellFormat { NumberFormatId = 0, FontId = 1, FillId = 2, BorderId = 0, FormatId = 0, ApplyFont = true, ApplyFill = true },
            new CellFormat { NumberFormatId = 0, FontId = 2, FillId = 0, BorderId = 0, FormatId = 0, ApplyFont = true },
            new CellFormat { NumberFormatId = 1, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0 },
            new CellFormat { NumberFormatId = PercentFormat, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = DateFormat, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0, ApplyNumberFormat = true }) { Count = 7 },
        new CellStyles(new CellStyle { Name = "常规", FormatId = 0, BuiltinId = 0 }) { Count = 1 });

    private sealed class SharedStrings
    {
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
        private readonly List<string> _items = [];

        public string Index(string text)
        {
            if (!_index.TryGetValue(text, out var i)) { i = _items.Count; _index[text] = i; _items.Add(text); }
            return i.ToString(CultureInfo.InvariantCulture);
        }

        public SharedStringTable Table() => new(_items.Select(s => new SharedStringItem(new Text(s) { Space = SpaceProcessingModeValues.Preserve })))
        { Count = (uint)_items.Count, UniqueCount = (uint)_items.Count };
    }
}
