namespace Beacon.Grains;

/// <summary>The stored first answer of one Idempotency-Key, and when it was stored.</summary>
[GenerateSerializer]
public sealed class IdempotencyRecord
{
    [Id(0)] public IdempotentAnswer? Answer { get; set; }
    [Id(1)] public DateTimeOffset StoredAt { get; set; }
}

/// <summary>
/// One Idempotency-Key of one token subject. Not reentrant, so two concurrent duplicates are told apart: the first
/// proceeds, the second hears InProgress. The in-flight mark lives in memory only: a silo that dies mid-request loses it,
/// and the retry then proceeds (the write it repeats was either not applied or is itself a create-or-replace).
/// </summary>
public sealed class IdempotencyGrain(
    [PersistentState("idempotency", BeaconStorage.Name)] IPersistentState<IdempotencyRecord> record, TimeProvider time)
    : Grain, IIdempotencyGrain
{
    /// <summary>
    /// A stored answer older than this counts as absent: the key may then be used again, for any request, and the new
    /// answer overwrites the old record. Old records are not deleted otherwise; they only stop counting.
    /// </summary>
    internal static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>
    /// An in-flight mark older than this is taken for a gateway that died mid-request (it never completed nor abandoned),
    /// so a retry proceeds rather than hearing InProgress for as long as the activation lives. Well beyond any request:
    /// a grain call times out after 30 s.
    /// </summary>
    internal static readonly TimeSpan InFlightTimeout = TimeSpan.FromMinutes(2);

    private string? _inFlightHash;
    private DateTimeOffset _inFlightSince;

    internal static bool IsCurrent(IdempotencyRecord r, DateTimeOffset now) => r.Answer is not null && now - r.StoredAt < Retention;

    public Task<IdempotencyBegin> BeginAsync(string requestHash)
    {
        var now = time.GetUtcNow();
        if (IsCurrent(record.State, now))
        {
            var answer = record.State.Answer!;
            return Task.FromResult(answer.RequestHash == requestHash
                ? new IdempotencyBegin(IdempotencyVerdict.Replay, answer)
                : IdempotencyBegin.Mismatch);
        }
        if (_inFlightHash is not null && now - _inFlightSince < InFlightTimeout)
            return Task.FromResult(_inFlightHash == requestHash ? IdempotencyBegin.InProgress : IdempotencyBegin.Mismatch);

        _inFlightHash = requestHash;
        _inFlightSince = now;
        return Task.FromResult(IdempotencyBegin.Proceed);
    }

    public async Task CompleteAsync(IdempotentAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        try
        {
            // A server error is not an answer to keep: the retry must get another chance.
            if (answer.Status >= 500) return;
            record.State.Answer = answer;
            record.State.StoredAt = time.GetUtcNow();
            await record.WriteStateAsync();
        }
        finally
        {
            _inFlightHash = null;
        }
    }

    public Task AbandonAsync()
    {
        _inFlightHash = null;
        return Task.CompletedTask;
    }
}
