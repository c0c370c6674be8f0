using System.Security.Cryptography;
using System.Text;

namespace Beacon;

/// <summary>
/// The record of one <c>Idempotency-Key</c>: the first answer to a write, replayed to every retry of it.
/// Key: <c>{SHA-256 of the principal}/{SHA-256 of the header value}</c>, lower-case hex (see <see cref="IdempotencyKeys.GrainKey"/>).
/// Every gateway asks the same grain, so a retry that lands on another gateway still finds the answer.
/// </summary>
public interface IIdempotencyGrain : IGrainWithStringKey
{
    /// <summary>
    /// Proceed (marked in flight, in memory only), Replay (with the stored answer), InProgress (a duplicate of a request
    /// still running) or Mismatch (the key was used for a different request).
    /// </summary>
    Task<IdempotencyBegin> BeginAsync(string requestHash);

    /// <summary>Stores the answer (written before this returns) and clears the in-flight mark. Answers of 500 and above are not stored.</summary>
    Task CompleteAsync(IdempotentAnswer answer);

    /// <summary>Clears the in-flight mark without storing anything (the handler threw): a retry proceeds.</summary>
    Task AbandonAsync();
}

public enum IdempotencyVerdict { Proceed, Replay, InProgress, Mismatch }

[GenerateSerializer, Immutable]
public sealed record IdempotencyBegin(
    [property: Id(0)] IdempotencyVerdict Verdict,
    [property: Id(1)] IdempotentAnswer? Answer = null)
{
    public static readonly IdempotencyBegin Proceed = new(IdempotencyVerdict.Proceed);
    public static readonly IdempotencyBegin InProgress = new(IdempotencyVerdict.InProgress);
    public static readonly IdempotencyBegin Mismatch = new(IdempotencyVerdict.Mismatch);
}

/// <summary>
/// A stored HTTP answer: status, content type, body, <c>Location</c>, and the hash of the request it answered
/// (method, path and query, body), which a retry must match.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record IdempotentAnswer(
    [property: Id(0)] int Status,
    [property: Id(1)] string? ContentType,
    [property: Id(2)] byte[] Body,
    [property: Id(3)] string? Location,
    [property: Id(4)] string RequestHash);

public static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";
    public const int MaxLength = 200;

    /// <summary>
    /// The grain key for the whole principal (subject, role, scope and station) and a header value. Two tokens that share
    /// a subject but not their rights never share a record, so no token hears the answer to a write it may not make.
    /// </summary>
    public static string GrainKey(Actor actor, string idempotencyKey) =>
        $"{Hash($"{actor.Name}\n{actor.Role}\n{actor.Scope}\n{actor.StationId}")}/{Hash(idempotencyKey)}";

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
