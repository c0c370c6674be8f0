using System.Text;
using Orleans.Core.Internal;
using Beacon.Grains;
using Beacon.Tests.Infrastructure;

namespace Beacon.Tests;

/// <summary>The record of one Idempotency-Key: proceed once, replay the stored answer, tell duplicates and misuse apart.</summary>
[Collection(ClusterCollection.Name)]
public sealed class IdempotencyTests(ClusterFixture fixture)
{
    private IIdempotencyGrain NewKey() =>
        fixture.Client.GetGrain<IIdempotencyGrain>(IdempotencyKeys.GrainKey(Actor.System("idempotency-test"), Guid.NewGuid().ToString()));

    private static IdempotentAnswer Answer(string hash, int status = 201) =>
        new(status, "application/json; charset=utf-8", Encoding.UTF8.GetBytes("{\"creditCode\":\"x\",\"version\":1}"), "/api/counties/620521/enterprises/x", hash);

    [Fact]
    public void The_grain_key_is_the_whole_principal_and_the_sha256_of_the_header_in_hex()
    {
        var admin = new Actor("alice", Roles.CountyAdmin, Scope.Parse("county:620521"));
        var key = IdempotencyKeys.GrainKey(admin, "abc");
        Assert.EndsWith("/ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", key);
        // The same subject with any other right is another record.
        Assert.NotEqual(key, IdempotencyKeys.GrainKey(admin with { Scope = Scope.Parse("county:621122") }, "abc"));
        Assert.NotEqual(key, IdempotencyKeys.GrainKey(admin with { Role = Roles.Display }, "abc"));
        Assert.NotEqual(key, IdempotencyKeys.GrainKey(admin with { Role = Roles.StationStaff, StationId = "QS-01" }, "abc"));
        Assert.Equal(key, IdempotencyKeys.GrainKey(new Actor("alice", Roles.CountyAdmin, Scope.Parse("county:620521")), "abc"));
    }

    [Fact]
    public async Task The_first_begin_proceeds_a_duplicate_in_flight_is_in_progress_and_another_request_a_mismatch()
    {
        var grain = NewKey();
        Assert.Equal(IdempotencyVerdict.Proceed, (await grain.BeginAsync("h1")).Verdict);
        Assert.Equal(IdempotencyVerdict.InProgress, (await grain.BeginAsync("h1")).Verdict);
        Assert.Equal(IdempotencyVerdict.Mismatch, (await grain.BeginAsync("h2")).Verdict);
    }

    [Fact]
    public async Task A_completed_answer_is_replayed_whole_and_survives_deactivation()
    {
        var grain = NewKey();
        Assert.Equal(IdempotencyVerdict.Proceed, (await grain.BeginAsync("h1")).Verdict);
        var stored = Answer("h1");
        await grain.CompleteAsync(stored);

        await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await Task.Delay(100);

        var replay = await grain.BeginAsync("h1");
        Assert.Equal(IdempotencyVerdict.Replay, replay.Verdict);
        Assert.NotNull(replay.Answer);
        Assert.Equal(stored.Status, replay.Answer.Status);
        Assert.Equal(stored.ContentType, replay.Answer.ContentType);
        Assert.Equal(stored.Body, replay.Answer.Body);
        Assert.Equal(stored.Location, replay.Answer.Location);
        Assert.Equal(IdempotencyVerdict.Mismatch, (await grain.BeginAsync("h2")).Verdict);
        Assert.Null((await grain.BeginAsync("h2")).Answer);
    }

    [Fact]
    public async Task A_client_error_is_stored_too()
    {
        var grain = NewKey();
        await grain.BeginAsync("h1");
        await grain.CompleteAsync(Answer("h1", status: 400));
        var replay = await grain.BeginAsync("h1");
        Assert.Equal(IdempotencyVerdict.Replay, replay.Verdict);
        Assert.Equal(400, replay.Answer!.Status);
    }

    [Fact]
    public async Task An_abandoned_or_failed_request_lets_the_retry_proceed()
    {
        var grain = NewKey();
        await grain.BeginAsync("h1");
        await grain.AbandonAsync();
        Assert.Equal(IdempotencyVerdict.Proceed, (await grain.BeginAsync("h1")).Verdict);

        await grain.CompleteAsync(Answer("h1", status: 503));
        // A server error is not kept, and the retry, even of another request, proceeds.
        Assert.Equal(IdempotencyVerdict.Proceed, (await grain.BeginAsync("h2")).Verdict);
    }

    [Fact]
    public void A_record_older_than_24_hours_counts_as_absent()
    {
        var now = DateTimeOffset.UtcNow;
        var record = new IdempotencyRecord { Answer = Answer("h1"), StoredAt = now - TimeSpan.FromHours(23.9) };
        Assert.True(IdempotencyGrain.IsCurrent(record, now));
        record.StoredAt = now - TimeSpan.FromHours(24);
        Assert.False(IdempotencyGrain.IsCurrent(record, now));
        Assert.False(IdempotencyGrain.IsCurrent(new IdempotencyRecord(), now));
    }
}
