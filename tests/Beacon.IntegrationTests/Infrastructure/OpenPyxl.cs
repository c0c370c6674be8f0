using System.Diagnostics;

namespace Beacon.IntegrationTests.Infrastructure;

/// <summary>
/// Workbooks written by another program than Beacon, as county offices' own are: Debian's python3 with openpyxl
/// (installed by test.sh). The script gets <c>openpyxl</c>, <c>datetime</c> and an empty workbook <c>wb</c>; its
/// result is what <c>wb</c> holds when it ends.
/// </summary>
public static class OpenPyxl
{
    /// <summary>Debian's own: the tests must not depend on whichever python3 comes first on PATH.</summary>
    private const string Python = "/usr/bin/python3";

    public static byte[] Write(string script)
    {
        var path = Path.Combine(Path.GetTempPath(), $"beacon-openpyxl-{Guid.NewGuid():N}.xlsx");
        var program = $"import openpyxl, datetime, sys\nwb = openpyxl.Workbook()\n{script}\nwb.save(sys.argv[1])\n";
        var start = new ProcessStartInfo(Python) { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("-");
        start.ArgumentList.Add(path);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Python} did not start");
        process.StandardInput.Write(program);
        process.StandardInput.Close();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000)) { process.Kill(); throw new TimeoutException("openpyxl took over 2 minutes"); }
        if (process.ExitCode != 0) throw new InvalidOperationException($"openpyxl failed ({process.ExitCode}): {errors.Result}\n{program}");
        try { return File.ReadAllBytes(path); }
        finally { File.Delete(path); }
    }

    /// <summary>A Python string literal of any text.</summary>
    public static string Str(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}
