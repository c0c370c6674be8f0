using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Beacon.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Beacon.IntegrationTests;

/// <summary>
/// The OpenAPI document the gateway serves describes the public contract: every route of <see cref="Routes.All"/> with
/// its method, the error answers each can give, and the ProblemDetails schemas those answers use.
/// </summary>
[Collection(InMemoryClusterCollection.Name)]
public sealed class OpenApiTests(InMemoryClusterFixture fixture, ITestOutputHelper output)
{
    public const string DocumentPath = "/openapi/v1.json";

    private BeaconCluster Cluster => fixture.Cluster;

    /// <summary>Where the document is kept for inspection: tests/TestResults (test.sh's results folder, git-ignored).</summary>
    public static string SavedDocument => Path.Combine(BeaconProcesses.RepoRoot, "tests", "TestResults", "openapi", "v1.json");

    private async Task<JsonObject> DocumentAsync()
    {
        var answer = await Cluster.GetAsync(DocumentPath, token: null);
        answer.Expect(HttpStatusCode.OK);
        Directory.CreateDirectory(Path.GetDirectoryName(SavedDocument)!);
        await File.WriteAllTextAsync(SavedDocument, answer.Body);
        output.WriteLine($"Saved {DocumentPath} ({answer.Body.Length} characters) to {SavedDocument}");
        Assert.True(answer.MediaType == "application/json", $"{DocumentPath} answered Content-Type {answer.MediaType}");
        JsonNode? node;
        try { node = JsonNode.Parse(answer.Body); }
        catch (JsonException e) { throw new Xunit.Sdk.XunitException($"{DocumentPath} is not valid JSON: {e.Message}"); }
        return Assert.IsType<JsonObject>(node);
    }

    /// <summary>The document's path item for a route template, whether or not the document writes it with a trailing slash.</summary>
    private static JsonObject? PathItem(JsonObject paths, string template) =>
        paths.FirstOrDefault(p => p.Key.TrimEnd('/') == template.TrimEnd('/')).Value as JsonObject;

    [Fact]
    public async Task The_document_is_anonymous_openapi_3_json()
    {
        var document = await DocumentAsync();
        var version = document["openapi"]?.GetValue<string>();
        Assert.True(version is not null && version.StartsWith("3.", StringComparison.Ordinal), $"openapi is '{version}', not 3.x");
        Assert.NotNull(document["info"]);
        Assert.IsType<JsonObject>(document["paths"]);
    }

    [Fact]
    public async Task Every_route_is_documented_with_its_error_answers()
    {
        var document = await DocumentAsync();
        var paths = Assert.IsType<JsonObject>(document["paths"]);
        var faults = new List<string>();
        var undocumentedSuccess = new List<string>();
        foreach (var route in Routes.All)
        {
            if (PathItem(paths, route.Template) is not { } item)
            {
                faults.Add($"{route}: the path is not in the document");
                continue;
            }
            if (item[route.Method.ToLowerInvariant()] is not JsonObject operation)
            {
                faults.Add($"{route}: the path is documented, but without {route.Method} (it has {string.Join(", ", item.Select(o => o.Key))})");
                continue;
            }
            var responses = operation["responses"] as JsonObject ?? [];
            string[] due = route.IsWrite ? ["400", "401", "403"] : ["401", "403"];
            foreach (var code in due)
            {
                if (responses[code] is not JsonObject response)
                    faults.Add($"{route}: no {code} response (documented: {string.Join(", ", responses.Select(r => r.Key))})");
                else if (response["content"]?["application/problem+json"] is null)
                    faults.Add($"{route}: the {code} response is not application/problem+json ({response.ToJsonString()})");
            }
            // Not part of this test's contract, but worth seeing: routes whose success answer the document leaves out.
            if (!responses.Any(r => r.Key.StartsWith('2'))) undocumentedSuccess.Add(route.ToString());
        }
        if (undocumentedSuccess.Count > 0)
            output.WriteLine($"Note: {undocumentedSuccess.Count} routes document no 2xx answer:\n  " + string.Join("\n  ", undocumentedSuccess));
        Assert.True(faults.Count == 0, $"{faults.Count} faults in {DocumentPath} (saved at {SavedDocument}):\n" + string.Join("\n", faults));
    }

    [Fact]
    public async Task The_problem_details_schemas_are_in_the_document()
    {
        var document = await DocumentAsync();
        var schemas = document["components"]?["schemas"] as JsonObject;
        Assert.True(schemas is not null, $"{DocumentPath} has no components.schemas");
        foreach (var name in new[] { "ProblemDetails", "HttpValidationProblemDetails" })
            Assert.True(schemas.ContainsKey(name), $"components.schemas has no {name}: {string.Join(", ", schemas.Select(s => s.Key))}");
        var validation = schemas["HttpValidationProblemDetails"]!.ToJsonString();
        Assert.Contains("errors", validation);
    }
}
