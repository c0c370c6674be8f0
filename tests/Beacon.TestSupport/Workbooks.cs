using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;

namespace Beacon.TestSupport;

/// <summary>What Excel would say of a workbook Beacon wrote: Open XML schema errors are what make it offer a repair.</summary>
public static class Workbooks
{
    /// <summary>Every schema error of the workbook (empty when Excel would open it without a repair prompt).</summary>
    public static IReadOnlyList<string> SchemaErrors(byte[] xlsx)
    {
        using var stream = new MemoryStream(xlsx, writable: false);
        using var document = SpreadsheetDocument.Open(stream, isEditable: false);
        var validator = new OpenXmlValidator(FileFormatVersions.Office2016);
        return [.. validator.Validate(document).Select(e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}")];
    }

    /// <summary>Throws, listing the schema errors, unless the workbook is valid Open XML.</summary>
    public static void AssertValid(byte[] xlsx)
    {
        var errors = SchemaErrors(xlsx);
        if (errors.Count > 0)
            throw new InvalidOperationException($"The workbook is not valid Open XML ({errors.Count} errors):\n" + string.Join('\n', errors.Take(20)));
    }
}
