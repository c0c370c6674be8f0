using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Beacon.IntegrationTests.Infrastructure;

/// <summary>One silo and one gateway process on shared storage, and an HTTP client for the gateway.</summary>
public sealed class BeaconCluster : IAsyncDisposable
{
    private readonly string _storage;
    private readonly string? _connectionString;
    private readonly string _demoCounties;
    private readonly IReadOnlyDictionary<string, string?>? _siloEnvironment;
    private readonly IReadOnlyDictionary<string, string?>? _gatewayEnvironment;
    private readonly StringBuilder _history = new();

    public BeaconProcess? Silo { get; private set; }
    public BeaconProcess? Gateway { get; private set; }
    public SiloPorts Ports { get; private set; } = SiloPorts.Free();
    public int HttpPort { get; private set; } = BeaconProcesses.FreePort();
    public HttpClient Http { get; private set; }
    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}");

    private BeaconCluster(string storage, string? connectionString, string demoCounties, IReadOnlyDictionary<string, string?>? siloEnvironment = null,
        IReadOnlyDictionary<string, string?>? gatewayEnvironment = null)
    {
        _storage = storage;
        _connectionString = connectionString;
        _demoCounties = demoCounties;
        _siloEnvironment = siloEnvironment;
        _gatewayEnvironment = gatewayEnvironment;
        Http = NewClient();
    }

    /// <summary>An in-memory silo and gateway with the demo counties given; <paramref name="gatewayEnvironment"/> adds or overrides the gateway's variables.</summary>
    public static Task<BeaconCluster> StartInMemoryAsync(string demoCounties, IReadOnlyDictionary<string, string?>? gatewayEnvironment = null,
        IReadOnlyDictionary<string, string?>? siloEnvironment = null) =>
        StartAsync(new BeaconCluster("memory", null, demoCounties, siloEnvironment, gatewayEnvironment: gatewayEnvironment));

    /// <summary>An in-memory silo and gateway with no demo data at all (<c>Beacon__Demo=false</c>): a system as installed.</summary>
    public static Task<BeaconCluster> StartEmptyInMemoryAsync() =>
        StartAsync(new BeaconCluster("memory", null, "", new Dictionary<string, string?> { ["Beacon__Demo"] = "false" }));

    public static Task<BeaconCluster> StartPostgresAsync(string connectionString, string demoCounties) =>
        StartAsync(new BeaconCluster("postgres", connectionString, demoCounties));

    /// <summary>A cluster on PostgreSQL with nothing started, for a test that starts its processes in its own order.</summary>
    public static BeaconCluster UnstartedPostgres(string connectionString, string demoCounties) => new("postgres", connectionString, demoCounties);

    private static async Task<BeaconCluster> StartAsync(BeaconCluster cluster)
    {
        try
        {
            await cluster.StartSiloAsync();
            await cluster.StartGatewayAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private HttpClient NewClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public async Task StartSiloAsync()
    {
        if (Silo is not null) throw new InvalidOperationException("The silo is running already.");
        Silo = await BeaconProcesses.StartSiloAsync(Ports, _storage, _connectionString, _demoCounties, _siloEnvironment);
    }

    public async Task StartGatewayAsync()
    {
        if (Gateway is not null) throw new InvalidOperationException("The gateway is running already.");
        Gateway = await BeaconProcesses.StartGatewayAsync(HttpPort, Ports, _storage, _connectionString, _gatewayEnvironment);
    }

    public async Task StopSiloAsync()
    {
        if (Silo is null) return;
        var graceful = await Silo.StopAsync();
        _history.AppendLine(Silo.Describe());
        await Silo.DisposeAsync();
        Silo = null;
        Assert.True(graceful, $"The silo did not stop within 20 s of SIGTERM.\n{Describe()}");
    }

    /// <summary>Kills the silo (SIGKILL); <see cref="StartSiloAsync"/> then starts one on the same ports, as an operator would.</summary>
    public async Task KillSiloAsync()
    {
        if (Silo is null) return;
        Silo.Kill();
        _history.AppendLine(Silo.Describe());
        await Silo.DisposeAsync();
        Silo = null;
    }

    public async Task StopGatewayAsync()
    {
        if (Gateway is null) return;
        var graceful = await Gateway.StopAsync();
        _history.AppendLine(Gateway.Describe());
        await Gateway.DisposeAsync();
        Gateway = null;
        Assert.True(graceful, $"The gateway did not stop within 20 s of SIGTERM.\n{Describe()}");
    }

    /// <summary>Stops both (gateway first), then starts new processes on new ports and the same storage.</summary>
    public async Task StopAsync()
    {
        await StopGatewayAsync();
        await StopSiloAsync();
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        Ports = SiloPorts.Free();
        HttpPort = BeaconProcesses.FreePort();
        Http.Dispose();
        Http = NewClient();
        await StartSiloAsync();
        await StartGatewayAsync();
    }

    /// <summary>Every process output so far, for failure messages.</summary>
    public string Describe() =>
        _history + (Silo?.Describe() ?? "") + "\n" + (Gateway?.Describe() ?? "");

    public void WriteTo(ITestOutputHelper output)
    {
        try { output.WriteLine(Describe()); }
        catch (InvalidOperationException) { /* no test is running */ }
    }

    // ---- HTTP ----

    public async Task<Answer> SendAsync(HttpMethod method, string path, string? token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Content = body switch
        {
            null => null,
            string raw => new StringContent(raw, Encoding.UTF8, "application/json"),
            JsonNode node => new StringContent(node.ToJsonString(), Encoding.UTF8, "application/json"),
            HttpContent content => content,
            _ => throw new ArgumentException("body is a raw JSON string, a JsonNode or any HttpContent", nameof(body)),
        };
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Answer(this, method, path, response.StatusCode, response.Content.Headers.ContentType?.MediaType, text);
    }

    public Task<Answer> GetAsync(string path, string? token) => SendAsync(HttpMethod.Get, path, token);
    public Task<Answer> PostAsync(string path, string? token, object? body = null) => SendAsync(HttpMethod.Post, path, token, body);
    public Task<Answer> PutAsync(string path, string? token, object? body) => SendAsync(HttpMethod.Put, path, token, body);

    public async Task<JsonObject> GetJsonAsync(string path, string token) =>
        (await GetAsync(path, token)).Expect(HttpStatusCode.OK).Object;

    public Task<JsonObject> SummaryAsync(string county, string token) => GetJsonAsync($"/api/counties/{county}/summary", token);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (Gateway is not null) { await Gateway.DisposeAsync(); Gateway = null; }
        if (Silo is not null) { await Silo.DisposeAsync(); Silo = null; }
    }
}

/// <summary>An HTTP answer, read whole, that can say what went wrong with the processes' output beside it.</summary>
public sealed record Answer(BeaconCluster Cluster, HttpMethod Method, string Path, HttpStatusCode Status, string? MediaType, string Body)
{
    public Answer Expect(HttpStatusCode status)
    {
        if (Status != status)
            Assert.Fail($"{Method} {Path} answered {(int)Status} {Status}, expected {(int)status} {status}. Body:\n{Body}\n{Cluster.Describe()}");
        return this;
    }

    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException($"{Method} {Path} answered JSON null");

    public JsonObject Object => Json.AsObject();

    /// <summary>The field names of a 400 ProblemDetails' <c>errors</c>.</summary>
    public string[] ErrorFields
    {
        get
        {
            Assert.True(MediaType == "application/problem+json", $"{Method} {Path} answered {MediaType}, not application/problem+json: {Body}");
            var errors = Object["errors"] as JsonObject;
            Assert.True(errors is not null, $"{Method} {Path}: the ProblemDetails has no errors member: {Body}");
            return [.. errors.Select(e => e.Key)];
        }
    }
}

public static class JsonFigures
{
    /// <summary>A summary without the members that change on every publication (<c>seq</c>, <c>asOf</c>).</summary>
    public static JsonNode WithoutSeq(JsonObject summary)
    {
        var copy = summary.DeepClone().AsObject();
        copy.Remove("seq");
        copy.Remove("asOf");
        return copy;
    }

    public static void AssertSameFigures(JsonObject expected, JsonObject actual, string what)
    {
        var a = WithoutSeq(expected);
        var b = WithoutSeq(actual);
        Assert.True(JsonNode.DeepEquals(a, b), $"{what}: the figures differ.\nexpected: {a.ToJsonString()}\nactual:   {b.ToJsonString()}");
    }

    public static void AssertJsonEqual(JsonNode expected, JsonNode actual, string what) =>
        Assert.True(JsonNode.DeepEquals(expected, actual), $"{what}: JSON differs.\nexpected: {expected.ToJsonString()}\nactual:   {actual.ToJsonString()}");

    public static long Long(this JsonNode node, string path) => Walk(node, path).GetValue<long>();
    public static int Int(this JsonNode node, string path) => Walk(node, path).GetValue<int>();
    public static double Double(this JsonNode node, string path) => Walk(node, path).GetValue<double>();

    private static JsonNode Walk(JsonNode node, string path)
    {
        var at = node;
        foreach (var part in path.Split('.'))
            at = at[part] ?? throw new KeyNotFoundException($"'{path}' is missing from {node.ToJsonString()}");
        return at;
    }

    public static JsonElement Element(this JsonNode node) => JsonSerializer.SerializeToElement(node);
}
