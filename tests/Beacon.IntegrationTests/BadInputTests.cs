using System.Net;
using System.Text.Json.Nodes;
using Beacon.IntegrationTests.Infrastructure;
using static Beacon.IntegrationTests.Infrastructure.InMemoryClusterFixture;

namespace Beacon.IntegrationTests;

/// <summary>Bad input gets a 400 ProblemDetails that names the field, and changes nothing.</summary>
[Collection(InMemoryClusterCollection.Name)]
public sealed class BadInputTests(InMemoryClusterFixture fixture)
{
    private static readonly string Admin = TestTokens.CountyAdmin(Qingshui);
    private BeaconCluster Cluster => fixture.Cluster;
    private static string Enterprises => $"/api/counties/{Qingshui}/enterprises";

    public static TheoryData<string, string> Cases => new()
    {
        { "bad credit code check character", "creditCode" },
        { "more party members than employees", "partyMembers" },
        { "standalone with 2 members", "organisation.mode" },
        { "unknown kind", "kind" },
        { "station that does not exist", "stationId" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_bad_enterprise_is_400_naming_the_field_and_changes_nothing(string @case, string field)
    {
        var code = TestEnterprises.NewCreditCode(Qingshui);
        var body = TestEnterprises.New(code, "清水县测试企业", employees: 30, partyMembers: 2);
        switch (@case)
        {
            case "bad credit code check character": code = TestEnterprises.WithWrongCheck(code); body["creditCode"] = code; break;
            case "more party members than employees": body["employees"] = 3; body["partyMembers"] = 4; break;
            case "standalone with 2 members": body["organisation"] = new JsonObject { ["mode"] = "standalone" }; break;
            case "unknown kind": body["kind"] = "bank"; break;
            case "station that does not exist": body["stationId"] = "NO-SUCH-STATION"; break;
        }
        var before = await Cluster.SummaryAsync(Qingshui, Admin);

        var answer = (await Cluster.PostAsync(Enterprises, Admin, body)).Expect(HttpStatusCode.BadRequest);
        Assert.True(answer.ErrorFields.Contains(field), $"{@case}: errors do not name '{field}': {answer.Body}");
        // PUT to the enterprise's address is refused the same way.
        var put = (await Cluster.PutAsync($"{Enterprises}/{code}", Admin, body)).Expect(HttpStatusCode.BadRequest);
        Assert.True(put.ErrorFields.Contains(field), $"{@case} (PUT): errors do not name '{field}': {put.Body}");

        (await Cluster.GetAsync($"{Enterprises}/{code}", Admin)).Expect(HttpStatusCode.NotFound);
        JsonFigures.AssertSameFigures(before, await Cluster.SummaryAsync(Qingshui, Admin), $"{@case}: the summary");
    }

    /// <summary>A form sends what a person typed: a place as text, a number, a list, half of it, a text coordinate.</summary>
    [Theory]
    [InlineData("\"34.75,106.14\"", "location")]
    [InlineData("34.75", "location")]
    [InlineData("[34.75, 106.14]", "location")]
    [InlineData("{ \"lat\": 34.75 }", "location.lon")]
    [InlineData("{ \"lat\": \"北纬34度\", \"lon\": 106.14 }", "location.lat")]
    public async Task A_place_of_the_wrong_shape_is_400_naming_it_in_words_not_in_dotnet_types(string location, string field)
    {
        var code = TestEnterprises.NewCreditCode(Qingshui);
        var body = TestEnterprises.New(code, "清水县位置测试企业");
        body["location"] = JsonNode.Parse(location);
        foreach (var language in new[] { "zh-CN", "en" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Enterprises)
            {
                Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new("Bearer", Admin);
            request.Headers.AcceptLanguage.ParseAdd(language);
            using var response = await Cluster.Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{location} ({language}): {(int)response.StatusCode} {text}");
            var errors = JsonNode.Parse(text)!["errors"]!.AsObject();
            Assert.True(errors.ContainsKey(field), $"{location} ({language}) does not name {field}: {text}");
            var said = string.Join(" ", errors.SelectMany(e => e.Value!.AsArray().Select(m => m!.GetValue<string>())));
            Assert.DoesNotMatch(BadInputProperties.DotNetWords, said);
            if (language == "zh-CN") Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", said);
        }
        (await Cluster.GetAsync($"{Enterprises}/{code}", Admin)).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Refusals_are_in_Chinese_unless_the_caller_asks_for_English()
    {
        var code = TestEnterprises.WithWrongCheck(TestEnterprises.NewCreditCode(Qingshui));
        async Task<string> RefusalAsync(string? language)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Enterprises)
            {
                Content = new StringContent(TestEnterprises.New(code, "清水县语言测试企业").ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new("Bearer", Admin);
            if (language is not null) request.Headers.AcceptLanguage.ParseAdd(language);
            using var answer = await Cluster.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
            return JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["errors"]!["creditCode"]![0]!.GetValue<string>();
        }
        Assert.Contains("校验码", await RefusalAsync(null));
        Assert.Contains("校验码", await RefusalAsync("zh-CN,zh;q=0.9,en;q=0.8"));
        Assert.Contains("check character", await RefusalAsync("en-US,en;q=0.9"));
        Assert.Contains("check character", await RefusalAsync("en"));

        // The framework's own answers too: no token.
        var unauthorized = await Cluster.GetAsync($"/api/counties/{Qingshui}/summary", null);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.Status);
        Assert.Contains("令牌", unauthorized.Body);
    }

    [Fact]
    public async Task A_county_that_does_not_exist_is_404_for_its_own_token_and_nothing_is_created()
    {
        const string ghost = "620599";
        var admin = TestTokens.CountyAdmin(ghost);
        foreach (var path in new[] { $"/api/counties/{ghost}/summary", $"/api/counties/{ghost}/enterprises", $"/api/counties/{ghost}/organisations",
                     $"/api/counties/{ghost}/issues", $"/api/counties/{ghost}/stations/S1/activity" })
            Assert.Contains("620599", (await Cluster.GetAsync(path, admin)).Expect(HttpStatusCode.NotFound).Body);
        (await Cluster.PostAsync($"/api/counties/{ghost}/enterprises", admin,
            TestEnterprises.New(TestEnterprises.NewCreditCode(ghost), "不存在的县的企业"))).Expect(HttpStatusCode.NotFound);
        // Someone else's county stays a refusal: nobody learns which counties exist outside their scope.
        (await Cluster.GetAsync($"/api/counties/{ghost}/summary", Admin)).Expect(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Ordinary_punctuation_quotes_and_markup_in_text_are_taken_as_text_and_given_back_as_sent()
    {
        const string name = "清水县工资拖欠; 需协调 \"急\" 'A&B' <b>公司</b> -- /* */";
        var code = TestEnterprises.NewCreditCode(Qingshui);
        (await Cluster.PostAsync(Enterprises, Admin, TestEnterprises.New(code, name))).Expect(HttpStatusCode.Created);
        Assert.Equal(name, (await Cluster.GetJsonAsync($"{Enterprises}/{code}", Admin))["name"]!.GetValue<string>());

        const string text = "工资拖欠；需协调 \"急\" <script>alert(1)</script> & 1=1; DROP TABLE issues; --";
        var issue = (await Cluster.PostAsync($"/api/counties/{Qingshui}/issues", Admin,
            new JsonObject { ["creditCode"] = code, ["category"] = "labour", ["text"] = text })).Expect(HttpStatusCode.Created).Object;
        Assert.Equal(text, issue["text"]!.GetValue<string>());
        var listed = await Cluster.GetJsonAsync($"{Enterprises}?q={Uri.EscapeDataString("需协调 \"急\"")}", Admin);
        Assert.Contains(listed["items"]!.AsArray(), e => e!["creditCode"]!.GetValue<string>() == code);
    }

    [Theory]
    [InlineData("{ \"creditCode\": ", "body|creditCode")]
    [InlineData("this is not JSON", "body")]
    [InlineData("", "body")]
    [InlineData("{ \"creditCode\": \"x\", \"employees\": \"many\" }", "employees")]
    public async Task Malformed_JSON_is_400_naming_the_body_or_field_and_changes_nothing(string raw, string field)
    {
        var before = await Cluster.SummaryAsync(Qingshui, Admin);
        var answer = (await Cluster.PostAsync(Enterprises, Admin, raw)).Expect(HttpStatusCode.BadRequest);
        var fields = answer.ErrorFields;
        // Truncated JSON may be blamed on the body or on the member being read when it ended: either names it.
        var accepted = field.Split('|');
        Assert.True(fields.Any(accepted.Contains), $"errors [{string.Join(", ", fields)}] name none of [{string.Join(", ", accepted)}]: {answer.Body}");
        JsonFigures.AssertSameFigures(before, await Cluster.SummaryAsync(Qingshui, Admin), "the summary after malformed JSON");
    }
}
