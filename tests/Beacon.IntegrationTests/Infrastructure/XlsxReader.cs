using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Beacon.IntegrationTests.Infrastructure;

/// <summary>
/// Reads what a workbook says beyond its values, straight from its Open XML parts (not through Beacon's writer): the
/// cells of a row, number formats, the frozen pane, notes and drop-down lists of one sheet (the first unless named).
/// </summary>
public sealed class XlsxReader : IDisposable
{
    private readonly MemoryStream _stream;
    private readonly SpreadsheetDocument _document;
    private readonly WorksheetPart _sheet;

    public XlsxReader(byte[] xlsx, string? sheet = null)
    {
        _stream = new MemoryStream(xlsx, writable: false);
        _document = SpreadsheetDocument.Open(_stream, isEditable: false);
        var workbook = _document.WorkbookPart!;
        var sheets = workbook.Workbook.Sheets!.Elements<Sheet>().ToList();
        SheetNames = [.. sheets.Select(s => s.Name!.Value!)];
        var chosen = sheet is null ? sheets.First()
            : sheets.SingleOrDefault(s => s.Name?.Value == sheet) ?? throw new Xunit.Sdk.XunitException(
                $"The workbook has no sheet '{sheet}', only {string.Join(", ", SheetNames.Select(n => $"'{n}'"))}");
        _sheet = (WorksheetPart)workbook.GetPartById(chosen.Id!);
    }

    /// <summary>The names of the workbook's sheets, in the order Excel shows their tabs.</summary>
    public IReadOnlyList<string> SheetNames { get; }

    /// <summary>The numbers of the rows that have a cell, in order.</summary>
    public IReadOnlyList<uint> RowNumbers => [.. Cells.Select(c => RowOf(c.CellReference!)).Distinct().Order()];

    /// <summary>A cell's number, or null when it is empty or holds text.</summary>
    public double? Number(string reference)
    {
        var cell = Cell(reference);
        if (cell?.CellValue is null || cell.DataType is { } type && type.Value != CellValues.Number) return null;
        return double.Parse(cell.CellValue.Text, System.Globalization.CultureInfo.InvariantCulture);
    }

    private IEnumerable<Cell> Cells => _sheet.Worksheet.Descendants<Cell>();

    public Cell? Cell(string reference) => Cells.FirstOrDefault(c => c.CellReference == reference);

    /// <summary>A cell's text: the shared string, the inline string or the raw value.</summary>
    public string? Text(string reference)
    {
        var cell = Cell(reference);
        if (cell is null) return null;
        if (cell.DataType?.Value == CellValues.SharedString)
            return _document.WorkbookPart!.SharedStringTablePart!.SharedStringTable.Elements<SharedStringItem>()
                .ElementAt(int.Parse(cell.CellValue!.Text)).InnerText;
        if (cell.DataType?.Value == CellValues.InlineString) return cell.InlineString?.InnerText;
        return cell.CellValue?.Text;
    }

    /// <summary>The texts of a row, in column order.</summary>
    public List<string?> Row(uint row) =>
        [.. Cells.Where(c => RowOf(c.CellReference!) == row).Select(c => Text(c.CellReference!))];

    /// <summary>The number format code of a cell ("General" when it has none).</summary>
    public string NumberFormat(string reference)
    {
        var styles = _document.WorkbookPart!.WorkbookStylesPart!.Stylesheet;
        var index = Cell(reference)?.StyleIndex?.Value ?? 0;
        var format = styles.CellFormats!.Elements<CellFormat>().ElementAt((int)index).NumberFormatId?.Value ?? 0;
        var custom = styles.NumberingFormats?.Elements<NumberingFormat>().FirstOrDefault(f => f.NumberFormatId?.Value == format);
        return custom?.FormatCode?.Value ?? format switch { 0 => "General", 1 => "0", 9 => "0%", 10 => "0.00%", 14 => "m/d/yyyy", _ => $"#{format}" };
    }

    /// <summary>The frozen pane's top-left cell, or null when nothing is frozen.</summary>
    public string? FrozenAt => _sheet.Worksheet.Descendants<Pane>().FirstOrDefault(p => p.State?.Value == PaneStateValues.Frozen)?.TopLeftCell?.Value;

    /// <summary>The note on each cell that has one.</summary>
    public IReadOnlyDictionary<string, string> Notes =>
        _sheet.WorksheetCommentsPart?.Comments.Descendants<Comment>().ToDictionary(c => c.Reference!.Value!, c => c.CommentText!.InnerText)
        ?? new Dictionary<string, string>();

    /// <summary>Each list validation: the cells it covers and the values it offers.</summary>
    public IReadOnlyList<(string Cells, IReadOnlyList<string> Values)> Lists =>
        [.. _sheet.Worksheet.Descendants<DataValidation>().Where(v => v.Type?.Value == DataValidationValues.List).Select(v =>
            (v.SequenceOfReferences!.InnerText!, (IReadOnlyList<string>)[.. v.Formula1!.Text.Trim('"').Split(',')]))];

    public static uint RowOf(string reference) => uint.Parse(new string([.. reference.SkipWhile(char.IsLetter)]));

    public static string ColumnOf(string reference) => new([.. reference.TakeWhile(char.IsLetter)]);

    public void Dispose()
    {
        _document.Dispose();
        _stream.Dispose();
    }
}
