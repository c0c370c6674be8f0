using Beacon.Rules;
using Orleans.Concurrency;

namespace Beacon;

/// <summary>Where an import stands: read and shown (nothing changed yet), being written, written, or stopped by a fault.</summary>
public enum ImportState { Previewed, Applying, Applied, Failed }

/// <summary>What the preview found a row would do to its entry.</summary>
public enum RowPlan { Create, Update, Unchanged }

/// <summary>
/// A row an import will write: the row as Excel numbers it, the entry's id, the profile read from the row (of its
/// register's profile type), and what the preview found it would do.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ImportRow(
    [property: Id(0)] int Row,
    [property: Id(1)] string Id,
    [property: Id(2)] object Profile,
    [property: Id(3)] RowPlan Plan);

/// <summary>
/// A refused cell: the row as Excel numbers it, the column's header in the file and the field it fills (both null when
/// the refusal is the row's, not one cell's), and why.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RefusedCell(
    [property: Id(0)] int Row,
    [property: Id(1)] string? Column,
    [property: Id(2)] string? Field,
    [property: Id(3)] Said Message);

/// <summary>
/// What the gateway read from a workbook, to keep until it is applied. <see cref="Headers"/>: the header each field was
/// read from, so that a refusal at apply time names the file's column.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ImportPlan(
    [property: Id(0)] EntityKind Kind,
    [property: Id(1)] string FileName,
    [property: Id(2)] string Sheet,
    [property: Id(3)] int RowsRead,
    [property: Id(4)] ImportRow[] Rows,
    [property: Id(5)] RefusedCell[] Refused,
    [property: Id(6)] Dictionary<string, string> Headers,
    [property: Id(7)] string By,
    [property: Id(8)] DateTimeOffset At);

/// <summary>How an applied import ended: what it wrote, and the rows refused when they were written.</summary>
[GenerateSerializer, Immutable]
public sealed record ImportResult(
    [property: Id(0)] int Created,
    [property: Id(1)] int Updated,
    [property: Id(2)] int Unchanged,
    [property: Id(3)] RefusedCell[] Refused,
    [property: Id(4)] DateTimeOffset FinishedAt,
    [property: Id(5)] string By);

/// <summary>An import as its routes answer it: the preview's counts and refusals, the progress, and the result once applied.</summary>
[GenerateSerializer, Immutable]
public sealed record ImportStatus(
    [property: Id(0)] string Id,
    [property: Id(1)] EntityKind Kind,
    [property: Id(2)] ImportState State,
    [property: Id(3)] string FileName,
    [property: Id(4)] string Sheet,
    [property: Id(5)] int RowsRead,
    [property: Id(6)] int Creates,
    [property: Id(7)] int Updates,
    [property: Id(8)] int Unchanged,
    [property: Id(9)] int RefusedRows,
    [property: Id(10)] RefusedCell[] Refused,
    [property: Id(11)] int Done,
    [property: Id(12)] int Total,
    [property: Id(13)] ImportResult? Result,
    [property: Id(14)] string By,
    [property: Id(15)] DateTimeOffset At);

/// <summary>A change an entity stored whose report its import's batch makes (<see cref="ICountyGrain.ReportAllAsync"/>).</summary>
[GenerateSerializer, Immutable]
public sealed record StagedChange(
    [property: Id(0)] ChangeResult Result,
    [property: Id(1)] Contribution? Contribution,
    [property: Id(2)] ChangeNote? Note);

/// <summary>
/// One import of a workbook into one register of a county: the preview as read, kept until it is applied, then the
/// apply's progress and result. Key: <c>county/id</c>.
/// </summary>
public interface IImportGrain : IGrainWithStringKey
{
    /// <summary>Keeps what was read; an import is previewed once.</summary>
    Task<ImportStatus> PreviewAsync(ImportPlan plan);
    [AlwaysInterleave]
    Task<ImportStatus?> GetAsync();
    /// <summary>
    /// Starts writing the accepted rows for <paramref name="actor"/> and answers at once; an import already applying or
    /// applied is not started again. Null when there is no such import.
    /// </summary>
    Task<ImportStatus?> ApplyAsync(Actor actor);
}

/// <summary>The limits of an import, which the gateway enforces and the pages show.</summary>
public static class ImportLimits
{
    public const int MaxFileBytes = 10 * 1024 * 1024;
    public const int MaxRows = 50_000;
    /// <summary>Rows written per batch: one admission and one report to the county each.</summary>
    public const int BatchRows = 250;
}
