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
