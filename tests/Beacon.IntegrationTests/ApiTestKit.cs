using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Beacon.Gateway.Security;
using Beacon.IntegrationTests.Infrastructure;

namespace Beacon.IntegrationTests;

/// <summary>A token and the subject and role it carries.</summary>
public sealed record Caller(string Subject, string Token, string Role)
{
    /// <summary>The "by" of every change made with the token: a token without a display name is named by its subject, with its role.</summary>
    public string By => $"{Subject}（{Role}）";

    /// <summary>A token with a subject of its own, so rate limits and audit lines are this test's alone.</summary>
    public static Caller Of(string role, string scope, string who, string? station = null)
    {
        var subject = $"{who}-{Guid.NewGuid():N}"[..(who.Length + 9)];
        return new Caller(subject, Tokens.Issue(TestTokens.Options, role, Scope.Parse(scope)!, subject, station: station), role);
    }

    public static Caller Admin(string county, string who) => Of(Roles.CountyAdmin, $"county:{county}", who);
}

/// <summary>Small helpers for the register, issue and audit tests: fresh names, DELETE, and the summary's parts.</summary>
public static class ApiTestKit
{
    /// <summary>Six characters that make this test's ids and names its own.</summary>
    public static string NewTag() => Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();

    public static Task<Answer> DeleteAsync(this BeaconCluster cluster, string path, string token) =>
        cluster.SendAsync(HttpMethod.Delete, path, token);

    public static Answer ExpectError(this Answer answer, HttpStatusCode status, string field)
    {
        answer.Expect(status);
        Assert.True(answer.ErrorFields.Contains(field), $"{answer.Method} {answer.Path}: errors do not name '{field}': {answer.Body}");
        return answer;
    }

    /// <summary>The station's row of the summary's stationLinkage, or null when the summary has none for it.</summary>
    public static JsonObject? StationRow(this JsonObject summary, string stationId) =>
        summary["stationLinkage"]!.AsArray().Select(s => s!.AsObject()).SingleOrDefault(s => (string?)s["stationId"] == stationId);

    public static JsonObject Station(this JsonObject summary, string stationId) =>
        summary.StationRow(stationId) ?? throw new Xunit.Sdk.XunitException($"No station {stationId} in stationLinkage: {summary["stationLinkage"]!.ToJsonString()}");

    public static string[] GroupsBelowTwo(this JsonObject summary) =>
        [.. summary["instructors"]!["groupsBelowTwoFullTime"]!.AsArray().Select(g => (string)g!)];

    public static JsonObject ToObject(this JsonElement element) => JsonNode.Parse(element.GetRawText())!.AsObject();

    /// <summary>The ids of a list page's items, in order, with its total.</summary>
    public static (int Total, string[] Ids) Page(this JsonObject page, string idField) =>
        (page["total"]!.GetValue<int>(), [.. page["items"]!.AsArray().Select(i => (string)i![idField]!)]);

    public static DateTimeOffset Time(this JsonNode node) => node.GetValue<DateTimeOffset>();
}
