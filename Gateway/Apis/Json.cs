using System.Buffers;
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
        if (!request.HasJsonContentType())
            return (null, Answers.Invalid("body", new("须为 JSON（Content-Type: application/json）", "must be JSON (Content-Type: application/json)")));
        try
        {
            // The whole body first, then the JSON: a body over the limit is 413 whatever it holds. Read as it arrives,
            // an unknown member near its start answered 400 before the limit was reached, depending on buffering.
            using var body = new MemoryStream((int)Math.Min(request.ContentLength ?? 4096, GatewayExtensions.MaxBodyBytes));
            if (!await CopyAtMostAsync(request.Body, body, GatewayExtensions.MaxBodyBytes, request.HttpContext.RequestAborted))
                return (null, BodyTooLarge());
            body.Position = 0;
            var value = JsonSerializer.Deserialize<T>(body, Options);
            return value is null ? (null, Answers.Invalid("body", Rules.Validation.Required)) : (value, null);
        }
        catch (JsonException e)
        {
            return (null, Answers.Invalid(Errors(e)));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, BodyTooLarge());
        }
    }

    /// <summary>A value built as JSON (an import's row), read as a request body is, with the same errors by field.</summary>
    public static (T? Value, IReadOnlyDictionary<string, Said[]>? Errors) Read<T>(JsonObject json) where T : class
    {
        try
        {
            return json.Deserialize<T>(Options) is { } value ? (value, null) : (null, new Dictionary<string, Said[]> { ["body"] = [Rules.Validation.Required] });
        }
        catch (JsonException e)
        {
            return (null, Errors(e));
        }
    }

    /// <summary>What the JSON reader refused, by field; "…was missing required properties including: 'name', 'employees'." names several.</summary>
    private static IReadOnlyDictionary<string, Said[]> Errors(JsonException e)
    {
        var missing = MissingProperties().Match(e.Message);
        if (!missing.Success) return new Dictionary<string, Said[]> { [FieldOf(e.Path)] = [Why(e)] };
        var prefix = FieldOf(e.Path) is "body" ? "" : FieldOf(e.Path) + ".";
        return Quoted().Matches(missing.Groups[1].Value).ToDictionary(m => prefix + m.Groups[1].Value, _ => new[] { Rules.Validation.Required });
    }

    private static IResult BodyTooLarge() =>
        Answers.Invalid(new Dictionary<string, Said[]> { ["body"] = [TooLarge] }, StatusCodes.Status413PayloadTooLarge, new("请求体过大", "Body too large"));

    /// <summary>
    /// Copies at most <paramref name="max"/> bytes; false when the body is longer. A longer body is still read to its end
    /// (Kestrel stops it at <see cref="GatewayExtensions.MaxDrainedBytes"/>): a server that answers while the client is
    /// still sending closes a socket with unread bytes, which resets the connection, and the client sees the reset
    /// instead of the 413 that says why.
    /// </summary>
    private static async Task<bool> CopyAtMostAsync(Stream from, Stream to, int max, CancellationToken cancellation)
    {
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            long total = 0;
            int read;
            while ((read = await from.ReadAsync(chunk, cancellation)) > 0)
            {
                total += read;
                if (total <= max) to.Write(chunk, 0, read);
            }
            return total <= max;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    public static readonly Said TooLarge = new($"最多 {GatewayExtensions.MaxBodyBytes / 1024} KB", $"must be at most {GatewayExtensions.MaxBodyBytes / 1024} KB");

    /// <summary>Why the JSON reader refused a value, in words a person filling a form understands, never a .NET type name.</summary>
    private static Said Why(JsonException e)
    {
        var message = e.Message.Split(" Path:")[0];
        if (message.StartsWith("must be one of ", StringComparison.Ordinal))
            return new("须为以下之一：" + message["must be one of ".Length..], message);
        if (ConvertedTo().Match(message) is { Success: true } converted)
            return converted.Groups[1].Value switch
            {
                var t when t.StartsWith("System.Int", StringComparison.Ordinal) || t.Contains("[System.Int", StringComparison.Ordinal) =>
                    new("须为整数", "must be a whole number"),
                var t when t.Contains("Double", StringComparison.Ordinal) => new("须为数字", "must be a number"),
                var t when t.Contains("Boolean", StringComparison.Ordinal) => new("须为 true 或 false", "must be true or false"),
                var t when t.Contains("DateOnly", StringComparison.Ordinal) => new("须为 yyyy-MM-dd 格式的日期", "must be a date as yyyy-MM-dd"),
                var t when t.Contains("DateTimeOffset", StringComparison.Ordinal) => new("须为 ISO 8601 格式的时间", "must be a time in ISO 8601"),
                var t when t.EndsWith("[]", StringComparison.Ordinal) => new("须为数组", "must be an array"),
                var t when t.Contains("String", StringComparison.Ordinal) => new("须为文本", "must be text"),
                _ => new("须为对象（{ … }）", "must be an object ({ … })"),
            };
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
            return new("不是可接受的字段", "is not a field this takes");
        if (message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
            return new("字段重复", "is given twice");
        return new("不是有效的 JSON", $"is not valid JSON: {message}");
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

    [GeneratedRegex(@"could not be converted to ([\w.`\[\], =]+?)\.?$")]
    private static partial Regex ConvertedTo();

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
