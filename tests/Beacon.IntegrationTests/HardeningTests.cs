using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Beacon.Gateway.Security;
using Beacon.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit.Abstractions;
using HubException = Microsoft.AspNetCore.SignalR.HubException;
using static Beacon.IntegrationTests.Infrastructure.InMemoryClusterFixture;

namespace Beacon.IntegrationTests;

/// <summary>
/// What a hostile tester found, through the real gateway: screens that outlive their tokens, floods of anonymous
/// requests and subscriptions, 500s where the client erred, out-of-range dates, invisible names, tokens wider than
/// their role, duplicates a province could not see, and publications that reached a screen more than once.
/// </summary>
[Collection(InMemoryClusterCollection.Name)]
public sealed class HardeningTests(InMemoryClusterFixture fixture, ITestOutputHelper output)
{
    private BeaconCluster Cluster => fixture.Cluster;
    private static readonly string Admin = TestTokens.CountyAdmin(Qingshui);

    private static string Fresh(string role, string scope, TimeSpan? lifetime = null) =>
        Tokens.Issue(TestTokens.Options, role, Scope.Parse(scope)!, $"hardening {Guid.NewGuid():N}", lifetime);

    // ---- live connections end with their token ----

    [Fact]
    public async Task A_screen_is_disconnected_when_its_token_expires_and_gets_nothing_after()
    {
        var lifetime = TimeSpan.FromSeconds(6);
        var token = Fresh(Roles.Display, $"county:{Qingshui}", lifetime);
        var issued = DateTime.UtcNow;
        await using var screen = await LiveTests.Screen.ConnectAsync(Cluster, token);
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        screen.Connection.Closed += e => { closed.TrySetResult(e); return Task.CompletedTask; };
        await screen.Connection.InvokeAsync("Subscribe", $"county:{Qingshui}");
        await screen.NextAsync(s => s.GetProperty("county").GetString() == Qingshui, "the snapshot of county 620521");

        var ended = await Task.WhenAny(closed.Task, Task.Delay(lifetime + TimeSpan.FromSeconds(20)));
        Assert.True(ended == closed.Task,
            $"the connection was still open {(DateTime.UtcNow - issued).TotalSeconds:F0} s after its token was issued for {lifetime.TotalSeconds} s");
        var after = DateTime.UtcNow - issued;
        Assert.True(after >= lifetime - TimeSpan.FromSeconds(1), $"closed after {after.TotalSeconds:F1} s, before the token expired");
        Assert.Equal(HubConnectionState.Disconnected, screen.Connection.State);
    }

    // ---- the hub takes a few subscriptions per token, and says no quietly ----

    [Fact]
    public async Task Subscriptions_beyond_a_burst_are_refused_and_refusals_are_logged_briefly()
    {
        await using var screen = await LiveTests.Screen.ConnectAsync(Cluster, Fresh(Roles.Display, $"province:{Gansu}"));
        var refusedForRate = 0;
        for (var i = 0; i < 25; i++)
        {
            try { await screen.Connection.InvokeAsync("Subscribe", $"province:{Gansu}"); }
            catch (HubException e) when (e.Message.Contains("too many", StringComparison.Ordinal)) { refusedForRate++; }
        }
        Assert.True(refusedForRate >= 10, $"only {refusedForRate} of 25 back-to-back subscriptions were refused");

        // A refused subscription with a 30 KB argument: one short line, never the argument, never at Error.
        await using var other = await LiveTests.Screen.ConnectAsync(Cluster, Fresh(Roles.Display, $"county:{Qingshui}"));
        var huge = "county:" + new string('9', 30_000);
        await Assert.ThrowsAsync<HubException>(() => other.Connection.InvokeAsync("Subscribe", huge));
        await Task.Delay(500);
        var log = Cluster.Gateway!.Output;
        Assert.DoesNotContain(new string('9', 100), log);
        var errors = log.Split('\n').Where(l => l.Contains(" fail: ", StringComparison.Ordinal) && l.Contains("SignalR", StringComparison.Ordinal)).ToArray();
        Assert.True(errors.Length == 0, $"the gateway logged refused subscriptions as errors:\n{string.Join("\n", errors.Take(3).Select(l => l.Length > 400 ? l[..400] : l))}");
    }

    // ---- anonymous routes are cheap and limited ----

    [Fact]
    public async Task The_openapi_document_is_built_once_and_anonymous_requests_are_limited_per_address()
    {
        const int anonymousLimit = 30;
        var port = BeaconProcesses.FreePort();
        await using var gateway = await BeaconProcesses.StartGatewayAsync(port, Cluster.Ports, "memory", null,
            new Dictionary<string, string?> { ["Beacon__RateLimit__Anonymous__PermitLimit"] = anonymousLimit.ToString() });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        using var first = await http.GetAsync(OpenApiTests.DocumentPath);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var document = await first.Content.ReadAsStringAsync();
        // Served again from the output cache, even to a request with an Authorization header (which the framework's
        // default policy would build anew for).
        using var withHeader = new HttpRequestMessage(HttpMethod.Get, OpenApiTests.DocumentPath);
        withHeader.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        using var again = await http.SendAsync(withHeader);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.True(again.Headers.Age is not null, "the second answer has no Age header: it was built again, not served from the cache");
        Assert.Equal(document, await again.Content.ReadAsStringAsync());

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < anonymousLimit * 2; i++)
        {
            using var answer = await http.GetAsync(OpenApiTests.DocumentPath);
            statuses.Add(answer.StatusCode);
            if (answer.StatusCode == HttpStatusCode.TooManyRequests) Assert.NotNull(answer.Headers.RetryAfter);
        }
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        using var page = await http.GetAsync("/signin");
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        // A token's API requests are counted apart from the address's anonymous ones.
        using var summary = new HttpRequestMessage(HttpMethod.Get, $"/api/counties/{Qingshui}/summary");
        summary.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Admin);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(summary)).StatusCode);
    }

    // ---- a client's error is a 4xx, never a 500 ----

    [Fact]
    public async Task A_body_over_the_limit_with_an_idempotency_key_is_413_naming_the_body()
    {
        var before = await Cluster.SummaryAsync(Qingshui, Admin);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/counties/{Qingshui}/enterprises")
        {
            Content = new StringContent("{\"name\":\"" + new string('a', 70_000) + "\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Admin);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var answer = await Cluster.Http.SendAsync(request);
        var body = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{(int)answer.StatusCode}: {body}");
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(JsonNode.Parse(body)!["errors"]?["body"]);
        JsonFigures.AssertSameFigures(before, await Cluster.SummaryAsync(Qingshui, Admin), "the summary after a refused body");
    }

    [Fact]
    public async Task A_query_value_of_the_wrong_type_is_400_naming_the_parameter()
    {
        var answer = (await Cluster.GetAsync($"/api/counties/{Qingshui}/changes?limit=many", Admin)).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("limit", answer.ErrorFields);
    }

    [Fact]
    public async Task A_body_that_stalls_is_answered_with_408_not_500()
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Cluster.HttpPort);
        var stream = client.GetStream();
        var head = $"POST /api/counties/{Qingshui}/enterprises HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {Admin}\r\n" +
                   "Content-Type: application/json\r\nContent-Length: 5000\r\nIdempotency-Key: stall-" + Guid.NewGuid().ToString("N") + "\r\n\r\n{\"cre";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        // Kestrel gives a body 5 s of grace, then wants 240 bytes a second; this one sends nothing more.
        using var reader = new StreamReader(stream, Encoding.ASCII);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var status = await reader.ReadLineAsync(wait.Token);
        output.WriteLine($"answer to a stalled body: {status}");
        Assert.NotNull(status);
        Assert.StartsWith("HTTP/1.1 408", status);
    }

    // ---- what a write answers ----

    [Fact]
    public async Task An_activity_answers_how_many_records_it_holds_and_a_Location_that_is_a_URL()
    {
        var id = $"AS-{Guid.NewGuid():N}"[..12];
        (await Cluster.PostAsync($"/api/counties/{Qingshui}/instructors", Admin, new JsonObject
        {
            ["instructorId"] = id, ["name"] = "考核测试指导员", ["fullTime"] = true,
        })).Expect(HttpStatusCode.Created);
        for (var n = 1; n <= 4; n++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/counties/{Qingshui}/instructors/{id}/assessments")
            {
                Content = new StringContent(new JsonObject
                {
                    ["kind"] = n == 4 ? "annual" : "daily", ["period"] = $"2026-0{n}", ["score"] = 80 + n, ["rating"] = "competent",
                }.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Admin);
            using var answer = await Cluster.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
            Assert.Equal(n, JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["count"]!.GetValue<int>());
            var location = answer.Headers.Location;
            Assert.NotNull(location);
            Assert.Equal($"/api/counties/{Qingshui}/instructors/{id}/activity", location!.OriginalString);
            Assert.Equal(HttpStatusCode.OK, (await Cluster.GetAsync(location.OriginalString, Admin)).Status);
        }
    }

    // ---- dates and names ----

    [Fact]
    public async Task Dates_far_outside_reason_and_invisible_names_are_refused_by_field()
    {
        var station = $"HD-{Guid.NewGuid():N}"[..12];
        (await Cluster.PostAsync($"/api/counties/{Qingshui}/stations", Admin, new JsonObject
        {
            ["stationId"] = station, ["name"] = "清水县加固测试指导站", ["townships"] = new JsonArray("永清镇"),
        })).Expect(HttpStatusCode.Created);

        foreach (var date in new[] { "0001-01-01", "1999-12-31", "9999-12-31" })
        {
            var meeting = await Cluster.PostAsync($"/api/counties/{Qingshui}/stations/{station}/meetings", Admin,
                new JsonObject { ["date"] = date, ["kind"] = "staffMeeting", ["attendees"] = 5, ["topic"] = "例会" });
            Assert.Contains("date", meeting.Expect(HttpStatusCode.BadRequest).ErrorFields);
        }
        foreach (var month in new[] { "9999-12", "0001-01", "1999-12" })
        {
            var report = await Cluster.PostAsync($"/api/counties/{Qingshui}/stations/{station}/reports", Admin,
                new JsonObject { ["month"] = month, ["summary"] = "月报", ["issuesForCounty"] = new JsonArray() });
            Assert.Contains("month", report.Expect(HttpStatusCode.BadRequest).ErrorFields);
        }
        var activity = await Cluster.GetJsonAsync($"/api/counties/{Qingshui}/stations/{station}/activity", Admin);
        Assert.Empty(activity["meetings"]!.AsArray());
        Assert.Empty(activity["reports"]!.AsArray());

        foreach (var name in new[] { "\u200B\u200B\u200B", "\u2060\uFEFF", "\u202E司公限有\u202C", "清水\u2066县企业" })
        {
            var code = TestEnterprises.NewCreditCode(Qingshui);
            var answer = await Cluster.PostAsync($"/api/counties/{Qingshui}/enterprises", Admin, TestEnterprises.New(code, name));
            Assert.Contains("name", answer.Expect(HttpStatusCode.BadRequest).ErrorFields);
            (await Cluster.GetAsync($"/api/counties/{Qingshui}/enterprises/{code}", Admin)).Expect(HttpStatusCode.NotFound);
        }
    }

    // ---- a county role with a province scope reads nothing ----

    [Fact]
    public async Task A_county_role_carrying_a_province_scope_reads_no_county()
    {
        foreach (var role in new[] { Roles.CountyAdmin, Roles.StationStaff })
        {
            var token = Tokens.Issue(TestTokens.Options, role, Scope.Parse($"province:{Gansu}")!, $"widened {role}",
                station: role == Roles.StationStaff ? "LX-01" : null);
            foreach (var county in new[] { Qingshui, Longxi })
            {
                (await Cluster.GetAsync($"/api/counties/{county}/summary", token)).Expect(HttpStatusCode.Forbidden);
                (await Cluster.GetAsync($"/api/counties/{county}/enterprises", token)).Expect(HttpStatusCode.Forbidden);
            }
            (await Cluster.GetAsync($"/api/provinces/{Gansu}/comparison", token)).Expect(HttpStatusCode.Forbidden);
            await using var screen = await LiveTests.Screen.ConnectAsync(Cluster, token);
            await Assert.ThrowsAsync<HubException>(() => screen.Connection.InvokeAsync("Subscribe", $"county:{Qingshui}"));
        }
    }

    // ---- a credit code in two counties of a province is flagged to the province ----

    [Fact]
    public async Task A_credit_code_registered_in_two_counties_is_flagged_in_the_province_comparison_until_one_removes_it()
    {
        var overseer = Fresh(Roles.ProvinceOverseer, $"province:{Gansu}");
        var code = TestEnterprises.NewCreditCode(Qingshui);
        (await Cluster.PostAsync($"/api/counties/{Qingshui}/enterprises", Admin, TestEnterprises.New(code, "清水县双重登记企业"))).Expect(HttpStatusCode.Created);
        Assert.Null(await DuplicateAsync(overseer, code, expectPresent: false));

        var longxi = TestTokens.CountyAdmin(Longxi);
        (await Cluster.PostAsync($"/api/counties/{Longxi}/enterprises", longxi, TestEnterprises.New(code, "陇西县双重登记企业"))).Expect(HttpStatusCode.Created);
        var flagged = await DuplicateAsync(overseer, code, expectPresent: true);
        Assert.Equal([Qingshui, Longxi], flagged!["counties"]!.AsArray().Select(c => c!.GetValue<string>()).ToArray());

        (await Cluster.SendAsync(HttpMethod.Delete, $"/api/counties/{Longxi}/enterprises/{code}", longxi)).Expect(HttpStatusCode.NoContent);
        Assert.Null(await DuplicateAsync(overseer, code, expectPresent: false));
    }

    /// <summary>The comparison's entry for the credit code once it is (or is no longer) there, within 5 s.</summary>
    private async Task<JsonObject?> DuplicateAsync(string overseer, string code, bool expectPresent)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var comparison = await Cluster.GetJsonAsync($"/api/provinces/{Gansu}/comparison", overseer);
            var entry = comparison["duplicates"]!.AsArray().Select(d => d!.AsObject()).FirstOrDefault(d => d["creditCode"]!.GetValue<string>() == code);
            if (entry is not null == expectPresent) return entry;
            if (clock.Elapsed > TimeSpan.FromSeconds(5))
                Assert.Fail($"credit code {code} is {(expectPresent ? "not" : "still")} flagged 5 s on: {comparison["duplicates"]!.ToJsonString()}");
            await Task.Delay(200);
        }
    }

    // ---- each publication reaches a screen once ----

    [Fact]
    public async Task Screens_that_subscribe_together_to_a_fresh_gateway_get_each_publication_once()
    {
        var port = BeaconProcesses.FreePort();
        await using var gateway = await BeaconProcesses.StartGatewayAsync(port, Cluster.Ports, "memory", null);
        var address = new Uri($"http://127.0.0.1:{port}");
        const int screens = 24;
        var received = Enumerable.Range(0, screens).Select(_ => new List<long>()).ToArray();
        var connections = new List<HubConnection>();
        try
        {
            for (var i = 0; i < screens; i++)
            {
                var seen = received[i];
                var token = Fresh(Roles.Display, $"county:{Qingshui}");
                var connection = new HubConnectionBuilder()
                    .WithUrl(new Uri(address, "/hubs/live"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
                    .Build();
                connection.On<JsonElement>("summary", s => { lock (seen) seen.Add(s.GetProperty("seq").GetInt64()); });
                await connection.StartAsync();
                connections.Add(connection);
            }
            // All at once, as screens reconnecting to a restarted gateway do.
            await Task.WhenAll(connections.Select(c => c.InvokeAsync("Subscribe", $"county:{Qingshui}")));

            for (var n = 0; n < 3; n++)
            {
                (await Cluster.PostAsync($"/api/counties/{Qingshui}/enterprises", Admin,
                    TestEnterprises.New(TestEnterprises.NewCreditCode(Qingshui), $"清水县广播测试企业{n}"))).Expect(HttpStatusCode.Created);
                await Task.Delay(700);
            }
            await Task.Delay(1000);
            for (var i = 0; i < screens; i++)
            {
                long[] seqs;
                lock (received[i]) seqs = [.. received[i]];
                var twice = seqs.GroupBy(s => s).Where(g => g.Count() > 1).Select(g => $"{g.Key} ×{g.Count()}").ToArray();
                Assert.True(twice.Length == 0, $"screen {i} got publications more than once: {string.Join(", ", twice)}\n{gateway.Describe()}");
                Assert.True(seqs.Length >= 2, $"screen {i} got {seqs.Length} summaries");
            }
        }
        finally
        {
            foreach (var c in connections) await c.DisposeAsync();
        }
    }
}
