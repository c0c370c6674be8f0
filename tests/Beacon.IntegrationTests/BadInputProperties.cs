using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Beacon.Gateway.Security;
using Beacon.IntegrationTests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;
using static Beacon.IntegrationTests.Infrastructure.InMemoryClusterFixture;

namespace Beacon.IntegrationTests;

/// <summary>
/// Generated bad input through the real gateway, as the county admin of 621122: every bad body or query string is
/// answered 400 (413 when too large) with a ProblemDetails whose <c>errors</c> names the field, never 500 nor 2xx,
/// and neither the county's summary nor the entity addressed changes. Each property is bounded (MaxTest) so the
/// file stays well under a minute, and has its own token subject so the rate limiter never answers 429.
/// </summary>
[Collection(InMemoryClusterCollection.Name)]
public sealed class BadInputProperties(InMemoryClusterFixture fixture)
{
    private const int MaxTest = 40;
    private BeaconCluster Cluster => fixture.Cluster;
    private static string County => $"/api/counties/{Longxi}";

    // ---- the properties ----

    [Fact]
    public void Malformed_JSON_is_400_naming_the_body_or_the_path() => Verify(nameof(Malformed_JSON_is_400_naming_the_body_or_the_path), t =>
        from e in Gen.Elements(t.Writes)
        from c in Gen.OneOf(BadGen.Truncated(e), BadGen.RandomBytes(e), BadGen.WrongTopLevel(e), BadGen.NotJsonContent(e),
            BadGen.DeepNesting(e), BadGen.Trailing(e))
        select c);

    [Fact]
    public void A_wrong_type_in_any_field_is_400_naming_it() => Verify(nameof(A_wrong_type_in_any_field_is_400_naming_it), t =>
        from e in Gen.Elements(t.Writes)
        from f in Gen.Elements(e.Fields)
        from value in BadGen.WrongType(f)
        select e.With(f.Path, value, $"{f.Path} ({f.Type}) = {Show(value)}", f.Path));

    [Fact]
    public void A_missing_required_field_is_400_naming_it() => Verify(nameof(A_missing_required_field_is_400_naming_it), t =>
        from e in Gen.Elements(t.Writes)
        from missing in Gen.SubListOf(e.Required).Where(l => l.Count > 0)
        select BadGen.Missing(e, missing));

    [Fact]
    public void An_unknown_member_is_400_naming_it() => Verify(nameof(An_unknown_member_is_400_naming_it), t =>
        from e in Gen.Elements(t.Writes)
        from at in Gen.Elements(e.Objects)
        from name in BadGen.Word.Where(w => !e.MembersOf(at).Contains(w, StringComparer.OrdinalIgnoreCase))
        from value in Gen.Elements<JsonNode?>(1, "x", null, true, new JsonObject(), new JsonArray())
        let path = at.Length == 0 ? name : $"{at}.{name}"
        select e.With(path, value, $"unknown member {path}", path, exact: true));

    [Fact]
    public void An_unknown_enum_value_is_400_naming_the_field() => Verify(nameof(An_unknown_enum_value_is_400_naming_the_field), t =>
        from e in Gen.Elements(t.Writes.Where(w => w.Fields.Any(f => f.Type == FieldType.Enum)).ToArray())
        from f in Gen.Elements(e.Fields.Where(f => f.Type == FieldType.Enum).ToArray())
        from value in Gen.OneOf(
            BadGen.Word.Where(w => !f.Values!.Contains(w, StringComparer.OrdinalIgnoreCase)).Select(w => (JsonNode?)w),
            Gen.Elements<JsonNode?>("0", "1", "-1", "007", "", "bank", "enterprise_", "stand alone", "<script>", "'; DROP TABLE x; --"))
        select e.With(f.Path, value, $"{f.Path} = {Show(value)}", f.Path));

    [Fact]
    public void A_bad_credit_code_is_400_naming_creditCode() => Verify(nameof(A_bad_credit_code_is_400_naming_creditCode), t =>
        from code in BadGen.BadCreditCode
        from c in Gen.OneOf(
            Gen.Elements(t.Writes.Where(w => w.Fields.Any(f => f.Path == "creditCode")).ToArray())
                .Select(e => e.With("creditCode", code, $"creditCode '{code}'", "creditCode")),
            Gen.Constant(t.EnterpriseAt(code)))
        select c);

    [Fact]
    public void A_negative_or_absurd_number_or_a_broken_rule_is_400_naming_the_field() =>
        Verify(nameof(A_negative_or_absurd_number_or_a_broken_rule_is_400_naming_the_field), t =>
            from e in Gen.Elements(t.Writes.Where(w => BadGen.Numbers(w).Length > 0).ToArray())
            from c in Gen.OneOf(BadGen.Numbers(e))
            select c);

    [Fact]
    public void Control_characters_invisible_or_over_long_text_in_any_text_field_is_400_naming_it() =>
        Verify(nameof(Control_characters_invisible_or_over_long_text_in_any_text_field_is_400_naming_it), t =>
            from e in Gen.Elements(t.Writes)
            from f in Gen.Elements(e.Fields.Where(f => f.Type is FieldType.Text or FieldType.Id or FieldType.TextArray).ToArray())
            from bad in BadGen.BadText(f)
            let value = f.Type == FieldType.TextArray ? new JsonArray("属性测试镇", bad.Value) : (JsonNode?)bad.Value
            select e.With(f.Path, value, $"{f.Path}: {bad.How}", f.Type == FieldType.TextArray ? $"{f.Path}[1]" : f.Path));

    [Fact]
    public void A_body_over_64_KB_is_413_naming_the_body() => Verify(nameof(A_body_over_64_KB_is_413_naming_the_body), t =>
        from e in Gen.Elements(t.Writes)
        from size in Gen.Choose(64 * 1024 + 1, 160 * 1024)
        from kind in Gen.Choose(0, 2)
        from chunked in Gen.Elements(true, false)
        select BadGen.Oversized(e, size, kind, chunked), maxTest: 25);

    [Fact]
    public void A_bad_query_string_on_a_list_is_400_naming_the_parameter() =>
        Verify(nameof(A_bad_query_string_on_a_list_is_400_naming_the_parameter), t =>
            from list in Gen.Elements("enterprises", "stations", "groups", "instructors", "issues")
            from bad in BadGen.BadQuery
            from extra in Gen.Elements("", "&limit=5", "&sort=-id", "&offset=1")
            select BadRequest.Query(list, bad.Param, bad.Value, extra));

    // ---- product bugs found by these properties, each on its own so that the others stay meaningful ----

    /// <summary>JsonSerializerDefaults.Web reads numbers from strings: <c>"employees": "30"</c> is taken for 30.</summary>
    [Fact]
    public void A_number_in_a_string_is_400_naming_the_field() => Verify(nameof(A_number_in_a_string_is_400_naming_the_field), t =>
        from e in Gen.Elements(t.Writes.Where(w => w.Fields.Any(f => f.Type is FieldType.Int or FieldType.Double)).ToArray())
        from f in Gen.Elements(e.Fields.Where(f => f.Type is FieldType.Int or FieldType.Double).ToArray())
        from n in Gen.Choose(0, 3)
        let value = (JsonNode)n.ToString()
        select e.With(f.Path, value, $"{f.Path} = \"{n}\" (a string)", f.Path), maxTest: 10);

    /// <summary>The enum converter parses like Enum.TryParse: "none, standalone" is Standalone, " competent" is Competent.</summary>
    [Fact]
    public void An_enum_value_that_is_a_list_or_padded_is_400_naming_the_field() =>
        Verify(nameof(An_enum_value_that_is_a_list_or_padded_is_400_naming_the_field), t =>
            from e in Gen.Elements(t.Writes.Where(w => w.Fields.Any(f => f.Type == FieldType.Enum)).ToArray())
            from f in Gen.Elements(e.Fields.Where(f => f.Type == FieldType.Enum).ToArray())
            from a in Gen.Elements(f.Values!)
            from b in Gen.Elements(f.Values!)
            from form in Gen.Elements("{0}, {1}", "{0},{1}", " {0}", "{0} ")
            let value = (JsonNode)string.Format(form, a, b)
            select e.With(f.Path, value, $"{f.Path} = {Show(value)}", f.Path), maxTest: 10);

    /// <summary>Listing.Choice parses with Enum.TryParse, which takes "none,standalone" (= standalone) and "open,resolved" (= resolved).</summary>
    [Fact]
    public void A_list_of_choices_in_a_query_string_is_400_naming_the_parameter() =>
        Verify(nameof(A_list_of_choices_in_a_query_string_is_400_naming_the_parameter), t =>
            from list in Gen.Elements("enterprises", "issues")
            from bad in Gen.Elements(("mode", "none,standalone"), ("mode", "joint, affiliated"), ("state", "open,resolved"), ("state", "open, escalated"))
            select BadRequest.Query(list, bad.Item1, bad.Item2, ""), maxTest: 10);

    /// <summary>Json.FieldOf trims every leading '$', so an unknown "$type" is reported as "type".</summary>
    [Fact]
    public void An_unknown_member_whose_name_starts_with_a_dollar_is_named_as_sent() =>
        Verify(nameof(An_unknown_member_whose_name_starts_with_a_dollar_is_named_as_sent), t =>
            from e in Gen.Elements(t.Writes)
            from name in Gen.Elements("$type", "$id", "$ref", "$values")
            select e.With(name, "x", $"unknown member {name}", name, exact: true), maxTest: 10);

    /// <summary>The id pattern ^[A-Za-z0-9_-]{1,40}$ lets "G1\n" through: '$' matches before a final line break.</summary>
    [Fact]
    public void An_id_ending_in_a_line_break_is_400_naming_it() => Verify(nameof(An_id_ending_in_a_line_break_is_400_naming_it), t =>
        from e in Gen.Elements(t.Writes.Where(w => w.IsNew && IdsIn(w).Length > 0).ToArray())
        from f in Gen.Elements(IdsIn(e))
        let value = (JsonNode)(e.Template[f.Path]!.GetValue<string>() + "\n")
        select e.With(f.Path, value, $"{f.Path} = {Show(value)}", f.Path), maxTest: 10);

    private static Field[] IdsIn(Endpoint e) => e.Fields.Where(f => f.Type == FieldType.Id && e.Template[f.Path] is JsonValue).ToArray();

    // ---- running a property ----

    private void Verify(string name, Func<Targets, Gen<BadRequest>> cases, int maxTest = MaxTest)
    {
        // A subject of its own per property: the rate limiter's buckets are per subject, and reads and writes apart.
        var token = Tokens.Issue(TestTokens.Options, Roles.CountyAdmin, Scope.Parse($"county:{Longxi}")!, $"bad-input-properties {name} {Guid.NewGuid():N}");
        var targets = Task.Run(() => Targets.ReadAsync(Cluster, token)).GetAwaiter().GetResult();
        var property = Prop.ForAll(cases(targets).ToArbitrary(), (BadRequest c) => Task.Run(() => RunAsync(c, token)).GetAwaiter().GetResult());
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(maxTest).WithName(name), property);
    }

    private async Task RunAsync(BadRequest c, string token)
    {
        var summaryBefore = c.IsRead ? null : await Cluster.SummaryAsync(Longxi, token);
        (HttpStatusCode Status, JsonNode? Json)? entityBefore = c.ReadBack is null ? null : await ReadAsync(c.ReadBack, token);

        var (status, mediaType, body) = await SendAsync(c, token);
        var said = $"{c}\nanswered {(int)status} {mediaType}: {Cut(body, 1500)}";
        if ((int)status >= 500) Assert.Fail($"SERVER ERROR {said}\n{Cluster.Gateway?.Describe()}");
        Assert.True((int)status == c.Status, $"expected {c.Status}: {said}");
        Assert.True(mediaType == "application/problem+json", $"not a ProblemDetails: {said}");
        if (c.Status == 415) { await AssertUnchangedAsync(c, token, summaryBefore, entityBefore); return; }
        var errors = JsonNode.Parse(body)?["errors"] as JsonObject;
        Assert.True(errors is { Count: > 0 }, $"no errors member: {said}");
        var fields = errors.Select(e => e.Key).ToArray();
        Assert.True(c.Names(fields), $"errors [{string.Join(", ", fields)}] do not name {c.Expect}: {said}");
        var words = string.Join("\n", errors.SelectMany(e => e.Value is JsonArray a ? a.Select(m => m?.ToString() ?? "") : []));
        Assert.False(DotNetWords.IsMatch(words), $"a .NET message reaches the form: {said}");
        await AssertUnchangedAsync(c, token, summaryBefore, entityBefore);
    }

    private async Task AssertUnchangedAsync(BadRequest c, string token, JsonObject? summaryBefore, (HttpStatusCode Status, JsonNode? Json)? entityBefore)
    {
        if (c.ReadBack is not null)
        {
            var entityAfter = await ReadAsync(c.ReadBack, token);
            Assert.True(entityBefore!.Value.Status == entityAfter.Status && JsonNode.DeepEquals(entityBefore.Value.Json, entityAfter.Json),
                $"{c.ReadBack} changed: {c}\nbefore: {entityBefore.Value.Status} {entityBefore.Value.Json?.ToJsonString()}\nafter:  {entityAfter.Status} {entityAfter.Json?.ToJsonString()}");
        }
        if (summaryBefore is not null)
            JsonFigures.AssertSameFigures(summaryBefore, await Cluster.SummaryAsync(Longxi, token), $"county {Longxi} after {c}");
    }

    private async Task<(HttpStatusCode Status, JsonNode? Json)> ReadAsync(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await Cluster.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"GET {path} answered {(int)response.StatusCode}: {text}");
        return (response.StatusCode, response.StatusCode == HttpStatusCode.OK ? JsonNode.Parse(text) : null);
    }

    private async Task<(HttpStatusCode, string?, string)> SendAsync(BadRequest c, string token)
    {
        using var request = new HttpRequestMessage(c.Method, c.Path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (c.Body is not null)
        {
            request.Content = c.Chunked ? new StreamContent(new UnknownLengthStream(c.Body)) : new ByteArrayContent(c.Body);
            if (c.ContentType is not null) request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(c.ContentType);
        }
        using var response = await Cluster.Http.SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    /// <summary>What a serializer says that a person filling a form cannot read: a type name, "converted to", a path like $.x.</summary>
    internal static readonly System.Text.RegularExpressions.Regex DotNetWords =
        new(@"\b(System|Beacon|Microsoft)\.[A-Z]|could not be converted|\$\.|JsonValue|LineNumber|BytePosition");

    internal static string Show(JsonNode? value) => value is null ? "null" : Cut(value.ToJsonString(), 80);

    internal static string Cut(string text, int max) => text.Length <= max ? text : text[..max] + $"…({text.Length} chars)";

    /// <summary>A body the client cannot know the length of, so that it goes chunked.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}

// ---- what is sent ----

public enum FieldType { Text, Id, Code, Int, Double, Bool, Enum, Object, TextArray }

/// <summary>A member of a request body: its dotted path, JSON type, whether it must be present, its length limit.</summary>
public sealed record Field(string Path, FieldType Type, bool Required = false, int Max = 0, string[]? Values = null, bool Nullable = true);

/// <summary>A write route with a body the gateway would accept, what the body may hold, and what to read back.</summary>
public sealed record Endpoint(string Label, HttpMethod Method, string Path, JsonObject Template, Field[] Fields, string ReadBack, bool IsNew)
{
    /// <summary>The members that must be present: the JsonRequired ones, and the id on a POST to a register.</summary>
    public string[] Required => Fields.Where(f => f.Required).Select(f => f.Path).ToArray();

    /// <summary>"" (the body) and the paths of its nested objects.</summary>
    public string[] Objects => ["", .. Fields.Where(f => f.Type == FieldType.Object).Select(f => f.Path)];

    public IEnumerable<string> MembersOf(string objectPath) => Fields.Select(f => f.Path)
        .Where(p => objectPath.Length == 0 ? !p.Contains('.') : p.StartsWith(objectPath + ".", StringComparison.Ordinal))
        .Select(p => objectPath.Length == 0 ? p : p[(objectPath.Length + 1)..]);

    /// <summary>The template with <paramref name="path"/> set to <paramref name="value"/>, expected to be refused naming <paramref name="field"/>.</summary>
    public BadRequest With(string path, JsonNode? value, string what, string field, bool exact = false, int status = 400) =>
        Send(Body.Set(Template, path, value), what, field, exact, status);

    public BadRequest Send(JsonObject body, string what, string field, bool exact = false, int status = 400) =>
        new(this, Method, Path, what, Encoding.UTF8.GetBytes(body.ToJsonString(Body.Relaxed)), "application/json", false, status,
            field, fields => fields.Any(k => k == field || !exact && (k.StartsWith(field + ".", StringComparison.Ordinal) || k.StartsWith(field + "[", StringComparison.Ordinal))));

    public override string ToString() => Label;
}

/// <summary>One bad request, what it should be answered, and whether the ProblemDetails' errors name the right thing.</summary>
public sealed record BadRequest(Endpoint? To, HttpMethod Method, string Path, string What, byte[]? Body, string? ContentType, bool Chunked,
    int Status, string Expect, Func<string[], bool> Names)
{
    public bool IsRead => Method == HttpMethod.Get;
    public string? ReadBack => To?.ReadBack;

    public static BadRequest Query(string list, string param, string value, string extra) =>
        new(null, HttpMethod.Get, $"/api/counties/{Longxi}/{list}?{param}={Uri.EscapeDataString(value)}{extra}",
            $"{param}={BadInputProperties.Show(value)}", null, null, false, 400, param, fields => fields.Contains(param));

    public override string ToString()
    {
        var body = Body is null ? "" : $" body ({Body.Length} bytes{(Chunked ? ", chunked" : "")}, {ContentType ?? "no content type"}): " +
            BadInputProperties.Cut(string.Concat(Encoding.UTF8.GetString(Body).Select(c => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString())), 400);
        return $"{Method} {Path} [{What}] expects {Status} naming {Expect}{body}";
    }
}

public static class Body
{
    public static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>What a nested object holds when a test sets one of its members and it was absent or null.</summary>
    private static readonly Dictionary<string, Func<JsonObject>> Defaults = new()
    {
        ["organisation"] = () => new JsonObject { ["mode"] = "none" },
        ["location"] = () => new JsonObject { ["lat"] = 35.0, ["lon"] = 104.6 },
        ["archive"] = () => new JsonObject { ["basic"] = true, ["featured"] = false },
        ["branch"] = () => new JsonObject { ["members"] = 1, ["applications"] = 0 },
    };

    public static JsonObject Set(JsonObject template, string path, JsonNode? value)
    {
        var body = template.DeepClone().AsObject();
        var parts = path.Split('.');
        var at = body;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (at[parts[i]] is not JsonObject child)
                at[parts[i]] = child = Defaults.TryGetValue(parts[i], out var make) ? make() : new JsonObject();
            at = child;
        }
        at[parts[^1]] = value?.DeepClone();
        return body;
    }

    public static JsonObject Remove(JsonObject template, string path)
    {
        var body = template.DeepClone().AsObject();
        var parts = path.Split('.');
        var at = body;
        for (var i = 0; i < parts.Length - 1; i++)
            if (at[parts[i]] is JsonObject child) at = child; else return body;
        at.Remove(parts[^1]);
        return body;
    }
}

/// <summary>The entities of county 621122 the bad requests aim at, read from the demo data, and the write routes.</summary>
public sealed class Targets
{
    private static readonly string[] Kinds = ["enterprise", "socialOrganisation"];
    private static readonly string[] Modes = ["none", "standalone", "joint", "affiliated"];
    private static readonly string[] Ratings = ["excellent", "competent", "basicallyCompetent", "incompetent"];
    private static readonly string[] Categories = ["financing", "labour", "policy", "landAndPremises", "partyOrganisation", "other"];

    public static readonly Field[] EnterpriseFields =
    [
        new("creditCode", FieldType.Code), new("name", FieldType.Text, true, 200), new("kind", FieldType.Enum, true, Values: Kinds, Nullable: false),
        new("industry", FieldType.Text, Max: 100), new("aboveDesignatedSize", FieldType.Bool, Nullable: false),
        new("employees", FieldType.Int, true, Nullable: false), new("partyMembers", FieldType.Int, true, Nullable: false),
        new("inBase", FieldType.Bool, true, Nullable: false), new("exclusionReason", FieldType.Text, Max: 200),
        new("organisation", FieldType.Object, true), new("organisation.mode", FieldType.Enum, true, Values: Modes, Nullable: false),
        new("organisation.organisationId", FieldType.Id),
        new("stationId", FieldType.Id), new("groupId", FieldType.Id), new("instructorId", FieldType.Id),
        new("location", FieldType.Object), new("location.lat", FieldType.Double, Nullable: false), new("location.lon", FieldType.Double, Nullable: false),
        new("township", FieldType.Text, Max: 50),
        new("archive", FieldType.Object), new("archive.basic", FieldType.Bool, Nullable: false), new("archive.featured", FieldType.Bool, Nullable: false),
        new("demonstrationPosts", FieldType.Int, Nullable: false), new("responsibilityZones", FieldType.Int, Nullable: false),
    ];

    public static readonly Field[] StationFields =
    [
        new("stationId", FieldType.Id), new("name", FieldType.Text, true, 100), new("townships", FieldType.TextArray, true, 50),
        new("chief", FieldType.Text, Max: 50), new("deputy", FieldType.Text, Max: 50), new("address", FieldType.Text, Max: 200),
        new("branch", FieldType.Object), new("branch.members", FieldType.Int, Nullable: false), new("branch.applications", FieldType.Int, Nullable: false),
    ];

    public static readonly Field[] GroupFields =
        [new("groupId", FieldType.Id), new("name", FieldType.Text, true, 100), new("stationId", FieldType.Id, true)];

    public static readonly Field[] InstructorFields =
    [
        new("instructorId", FieldType.Id), new("name", FieldType.Text, true, 50), new("fullTime", FieldType.Bool, true, Nullable: false),
        new("sourceUnit", FieldType.Text, Max: 50), new("stationId", FieldType.Id), new("groupId", FieldType.Id),
        new("rating", FieldType.Enum, Values: Ratings), new("dutyDaysPerWeek", FieldType.Int, Nullable: false),
    ];

    public static readonly Field[] RaiseFields =
        [new("creditCode", FieldType.Code, true), new("category", FieldType.Enum, true, Values: Categories, Nullable: false), new("text", FieldType.Text, true, 2000)];

    /// <summary>In the name of everything these properties would create if a bad request got through.</summary>
    public const string FreshName = "属性测试";

    public required Endpoint[] Writes { get; init; }
    public required string EnterpriseTemplateCode { get; init; }
    public required JsonObject EnterpriseTemplate { get; init; }

    /// <summary>PUT to an enterprise whose address is a bad code, with no code in the body: the address is the code.</summary>
    public BadRequest EnterpriseAt(string badCode)
    {
        var path = $"/api/counties/{Longxi}/enterprises/{Uri.EscapeDataString(badCode)}";
        var e = new Endpoint($"PUT enterprises/{badCode}", HttpMethod.Put, path, Body.Remove(EnterpriseTemplate, "creditCode"), EnterpriseFields, path, true);
        return e.Send(e.Template, $"creditCode '{badCode}' in the address", "creditCode");
    }

    public static async Task<Targets> ReadAsync(BeaconCluster cluster, string token)
    {
        var county = $"/api/counties/{Longxi}";
        // From the demo data: never an entity that a failing property of this class (a product bug) may have created.
        async Task<JsonObject> First(string query)
        {
            var page = await cluster.GetJsonAsync($"{county}/{query}", token);
            var item = page["items"]!.AsArray().Select(i => i!.AsObject())
                .FirstOrDefault(i => !i.ToJsonString(Body.Relaxed).Contains("BIP-") && !i.ToJsonString(Body.Relaxed).Contains(FreshName))
                ?? throw new InvalidOperationException($"county {Longxi} has no {query}: {page.ToJsonString()}");
            var copy = item.DeepClone().AsObject();
            // What the server adds to an entry it answers, and takes no part of a write.
            copy.Remove("version");
            copy.Remove("updatedAt");
            copy.Remove("counts");
            return copy;
        }

        var enterprise = await First("enterprises?limit=20&sort=-id");
        var station = await First("stations?limit=20&sort=-id");
        var group = await First("groups?limit=20&sort=-id");
        var instructor = await First("instructors?limit=20&sort=-id");
        var open = await First("issues?state=open&limit=20");
        var resolved = await First("issues?state=resolved&limit=20");
        var code = enterprise["creditCode"]!.GetValue<string>();
        var stationId = station["stationId"]!.GetValue<string>();
        var suffix = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

        var writes = new List<Endpoint>();
        void Register(string route, string idField, Field[] fields, JsonObject existing, JsonObject fresh)
        {
            var id = existing[idField]!.GetValue<string>();
            var freshId = fresh[idField]!.GetValue<string>();
            var withId = fields.Select(f => f.Path == idField ? f with { Required = true } : f).ToArray();
            writes.Add(new($"POST {route} (new)", HttpMethod.Post, $"{county}/{route}", fresh, withId, $"{county}/{route}/{freshId}", true));
            writes.Add(new($"POST {route} (existing {id})", HttpMethod.Post, $"{county}/{route}", existing, withId, $"{county}/{route}/{id}", false));
            writes.Add(new($"PUT {route}/{id}", HttpMethod.Put, $"{county}/{route}/{Uri.EscapeDataString(id)}", existing, fields, $"{county}/{route}/{id}", false));
        }

        Register("enterprises", "creditCode", EnterpriseFields, enterprise, TestEnterprises.New(TestEnterprises.NewCreditCode(Longxi), FreshName + "企业"));
        Register("stations", "stationId", StationFields, station,
            new JsonObject { ["stationId"] = $"BIP-S-{suffix}", ["name"] = FreshName + "指导站", ["townships"] = new JsonArray("属性测试镇"), ["chief"] = "测试站长" });
        Register("groups", "groupId", GroupFields, group,
            new JsonObject { ["groupId"] = $"BIP-G-{suffix}", ["name"] = FreshName + "指导组", ["stationId"] = stationId });
        Register("instructors", "instructorId", InstructorFields, instructor,
            new JsonObject { ["instructorId"] = $"BIP-T-{suffix}", ["name"] = FreshName, ["fullTime"] = true, ["stationId"] = stationId, ["sourceUnit"] = "组织" });

        var openId = open["id"]!.GetValue<string>();
        var resolvedId = resolved["id"]!.GetValue<string>();
        writes.Add(new("POST issues", HttpMethod.Post, $"{county}/issues",
            new JsonObject { ["creditCode"] = code, ["category"] = "policy", ["text"] = FreshName + "：企业反映的问题" }, RaiseFields,
            $"{county}/issues?sort=-id&limit=1", true));
        Endpoint Step(string issue, string action, string member, JsonNode value, FieldType type) =>
            new($"POST issues/{issue}/{action}", HttpMethod.Post, $"{county}/issues/{issue}/{action}", new JsonObject { [member] = value },
                [new(member, type, true, 2000)], $"{county}/issues/{issue}", false);
        writes.Add(Step(openId, "assign", "stationId", stationId, FieldType.Id));
        writes.Add(Step(openId, "escalate", "reason", "需要县委协调解决", FieldType.Text));
        writes.Add(Step(openId, "resolve", "resolution", "已协调解决", FieldType.Text));
        writes.Add(Step(resolvedId, "reopen", "reason", "问题复发", FieldType.Text));

        return new Targets { Writes = [.. writes], EnterpriseTemplateCode = code, EnterpriseTemplate = enterprise };
    }
}

// ---- generators ----

public static class BadGen
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    public static readonly Gen<string> Word =
        from first in Gen.Elements("abcdefghijklmnopqrstuvwxyz".ToCharArray())
        from rest in Gen.Choose(0, 11).SelectMany(n => Gen.ArrayOf(Gen.Elements("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_".ToCharArray()), n))
        select first + new string(rest);

    private static byte[] Utf8(JsonObject body) => Encoding.UTF8.GetBytes(body.ToJsonString(Body.Relaxed));

    private static BadRequest Raw(Endpoint e, string what, byte[] bytes, string? contentType, string expect, Func<string[], bool> names,
        int status = 400, bool chunked = false) =>
        new(e, e.Method, e.Path, what, bytes, contentType, chunked, status, expect, names);

    /// <summary>Malformed JSON may be blamed on the body or on the member being read: either is named in the text.</summary>
    private static Func<string[], bool> BodyOrPathIn(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        return fields => fields.All(k => k == "body" ||
            k.Split('.').Select(s => s.Split('[')[0]).All(s => s.Length > 0 && text.Contains('"' + s, StringComparison.Ordinal)));
    }

    public static Gen<BadRequest> Truncated(Endpoint e)
    {
        var bytes = Utf8(e.Template);
        return Gen.Choose(0, bytes.Length - 1).Select(n => Raw(e, $"truncated to {n} of {bytes.Length} bytes", bytes[..n], "application/json",
            "body or the path", BodyOrPathIn(bytes[..n])));
    }

    public static Gen<BadRequest> RandomBytes(Endpoint e) =>
        from n in Gen.Choose(1, 200)
        from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i), n)
        select Raw(e, $"{n} random bytes", bytes, "application/json", "body or the path", BodyOrPathIn(bytes));

    public static Gen<BadRequest> WrongTopLevel(Endpoint e) =>
        from json in Gen.Elements("[]", "[1,2,3]", "\"text\"", "42", "-1.5", "true", "false", "null", "[" + e.Template.ToJsonString() + "]", "\"" + e.Template.ToJsonString().Replace("\"", "\\\"") + "\"")
        select Raw(e, $"top level {json[..Math.Min(json.Length, 20)]}", Encoding.UTF8.GetBytes(json), "application/json", "body", f => f.SequenceEqual(["body"]));

    /// <summary>
    /// No content type is 400 naming the body (Json.ReadAsync); a content type that is not JSON is refused earlier, by
    /// routing (the endpoints declare Accepts "application/json"), with 415 and a ProblemDetails without errors.
    /// </summary>
    public static Gen<BadRequest> NotJsonContent(Endpoint e) =>
        from type in Gen.Elements<string?>(null, "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x")
        select Raw(e, $"content type {type ?? "none"}", Utf8(e.Template), type, type is null ? "body" : "(415, no errors member)",
            f => f.SequenceEqual(["body"]), status: type is null ? 400 : 415);

    public static Gen<BadRequest> DeepNesting(Endpoint e) =>
        from depth in Gen.Choose(65, 5000)
        from open in Gen.Elements("[", "{\"a\":")
        let close = open == "[" ? "]" : "}"
        select Raw(e, $"nested {depth} deep", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth))),
            "application/json", "body or the path", f => f.All(k => k == "body" || k == "a" || k.StartsWith("a.", StringComparison.Ordinal) || k.StartsWith("[", StringComparison.Ordinal)));

    public static Gen<BadRequest> Trailing(Endpoint e) =>
        from form in Gen.Elements("{0}}}", "{0},{{}}", "{0}{0}", "/* c */{0}", "{0} // c", "{0}x", "{{{1}", "{{,{1}}}")
        let text = string.Format(form, e.Template.ToJsonString(), e.Template.ToJsonString()[1..^1])
        select Raw(e, $"shape {form}", Encoding.UTF8.GetBytes(text), "application/json", "body or the path", BodyOrPathIn(Encoding.UTF8.GetBytes(text)));

    public static Gen<JsonNode?> WrongType(Field f) => f.Type switch
    {
        FieldType.Text or FieldType.Id or FieldType.Code => Gen.Elements<JsonNode?>(1, -3.5, true, false, new JsonObject(), new JsonArray(), new JsonArray("x"), new JsonObject { ["a"] = 1 }),
        FieldType.Int => Gen.Elements<JsonNode?>("many", "", "1.5", true, 1.5, JsonNode.Parse("1e3"), JsonNode.Parse("2.0"), -0.5, 99999999999, -99999999999, new JsonObject(), new JsonArray(), new JsonArray(1), null),
        FieldType.Double => Gen.Elements<JsonNode?>("north", "", true, false, new JsonObject(), new JsonArray(), new JsonArray(35), null),
        FieldType.Bool => Gen.Elements<JsonNode?>("true", "yes", "", 1, 0, null, new JsonObject(), new JsonArray(), new JsonArray(true)),
        FieldType.Enum => Gen.Elements(new JsonNode?[] { 0, 1, true, new JsonObject(), new JsonArray(), new JsonArray(f.Values![0]) }.Concat(f.Nullable ? [] : [null]).ToArray()),
        FieldType.Object => Gen.Elements(new JsonNode?[] { "x", 1, true, new JsonArray(), new JsonArray(new JsonObject()) }.Concat(f.Required ? [null] : []).ToArray()),
        FieldType.TextArray => Gen.Elements<JsonNode?>("巩昌镇", 1, true, new JsonObject(), new JsonArray(1), new JsonArray(true), new JsonArray(new JsonObject()), new JsonArray(new JsonArray()), null),
        _ => throw new ArgumentOutOfRangeException(nameof(f)),
    };

    /// <summary>
    /// The members in <paramref name="missing"/> removed: all named when they are all top-level (one exception lists them
    /// all); when a nested one is missing too, the nested object is read first and fails alone.
    /// </summary>
    public static BadRequest Missing(Endpoint e, IList<string> missing)
    {
        var gone = missing.Where(m => !missing.Any(o => m.StartsWith(o + ".", StringComparison.Ordinal))).ToArray();
        var body = gone.Aggregate(e.Template, Body.Remove);
        // On a register POST the id is not JsonRequired: it is only reported once the JSON itself is complete.
        var idField = e.Fields.FirstOrDefault(f => f.Required && f.Type is FieldType.Id or FieldType.Code && f.Path == IdOf(e))?.Path;
        var json = gone.Where(g => g != idField).ToArray();
        var expected = json.Length > 0 ? json : gone;
        var nested = expected.Where(g => g.Contains('.')).ToArray();
        return e.Send(body, $"missing {string.Join(", ", gone)}", string.Join(" and ", expected)) with
        {
            Names = fields => nested.Length > 0
                ? fields.All(expected.Contains) && nested.All(fields.Contains)
                : expected.All(fields.Contains),
        };
    }

    private static string? IdOf(Endpoint e) => e.Label.Split(' ')[1] switch
    {
        "enterprises" => "creditCode",
        "stations" => "stationId",
        "groups" => "groupId",
        "instructors" => "instructorId",
        _ => null,
    };

    public static readonly Gen<string> BadCreditCode =
        from first in Gen.CollectToArray(Enumerable.Range(0, 17).Select(i => Gen.Elements((i is >= 2 and < 8 ? "0123456789" : Alphabet).ToCharArray())))
        let f17 = new string(first)
        let code = f17 + TestEnterprises.CheckCharacter(f17)
        from bad in Gen.OneOf(
            Gen.Constant(TestEnterprises.WithWrongCheck(code)),
            Gen.Choose(1, 17).Select(n => code[..n]),
            Gen.Choose(1, 10).Select(n => code + new string('1', n)),
            from at in Gen.Choose(0, 17) from c in Gen.Elements("IOZSVaxz".ToCharArray()) select code[..at] + c + code[(at + 1)..],
            from at in Gen.Choose(2, 7) from c in Gen.Elements("ABCDEFGH".ToCharArray()) select code[..at] + c + code[(at + 1)..])
        where bad != code
        select bad;

    public static Gen<BadRequest>[] Numbers(Endpoint e)
    {
        var gens = new List<Gen<BadRequest>>();
        Gen<int> Negative() => Gen.OneOf(Gen.Choose(-10, -1), Gen.Choose(int.MinValue, -1));
        Gen<int> Above(int max) => Gen.OneOf(Gen.Constant(max + 1), Gen.Choose(max + 1, int.MaxValue));
        void Count(string path, int max)
        {
            if (e.Fields.All(f => f.Path != path)) return;
            gens.Add(from n in Gen.OneOf(Negative(), Above(max)) select e.With(path, n, $"{path} = {n}", path));
        }
        Count("employees", 1_000_000);
        Count("partyMembers", 1_000_000);
        Count("demonstrationPosts", 10_000);
        Count("responsibilityZones", 10_000);
        Count("branch.members", 100_000);
        Count("branch.applications", 100_000);
        Count("dutyDaysPerWeek", 7);
        if (e.Fields.Any(f => f.Path == "location.lat"))
        {
            gens.Add(from lat in Gen.Elements(90.001, 91, 1e9, -90.5, -1e300, 1e308) select e.With("location.lat", lat, $"lat {lat}", "location.lat"));
            gens.Add(from lon in Gen.Elements(180.001, 360, -181, -1e300, 1e308) select e.With("location.lon", lon, $"lon {lon}", "location.lon"));
        }
        if (e.Fields.Any(f => f.Path == "partyMembers"))
        {
            var employees = e.Template["employees"]!.GetValue<int>();
            gens.Add(from extra in Gen.Choose(1, 1000)
                     select e.Send(Body.Set(Body.Set(Body.Set(e.Template, "partyMembers", employees + extra), "organisation.mode", "none"), "organisation.organisationId", null),
                         $"partyMembers = employees ({employees}) + {extra}", "partyMembers"));
            gens.Add(from members in Gen.Choose(0, 2)
                     select e.Send(Body.Set(Body.Set(e.Template, "partyMembers", members), "organisation.mode", "standalone"),
                         $"standalone with {members} members", "organisation.mode"));
            gens.Add(from mode in Gen.Elements("joint", "affiliated")
                     select e.Send(Body.Set(Body.Set(e.Template, "organisation.mode", mode), "organisation.organisationId", null),
                         $"{mode} without organisationId", "organisation.organisationId"));
            gens.Add(Gen.Constant(e.With("archive", new JsonObject { ["basic"] = false, ["featured"] = true }, "featured archive without basic", "archive.featured")));
            gens.Add(from reason in Gen.Elements<JsonNode?>(null, "", "  ")
                     select e.Send(Body.Set(Body.Set(e.Template, "inBase", false), "exclusionReason", reason), $"inBase=false, reason {Show(reason)}", "exclusionReason"));
        }
        return [.. gens];

        static string Show(JsonNode? v) => v is null ? "null" : v.ToJsonString();
    }

    private static readonly string[] Injections =
    [
        "<script>alert(1)</script>", "'; DROP TABLE enterprises; --", "\" OR \"1\"=\"1", "1; DELETE FROM storage", "/* comment */",
        "Robert'); DROP TABLE students;--", "<img src=x onerror=alert(1)>", "a\\b", "x' OR '1'='1", "--", "<", ">",
    ];

    /// <summary>A value that breaks the text or id rule of <paramref name="f"/>, and how.</summary>
    public static Gen<(string How, string Value)> BadText(Field f)
    {
        var max = f.Type == FieldType.Id ? 40 : f.Max;
        // Markup and SQL are text in a text field (every page encodes what it shows), but never an id.
        var injection = from s in Gen.Elements(Injections) from prefix in Gen.Elements("", "陇西", "abc ") select ($"markup or SQL {s}", prefix + s);
        var invisible = Gen.Elements(("zero-width only", "\u200B\u200B"), ("word joiner only", "\u2060"), ("direction override", "陇西\u202E企业"),
            ("direction isolate", "\u2066企业\u2069"));
        var control = from c in Gen.OneOf(Gen.Choose(0, 0x1F), Gen.Choose(0x7F, 0x9F)).Select(i => (char)i)
                      from at in Gen.Choose(0, 3)
                      select ($"control U+{(int)c:X4}", "测试文本"[..at] + c + "测试文本"[at..]);
        var overLong = from extra in Gen.Choose(1, 60) select ($"{max + extra} characters", new string(f.Type == FieldType.Id ? 'A' : '长', max + extra));
        var gens = new List<Gen<(string, string)>> { control, overLong, invisible };
        if (f.Type == FieldType.Id) gens.Add(injection);
        if (f.Required) gens.Add(Gen.Elements(("empty", ""), ("blank", "   ")));
        if (f.Type == FieldType.Id) gens.Add(Gen.Elements(("space inside", "LX 01"), ("Chinese", "站一"), ("dot", "LX.01")));
        return Gen.OneOf(gens);
    }

    public static BadRequest Oversized(Endpoint e, int size, int kind, bool chunked)
    {
        byte[] bytes = kind switch
        {
            // A valid body with one text field padded past the limit.
            0 => Utf8(Body.Set(e.Template, e.Fields.First(f => f.Type is FieldType.Text or FieldType.Id).Path, new string('a', size))),
            // An unknown member carrying a large array.
            1 => Utf8(Body.Set(e.Template, "padding", new JsonArray(Enumerable.Range(0, size / 2).Select(i => (JsonNode?)(i % 10)).ToArray()))),
            // Whitespace around a valid body.
            _ => Encoding.UTF8.GetBytes(new string(' ', size) + e.Template.ToJsonString()),
        };
        var how = kind switch { 0 => "a padded text field", 1 => "a large unknown array", _ => "leading whitespace" };
        return Raw(e, $"{bytes.Length} bytes: {how}", bytes, "application/json", "body", f => f.Contains("body"), status: 413, chunked: chunked);
    }

    public static readonly Gen<(string Param, string Value)> BadQuery = Gen.OneOf(
        from v in Gen.Elements("-1", "0", "201", "abc", "1.5", "99999999999", "1e3", "ten", "--1") select ("limit", v),
        from v in Gen.Elements("-1", "abc", "1000001", "2.5", "0x10") select ("offset", v),
        from v in Gen.Elements("bank", "1", "-1", "standalone_", "<script>", "'; DROP TABLE x; --") select ("mode", v),
        Word.Where(w => !new[] { "none", "standalone", "joint", "affiliated" }.Contains(w, StringComparer.OrdinalIgnoreCase)).Select(w => ("mode", w)),
        from v in Gen.Elements("xyz", "NAME", "+name", "name,id", "id desc", "-", "1") select ("sort", v),
        from v in Gen.Elements("maybe", "1", "0", "yes", "no", "t", "truee") select ("inBase", v),
        from v in Gen.Elements("x", "closed", "2", "<b>") select ("state", v),
        from p in Gen.Elements("q", "station", "group", "creditCode", "instructor")
        from v in Gen.Elements(new string('a', 101), "a\u0001b", "\n", "x\u007F", new string('县', 150))
        select (p, v));
}
