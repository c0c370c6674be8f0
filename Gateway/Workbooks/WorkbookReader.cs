using MiniExcelLibs;
using MiniExcelLibs.OpenXml;

namespace Beacon.Gateway.Workbooks;

/// <summary>A row of a sheet as Excel numbers it, its cells by column from A (null where empty).</summary>
public sealed record SheetRow(int Number, IReadOnlyList<object?> Cells);

/// <summary>A sheet as read: its name and its rows, empty ones included, so that row numbers are Excel's.</summary>
public sealed record ReadSheet(string Name, IReadOnlyList<SheetRow> Rows);

/// <summary>Why a file could not be read as a workbook, in words for the person who sent it.</summary>
public sealed class UnreadableWorkbook(Said why, bool tooLarge = false) : Exception(why.En)
{
    public Said Why { get; } = why;
    public bool TooLarge { get; } = tooLarge;
}

/// <summary>
/// Reads every sheet of an .xlsx with MiniExcel, cell values as the file holds them (text, numbers, dates where the
/// cell is formatted as one). A file that is not a workbook says what it is instead: an encrypted workbook and an old
/// .xls are compound files, not zip archives.
/// </summary>
public static class WorkbookReader
{
    private static readonly byte[] Zip = [0x50, 0x4B, 0x03, 0x04];
    private static readonly byte[] CompoundFile = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    public static IReadOnlyList<ReadSheet> Read(byte[] file, int maxRows)
    {
        if (file.Length == 0) throw new UnreadableWorkbook(new("文件是空的", "the file is empty"));
        if (file.AsSpan().StartsWith(CompoundFile))
            throw new UnreadableWorkbook(new("文件设有密码或是旧的 .xls 格式：请取消密码，另存为 Excel 工作簿（.xlsx）后再导入",
                "the file is password-protected or an old .xls: remove the password and save it as an Excel workbook (.xlsx)"));
        if (!file.AsSpan().StartsWith(Zip))
            throw new UnreadableWorkbook(new("不是 Excel 工作簿（.xlsx）", "is not an Excel workbook (.xlsx)"));
        try
        {
            using var stream = new MemoryStream(file, writable: false);
            var sheets = new List<ReadSheet>();
            var total = 0;
            foreach (var name in MiniExcel.GetSheetNames(stream))
            {
                var rows = new List<SheetRow>();
                foreach (IDictionary<string, object?> row in MiniExcel.Query(stream, useHeaderRow: false, sheetName: name, excelType: ExcelType.XLSX,
                    configuration: new OpenXmlConfiguration { FillMergedCells = true }))
                {
                    if (++total > maxRows)
                        throw new UnreadableWorkbook(new($"最多 {maxRows} 行", $"must have at most {maxRows} rows"), tooLarge: true);
                    rows.Add(new SheetRow(rows.Count + 1, [.. row.Values]));
                }
                sheets.Add(new ReadSheet(name, rows));
            }
            return sheets;
        }
        catch (UnreadableWorkbook)
        {
            throw;
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or System.Xml.XmlException or FormatException
            or ArgumentException or IndexOutOfRangeException or KeyNotFoundException or NullReferenceException or InvalidCastException)
        {
            throw new UnreadableWorkbook(new("工作簿已损坏，无法读取：请在 Excel 中打开并另存后再导入", "the workbook is damaged and cannot be read: open it in Excel and save it again"));
        }
    }
}
