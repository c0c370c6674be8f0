using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Beacon.IntegrationTests.Infrastructure;

namespace Beacon.IntegrationTests;

/// <summary>
/// County tenants as a province's administrator makes them, on a system with no demo data: through the real gateway
/// only, from nothing to a county whose committee keeps its registers and sees its figures.
/// </summary>
[Collection(EmptySystemCollection.Name)]
public sealed class TenantTests(EmptySystemFixture fixture)
{
    private BeaconCluster Cluster => fixture.Cluster;

    private const string Anhui = "340000";
    private const string Lu_an = "341500";

    private static JsonObject Settings(string name, string prefectureName = "六安市", double linkageTarget = 0.7, int overdueDays = 30,
        bool affiliatedCountsAsCovered = false) => new()
    {
        ["name"] = name,
        ["prefectureName"] = prefectureName,
        ["provinceName"] = "安徽省",
        ["linkageTarget"] = linkageTarget,
        ["overdueDays"] = overdueDays,
        ["affiliatedCountsAsCovered"] = affiliatedCountsAsCovered,
    };

    [Fact]
    public async Task A_fresh_system_becomes_a_working_county_through_the_api_alone()
    {
        const string jinan = "341502";
        var provinceAdmin = TestTokens.ProvinceAdmin(Anhui);
        var committee = TestTokens.CountyAdmin(jinan);
        var api = $"/api/counties/{jinan}";

        // Nothing yet: not the county, nor its figures.
        (await Cluster.GetAsync(api, provinceAdmin)).Expect(HttpStatusCode.NotFound);
        (await Cluster.GetAsync($"{api}/summary", committee)).Expect(HttpStatusCode.NotFound);
        var listed = (await Cluster.GetAsync($"/api/provinces/{Anhui}/counties", provinceAdmin)).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.DoesNotContain(listed, c => c!["code"]!.GetValue<string>() == jinan);

        // The province's administrator creates it (201), and configuring it again is a change, not a creation (200).
        var created = (await Cluster.PutAsync(api, provinceAdmin, Settings("金安区"))).Expect(HttpStatusCode.Created).Object;
        var expected = new JsonObject
        {
            ["code"] = jinan, ["name"] = "金安区", ["prefectureName"] = "六安市", ["provinceName"] = "安徽省",
            ["linkageTarget"] = 0.7, ["overdueDays"] = 30, ["affiliatedCountsAsCovered"] = false,
        };
        JsonFigures.AssertJsonEqual(expected, created, "the created county");
        JsonFigures.AssertJsonEqual(expected, (await Cluster.PutAsync(api, provinceAdmin, Settings("金安区"))).Expect(HttpStatusCode.OK).Json,
            "the county configured again");
        // What GET answers can be sent back as it is.
        var read = (await Cluster.GetAsync(api, provinceAdmin)).Expect(HttpStatusCode.OK).Object;
        JsonFigures.AssertJsonEqual(expected, read, "the county as its province's administrator reads it");
        (await Cluster.PutAsync(api, provinceAdmin, read)).Expect(HttpStatusCode.OK);
        JsonFigures.AssertJsonEqual(expected, (await Cluster.GetAsync(api, committee)).Expect(HttpStatusCode.OK).Json, "the county as its committee reads it");
        var counties = (await Cluster.GetAsync($"/api/provinces/{Anhui}/counties", provinceAdmin)).Expect(HttpStatusCode.OK).Json.AsArray();
        JsonFigures.AssertJsonEqual(expected, counties.Single(c => c!["code"]!.GetValue<string>() == jinan)!, "the county in its province's list");
        (await Cluster.GetAsync($"/api/provinces/{Anhui}/counties", TestTokens.Overseer(Anhui))).Expect(HttpStatusCode.OK);

        // An empty county: its figures exist, all zero.
        var empty = await Cluster.SummaryAsync(jinan, committee);
        Assert.Equal("金安区", empty["name"]!.GetValue<string>());
        Assert.Equal(Lu_an, empty["prefecture"]!.GetValue<string>());
        Assert.Equal(0, empty.Int("base"));

        // Its committee adds its first party organisation and enterprises under it.
        (await Cluster.PostAsync($"{api}/organisations", committee, new JsonObject
        {
            ["organisationId"] = "JA-001", ["name"] = "六安金安示范企业党支部", ["kind"] = "branch", ["host"] = "enterprise",
            ["secretary"] = "张书记", ["termStartedOn"] = "2024-06-01", ["termYears"] = 3,
        })).Expect(HttpStatusCode.Created);
        var standalone = TestEnterprises.NewCreditCode(jinan);
        (await Cluster.PostAsync($"{api}/enterprises", committee,
            TestEnterprises.New(standalone, "六安金安示范企业有限公司", employees: 120, partyMembers: 6, mode: "standalone", organisationId: "JA-001")))
            .Expect(HttpStatusCode.Created);
        var affiliated = TestEnterprises.NewCreditCode(jinan);
        (await Cluster.PostAsync($"{api}/enterprises", committee,
            TestEnterprises.New(affiliated, "六安金安挂靠商贸有限公司", employees: 20, partyMembers: 1, mode: "affiliated", organisationId: "JA-001")))
            .Expect(HttpStatusCode.Created);
        (await Cluster.PostAsync($"{api}/enterprises", committee,
            TestEnterprises.New(TestEnterprises.NewCreditCode(jinan), "六安金安未组建企业有限公司", employees: 15, partyMembers: 0)))
            .Expect(HttpStatusCode.Created);

        var summary = await Cluster.SummaryAsync(jinan, committee);
        Assert.Equal(3, summary.Int("registered"));
        Assert.Equal(3, summary.Int("base"));
        Assert.Equal(1, summary.Int("orgCovered"));          // the affiliated one does not count in 安徽 unless configured so
        Assert.Equal(0.3333, summary.Double("orgCoverage"));
        Assert.Equal(1, summary.Int("standalone"));
        Assert.Equal(1, summary.Int("affiliated"));
        Assert.Equal(7, summary.Long("partyMembers"));
        Assert.Equal(155, summary.Long("employees"));
        Assert.Equal(1, summary.Int("organisations.total"));
        Assert.Equal(1, summary.Int("organisations.byKind.branch"));
        Assert.Equal(0.7, summary.Double("linkage.target"));
        var list = (await Cluster.GetAsync($"{api}/enterprises", committee)).Expect(HttpStatusCode.OK).Object;
        Assert.Equal(3, list.Int("total"));

        // The province's administrator keeps the tenant, not its registers or figures; the committee keeps the
        // registers, not the tenant.
        (await Cluster.GetAsync($"{api}/summary", provinceAdmin)).Expect(HttpStatusCode.Forbidden);
        (await Cluster.GetAsync($"{api}/enterprises", provinceAdmin)).Expect(HttpStatusCode.Forbidden);
        (await Cluster.PostAsync($"{api}/enterprises", provinceAdmin,
            TestEnterprises.New(TestEnterprises.NewCreditCode(jinan), "省管理员越权企业"))).Expect(HttpStatusCode.Forbidden);
        (await Cluster.GetAsync($"/api/provinces/{Anhui}/comparison", provinceAdmin)).Expect(HttpStatusCode.Forbidden);
        (await Cluster.PutAsync(api, committee, Settings("金安区", linkageTarget: 0.5))).Expect(HttpStatusCode.Forbidden);
        JsonFigures.AssertJsonEqual(expected, (await Cluster.GetAsync(api, provinceAdmin)).Expect(HttpStatusCode.OK).Json,
            "the county after its committee's refused change");

        // New settings recount the figures at the next publication: affiliated organisations now cover, the target
        // is 80%. The overseers of its prefecture and province see the same.
        (await Cluster.PutAsync(api, provinceAdmin, Settings("金安区", linkageTarget: 0.8, overdueDays: 15, affiliatedCountsAsCovered: true)))
            .Expect(HttpStatusCode.OK);
        var recounted = await Cluster.SummaryAsync(jinan, committee);
        Assert.Equal(2, recounted.Int("orgCovered"));
        Assert.Equal(0.6667, recounted.Double("orgCoverage"));
        Assert.Equal(0.8, recounted.Double("linkage.target"));
        Assert.True(recounted.Long("seq") > summary.Long("seq"));
        JsonFigures.AssertSameFigures(recounted, await Cluster.SummaryAsync(jinan, TestTokens.PrefectureOverseer(Lu_an)), "the summary as its prefecture's overseer reads it");
        JsonFigures.AssertSameFigures(recounted, await Cluster.SummaryAsync(jinan, TestTokens.Overseer(Anhui)), "the summary as its province's overseer reads it");
        Assert.Equal(15, (await Cluster.GetAsync(api, committee)).Expect(HttpStatusCode.OK).Object.Int("overdueDays"));

        // The province's comparison carries it, with the new figures.
        var comparison = (await Cluster.GetAsync($"/api/provinces/{Anhui}/comparison", TestTokens.Overseer(Anhui))).Expect(HttpStatusCode.OK).Object;
        var row = comparison["rows"]!.AsArray().Single(r => r!["county"]!.GetValue<string>() == jinan)!;
        Assert.Equal(2, row.Int("orgCovered"));
        Assert.Equal("六安市", row["prefectureName"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_county_is_refused_by_field_in_either_language_and_nothing_is_made()
    {
        const string gansu = "620000";
        const string chengguan = "620102";
        var admin = TestTokens.ProvinceAdmin(gansu);
        var api = $"/api/counties/{chengguan}";

        var bad = await PutAsync(api, admin, new JsonObject
        {
            ["name"] = " ", ["prefectureName"] = "兰州市", ["linkageTarget"] = 0, ["overdueDays"] = 0,
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Equal(["linkageTarget", "name", "overdueDays"], bad.Fields);
        Assert.Contains("必填", bad.Messages("name"));
        Assert.Contains("须为大于 0、不超过 1 的小数（70% 写作 0.7）", bad.Messages("linkageTarget"));
        Assert.Contains("须在 1 到 365 之间", bad.Messages("overdueDays"));

        var english = await PutAsync(api, admin, new JsonObject
        {
            ["name"] = "城关区", ["prefectureName"] = "兰州市", ["linkageTarget"] = 1.5, ["overdueDays"] = 366,
        }, english: true);
        Assert.Equal(HttpStatusCode.BadRequest, english.Status);
        Assert.Equal(["linkageTarget", "overdueDays"], english.Fields);
        Assert.Contains("must be a fraction above 0 and at most 1 (70% is 0.7)", english.Messages("linkageTarget"));
        Assert.Contains("must be between 1 and 365", english.Messages("overdueDays"));

        var missing = await PutAsync(api, admin, new JsonObject { ["prefectureName"] = "兰州市" }, english: true);
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Equal(["name"], missing.Fields);
        Assert.Contains("is required", missing.Messages("name"));

        // A division of the province that is no county, and a body naming another county.
        var prefecture = await PutAsync("/api/counties/620100", admin, new JsonObject { ["name"] = "兰州市", ["prefectureName"] = "兰州市" });
        Assert.Equal(HttpStatusCode.BadRequest, prefecture.Status);
        Assert.Equal(["county"], prefecture.Fields);
        Assert.Contains("620100 不是县级行政区划代码（6 位数字，末两位不为 00）", prefecture.Messages("county"));
        var other = await PutAsync(api, admin, new JsonObject { ["code"] = "620103", ["name"] = "七里河区", ["prefectureName"] = "兰州市" }, english: true);
        Assert.Equal(HttpStatusCode.BadRequest, other.Status);
        Assert.Equal(["code"], other.Fields);

        // A county of another province is not this administrator's at all.
        (await Cluster.PutAsync("/api/counties/341502", admin, Settings("金安区"))).Expect(HttpStatusCode.Forbidden);
        (await Cluster.PutAsync(api, TestTokens.Overseer(gansu), Settings("城关区", "兰州市"))).Expect(HttpStatusCode.Forbidden);

        // None of it made a county.
        (await Cluster.GetAsync(api, admin)).Expect(HttpStatusCode.NotFound);
        (await Cluster.GetAsync("/api/counties/620100", admin)).Expect(HttpStatusCode.NotFound);
        var counties = (await Cluster.GetAsync($"/api/provinces/{gansu}/counties", admin)).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Empty(counties);
    }

    private sealed record Refusal(HttpStatusCode Status, JsonObject Errors, string Body)
    {
        public string[] Fields => [.. Errors.Select(e => e.Key).Order(StringComparer.Ordinal)];
        public string[] Messages(string field) => [.. Errors[field]!.AsArray().Select(m => m!.GetValue<string>())];
    }

    private async Task<Refusal> PutAsync(string path, string token, JsonObject body, bool english = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, path)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (english) request.Headers.AcceptLanguage.ParseAdd("en");
        using var response = await Cluster.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var errors = response.StatusCode == HttpStatusCode.BadRequest && JsonNode.Parse(text)?["errors"] is JsonObject e ? e : [];
        return new Refusal(response.StatusCode, errors, text);
    }
}
