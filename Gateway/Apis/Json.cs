using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Beacon.Gateway.Apis;

public static partial class Json
{
    /// <summary>The public contract's JSON: camelCase names and enum values ("socialOrganisation", "standalone").</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = null;
        // The contract is exact: names as documented, numbers as numbers, each member once, enums by their one name.
        options.PropertyNameCaseInsensitive = false;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.AllowDuplicateProperties = false;
        options.Converters.Add(new ExactEnumConverter());
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
    }

    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        return options;
    }

    /// <summary>
    /// Reads a request body, answering a ProblemDetails that names the offending field when the JSON is malformed,
    /// has the wrong type, misses a required member, has an unknown member or an unknown enum value, and 413 when
    /// the body is larger than the server takes.
    /// </summary>
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request) where T : class
    {
        if (!request.HasJsonContentType()) return (null, Invalid("body", "must be JSON (Content-Type: application/json)"));
        try
        {
            // The whole body first, then the JSON: a body over the limit is 413 whatever it holds. Read as it arrives,
            // an unknown member near its start answered 400 before the limit was reached, depending on buffering.
            using var body = new MemoryStream((int)Math.Min(request.ContentLength ?? 4096, GatewayExtensions.MaxBodyBytes));
            await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
            body.Position = 0;
            var value = JsonSerializer.Deserialize<T>(body, Options);
            return value is null ? (null, Invalid("body", "is required")) : (value, null);
        }
        catch (JsonException e)
        {
            // "…was missing required properties including: 'name', 'employees'." names several fields at once.
            var missing = MissingProperties().Match(e.Message);
            if (missing.Success)
            {
                var prefix = FieldOf(e.Path) is "body" ? "" : FieldOf(e.Path) + ".";
                return (null, Results.ValidationProblem(Quoted().Matches(missing.Groups[1].Value)
                    .ToDictionary(m => prefix + m.Groups[1].Value, _ => new[] { "is required" })));
            }
            return (null, Invalid(FieldOf(e.Path), e.Message.Split(" Path:")[0]));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Results.Problem(statusCode: 413, title: "Body too large", detail: "body: " + e.Message,
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["body"] = [e.Message] } }));
        }
    }

    private static string FieldOf(string? path) => path switch
    {
        null or "" or "$" => "body",
        _ when path.StartsWith("$.", StringComparison.Ordinal) => path[2..],
        _ when path.StartsWith('$') => path[1..],
        _ => path,
    };

    [GeneratedRegex("missing required properties including: (.*)$")]
    private static partial Regex MissingProperties();

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex Quoted();

    public static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    public static JsonObject ToObject<T>(T value) => JsonSerializer.SerializeToNode(value, Options)!.AsObject();

    /// <summary>What differs between two versions of an entity, field by field, with dotted paths (<c>organisation.mode</c>).</summary>
    public static IEnumerable<object> Differences(JsonNode? before, JsonNode? after)
    {
        var old = Flatten(before);
        var now = Flatten(after);
        return old.Keys.Union(now.Keys).Order(StringComparer.Ordinal)
            .Where(k => old.GetValueOrDefault(k) != now.GetValueOrDefault(k))
            .Select(k => new { field = k, before = Parse(old.GetValueOrDefault(k)), after = Parse(now.GetValueOrDefault(k)) });

        static JsonNode? Parse(string? json) => json is null ? null : JsonNode.Parse(json);
    }

    private static Dictionary<string, string> Flatten(JsonNode? node)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        Walk(node, "");
        return fields;

        void Walk(JsonNode? n, string path)
        {
            if (n is JsonObject o)
                foreach (var (key, child) in o) Walk(child, path.Length == 0 ? key : $"{path}.{key}");
            else if (n is not null && path.Length > 0)
                fields[path] = n.ToJsonString();
        }
    }
}

/// <summary>
/// Enums as their camelCase names and nothing else. The framework's converter also takes comma lists
/// ("standalone, joint" reads as a third value), padded names and any casing, which the contract does not allow.
/// </summary>
public sealed class ExactEnumConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Exact<>).MakeGenericType(typeToConvert))!;

    private sealed class Exact<TEnum> : JsonConverter<TEnum> where TEnum : struct, Enum
    {
        private static readonly Dictionary<string, TEnum> ByName =
            Enum.GetValues<TEnum>().ToDictionary(v => JsonNamingPolicy.CamelCase.ConvertName(v.ToString()), StringComparer.Ordinal);

        public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String && reader.GetString() is { } name && ByName.TryGetValue(name, out var value))
                return value;
            throw new JsonException($"must be one of {string.Join(", ", ByName.Keys)}");
        }

        public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
            writer.WriteStringValue(JsonNamingPolicy.CamelCase.ConvertName(value.ToString()));
    }
}
