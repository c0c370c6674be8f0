using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Beacon.Gateway.Security;
using Beacon.IntegrationTests.Infrastructure;
using static Beacon.IntegrationTests.Infrastructure.RetryClusterFixture;

namespace Beacon.IntegrationTests;

/// <summary>
/// Retries are safe: a write repeated with the same Idempotency-Key is applied once and answered as the first time,
/// through either gateway; and one token's burst is refused with 429 without touching another token.
/// </summary>
[Collection(RetryClusterCollection.Name)]
public sealed class RetryTests(RetryClusterFixture fixture)
{
    private const string Header = "Idempotency-Key";
    private HttpClient Gateway => fixture.Cluster.Http;
    private HttpClient Limited => fixture.LimitedHttp;
    private static string Enterprises => $"/api/counties/{Qingshui}/enterprises";
    private static string Summary => $"/api/counties/{Qingshui}/summary";

    /// <summary>A county admin token with a subject of its own, so that no two tests share a key space or a rate limit.</summary>
    private static string NewAdmin() =>
        Tokens.Issue(TestTokens.Options, Roles.CountyAdmin, Scope.Parse($"county:{Qingshui}")!, $"retry-test {Guid.NewGuid():N}");

    private sealed record Reply(HttpMethod Method, string Path, HttpStatusCode Status, string? MediaType, string Body,
        string? Location, TimeSpan? RetryAfter, bool Replayed)
    {
        public JsonObject Object => JsonNode.Parse(Body)!.AsObject();
    }

    private async Task<Reply> SendAsync(HttpClient http, HttpMethod method, string path, string? token, JsonNode? body = null, string? key = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (key is not null) request.Headers.TryAddWithoutValidation(Header, key);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request);
        return new Reply(method, path, response.StatusCode, response.Content.Headers.ContentType?.MediaType,
            await response.Content.ReadAsStringAsync(), response.Headers.Location?.ToString(), response.Headers.RetryAfter?.Delta,
            response.Headers.Contains("Idempotent-Replayed"));
    }

    private Reply Expect(Reply reply, HttpStatusCode status)
    {
        if (reply.Status != status)
            Assert.Fail($"{reply.Method} {reply.Path} answered {(int)reply.Status}, expected {(int)status}. Body:\n{reply.Body}\n{fixture.Describe()}");
        return reply;
    }

    private async Task<long> BaseAsync(string token) =>
        Expect(await SendAsync(Gateway, HttpMethod.Get, Summary, token), HttpStatusCode.OK).Object["base"]!.GetValue<long>();

    private static void AssertNamesHeader(Reply reply, HttpStatusCode status)
    {
        Assert.Equal(status, reply.Status);
        Assert.Equal("application/problem+json", reply.MediaType);
        Assert.True(reply.Object["errors"]?[Header] is not null, $"the ProblemDetails does not name {Header}: {reply.Body}");
    }

    [Fact]
    public async Task A_post_sent_twice_with_one_key_is_applied_once_and_answered_alike_by_either_gateway()
    {
        var admin = NewAdmin();
        var before = await BaseAsync(admin);
        var code = TestEnterprises.NewCreditCode(Qingshui);
        var body = TestEnterprises.New(code, "重试企业");
        var key = Guid.NewGuid().ToString();

        var first = Expect(await SendAsync(Gateway, HttpMethod.Post, Enterprises, admin, body, key), HttpStatusCode.Created);
        var again = Expect(await SendAsync(Gateway, HttpMethod.Post, Enterprises, admin, body, key), HttpStatusCode.Created);
        var elsewhere = Expect(await SendAsync(Limited, HttpMethod.Post, Enterprises, admin, body, key), HttpStatusCode.Created);

        Assert.False(first.Replayed);
        foreach (var retry in new[] { again, elsewhere })
        {
            Assert.True(retry.Replayed);
            Assert.Equal(first.Body, retry.Body);
            Assert.Equal(first.MediaType, retry.MediaType);
            Assert.Equal($"/api/counties/{Qingshui}/enterprises/{code}", retry.Location);
        }
        Assert.Equal(first.Location, again.Location);
        Assert.Equal(before + 1, await BaseAsync(admin));
        var stored = Expect(await SendAsync(Gateway, HttpMethod.Get, $"{Enterprises}/{code}", admin), HttpStatusCode.OK).Object;
        Assert.Equal(1, stored["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task Concurrent_duplicates_are_applied_once_and_the_late_ones_hear_409_or_the_first_answer()
    {
        var admin = NewAdmin();
        var before = await BaseAsync(admin);
        var code = TestEnterprises.NewCreditCode(Qingshui);
        var body = TestEnterprises.New(code, "并发重试企业");
        var key = Guid.NewGuid().ToString();

        var replies = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => SendAsync(Gateway, HttpMethod.Post, Enterprises, admin, body, key)));

        var created = replies.Where(r => r.Status == HttpStatusCode.Created).ToArray();
        Assert.NotEmpty(created);
        Assert.All(replies, r => Assert.True(r.Status is HttpStatusCode.Created or HttpStatusCode.Conflict, $"{(int)r.Status}: {r.Body}"));
        Assert.Single(created, r => !r.Replayed);
        Assert.All(created, r => Assert.Equal(created[0].Body, r.Body));
        Assert.All(replies.Where(r => r.Status == HttpStatusCode.Conflict), r => Assert.Equal("application/problem+json", r.MediaType));
        Assert.Equal(before + 1, await BaseAsync(admin));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_422_naming_the_header_and_changes_nothing()
    {
        var admin = NewAdmin();
        var key = Guid.NewGuid().ToString();
        var code = TestEnterprises.NewCreditCode(Qingshui);
        Expect(await SendAsync(Gateway, HttpMethod.Post, Enterprises, admin, TestEnterprises.New(code, "原企业"), key), HttpStatusCode.Created);
        var before = await BaseAsync(admin);

        var other = TestEnterprises.NewCreditCode(Qingshui);
        var reused = await SendAsync(Gateway, HttpMethod.Post, Enterprises, admin, TestEnterprises.New(other, "另一企业"), key);
        AssertNamesHeader(reused, HttpStatusCode.UnprocessableEntity);
        // The same body to another path is another request too.
        AssertNamesHeader(await SendAsync(Gateway, HttpMethod.Put, $"{Enterprises}/{code}", admin, TestEnterprises.New(code, "原企业"), key),
            HttpStatusCode.UnprocessableEntity);

        Expect(await SendAsync(Gateway, HttpMethod.Get, $"{Enterprises}/{other}", admin), HttpStatusCode.NotFound);
        Assert.Equal(before, await BaseAsync(admin));
    }

    [Fact]
    public async Task Keys_belong_to_a_token_subject()
    {
        var key = Guid.NewGuid().ToString();
        var code = TestEnterprises.NewCreditCode(Qingshui);
        Expect(await SendAsync(Gateway, HttpMethod.Post, Enterprises, NewAdmin(), TestEnterprises.New(code, "甲的企业"), key), HttpStatusCode.Created);
        // Another subject's same key is its own: a different body is not a mismatch, and it is applied.
        var other = TestEnterprises.NewCreditCode(Qingshui);
        var second = Expect(await SendAsync(Gateway, HttpMethod.Post, Enterprises, NewAdmin(), TestEnterprises.New(other, "乙的企业"), key), HttpStatusCode.Created);
        Assert.False(second.Replayed);
    }

    [Fact]
    public async Task A_replay_is_authorised_as_the_request_and_keys_belong_to_the_whole_principal()
    {
        var subject = $"retry-test {Guid.NewGuid():N}";
        var admin = Tokens.Issue(TestTokens.Options, Roles.CountyAdmin, Scope.Parse($"county:{Qingshui}")!, subject);
        var before = await BaseAsync(admin);
        var key = Guid.NewGuid().ToString();
        var body = TestEnterprises.New(TestEnterprises.NewCreditCode(Qingshui), "重放企业");
        Expect(await SendAsync(Gateway, HttpMethod.Post, Enterprises, admin, body, key), HttpStatusCode.Created);

        // Tokens with the same subject and other rights may not make this write, so they never hear its answer.
        foreach (var (role, scope) in new[] { (Roles.CountyAdmin, "county:621122"), (Roles.Display, $"county:{Qingshui}"),
                     (Roles.ProvinceOverseer, "province:620000") })
        {
            var other = Tokens.Issue(TestTokens.Options, role, Scope.Parse(scope)!, subject);
            var refused = Expect(await SendAsync(Gateway, HttpMethod.Post, Enterprises, other, body, key), HttpStatusCode.Forbidden);
            Assert.False(refused.Replayed, $"{role} {scope} heard the replay of a write it may not make: {refused.Body}");
        }
        // Station staff of the county may write, but the key is not theirs: their request is their own.
        var staff = Tokens.Issue(TestTokens.Options, Roles.StationStaff, Scope.Parse($"county:{Qingshui}")!, subject, station: "QS-01");
        var own = await SendAsync(Gateway, HttpMethod.Post, Enterprises, staff, body, key);
        Assert.False(own.Replayed, $"station staff heard the county admin's answer: {(int)own.Status} {own.Body}");

        Assert.True(Expect(await SendAsync(Gateway, HttpMethod.Post, Enterprises, admin, body, key), HttpStatusCode.Created).Replayed);
        Assert.Equal(before + 1, await BaseAsync(admin));
    }

    [Fact]
    public async Task Without_a_key_a_repeated_post_is_applied_again()
    {
        var admin = NewAdmin();
        var before = await BaseAsync(admin);
        var code = TestEnterprises.NewCreditCode(Qingshui);
        var body = TestEnterprises.New(code, "无键企业");
        var first = Expect(await SendAsync(Gateway, HttpMethod.Post, Enterprises, admin, body), HttpStatusCode.Created);
        var second = Expect(await SendAsync(Gateway, HttpMethod.Post, Enterprises, admin, body), HttpStatusCode.OK);
        Assert.False(first.Replayed || second.Replayed);
        Assert.Equal(2, second.Object["version"]!.GetValue<long>());
        Assert.Equal(before + 1, await BaseAsync(admin));
    }

    [Fact]
    public async Task A_retried_delete_answers_204_again_rather_than_404()
    {
        var admin = NewAdmin();
        var code = TestEnterprises.NewCreditCode(Qingshui);
        Expect(await SendAsync(Gateway, HttpMethod.Post, Enterprises, admin, TestEnterprises.New(code, "待删企业")), HttpStatusCode.Created);
        var key = Guid.NewGuid().ToString();
        Expect(await SendAsync(Gateway, HttpMethod.Delete, $"{Enterprises}/{code}", admin, key: key), HttpStatusCode.NoContent);
        var again = Expect(await SendAsync(Gateway, HttpMethod.Delete, $"{Enterprises}/{code}", admin, key: key), HttpStatusCode.NoContent);
        Assert.True(again.Replayed);
        Expect(await SendAsync(Gateway, HttpMethod.Delete, $"{Enterprises}/{code}", admin), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_empty_or_overlong_key_is_400_naming_the_header()
    {
        var admin = NewAdmin();
        var before = await BaseAsync(admin);
        foreach (var key in new[] { "", new string('k', 201) })
        {
            var code = TestEnterprises.NewCreditCode(Qingshui);
            AssertNamesHeader(await SendAsync(Gateway, HttpMethod.Post, Enterprises, admin, TestEnterprises.New(code, "坏键企业"), key),
                HttpStatusCode.BadRequest);
        }
        Expect(await SendAsync(Gateway, HttpMethod.Post, Enterprises, admin,
            TestEnterprises.New(TestEnterprises.NewCreditCode(Qingshui), "长键企业"), new string('k', 200)), HttpStatusCode.Created);
        Assert.Equal(before + 1, await BaseAsync(admin));
    }

    [Fact]
    public async Task A_burst_above_the_limit_is_429_with_retry_after_and_another_token_is_untouched()
    {
        var greedy = NewAdmin();
        var replies = new List<Reply>();
        for (var i = 0; i < PermitLimit * 2; i++) replies.Add(await SendAsync(Limited, HttpMethod.Get, Summary, greedy));

        // The bucket refills one permit every 12 s: a slow machine may see one more 200, never fewer than the limit.
        var ok = replies.Count(r => r.Status == HttpStatusCode.OK);
        Assert.True(ok is >= PermitLimit and <= PermitLimit + 1, $"{ok} of {replies.Count} answered 200\n{fixture.Describe()}");
        var refused = replies.Where(r => r.Status != HttpStatusCode.OK).ToArray();
        Assert.NotEmpty(refused);
        foreach (var r in refused)
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, r.Status);
            Assert.True(r.RetryAfter is { TotalSeconds: >= 1 and <= 60 }, $"Retry-After: {r.RetryAfter}");
            Assert.Equal("application/problem+json", r.MediaType);
            Assert.Equal(429, r.Object["status"]!.GetValue<int>());
        }

        // Another token has its own bucket; the same token's writes have theirs; /health is not limited.
        Expect(await SendAsync(Limited, HttpMethod.Get, Summary, NewAdmin()), HttpStatusCode.OK);
        Expect(await SendAsync(Limited, HttpMethod.Post, Enterprises, greedy,
            TestEnterprises.New(TestEnterprises.NewCreditCode(Qingshui), "限流写入企业")), HttpStatusCode.Created);
        for (var i = 0; i < PermitLimit * 2; i++) Expect(await SendAsync(Limited, HttpMethod.Get, "/health", null), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SendAsync(Limited, HttpMethod.Get, Summary, greedy)).Status);
    }

    [Fact]
    public async Task A_refused_burst_is_not_stored_as_an_answer()
    {
        var admin = NewAdmin();
        var key = Guid.NewGuid().ToString();
        var body = TestEnterprises.New(TestEnterprises.NewCreditCode(Qingshui), "限流重试企业");
        // Use up this token's writes on the limited gateway, then retry with a key: the 429 is not what a retry replays.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < PermitLimit * 2; i++)
            statuses.Add((await SendAsync(Limited, HttpMethod.Post, Enterprises, admin, body, key)).Status);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.Equal(HttpStatusCode.Created, statuses[0]);
        var retry = Expect(await SendAsync(Gateway, HttpMethod.Post, Enterprises, admin, body, key), HttpStatusCode.Created);
        Assert.True(retry.Replayed);
    }
}
