using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Beacon.IntegrationTests.Infrastructure;
using static Beacon.IntegrationTests.Infrastructure.InMemoryClusterFixture;

namespace Beacon.IntegrationTests;

/// <summary>
/// The register of party organisations through the real gateway: the tree and its rules, what an enterprise may name,
/// what blocks a removal, and the figures the county shows. Written in 陇西县, as its development zone's "1+4+N".
/// </summary>
[Collection(InMemoryClusterCollection.Name)]
public sealed class OrganisationApiTests(InMemoryClusterFixture fixture)
{
    private BeaconCluster Cluster => fixture.Cluster;
    private static readonly string Admin = TestTokens.CountyAdmin(Longxi);
    private static string Organisations => $"/api/counties/{Longxi}/organisations";
    private static string Enterprises => $"/api/counties/{Longxi}/enterprises";
    private static string Fresh(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private async Task<string> CreateAsync(string kind, string host, string? parent = null, JsonObject? extra = null)
    {
        var id = Fresh(kind[..2].ToUpperInvariant());
        var body = TestOrganisations.New(id, $"陇西县测试{kind}{id[^4..]}", kind, host, parent);
        foreach (var (k, v) in extra ?? []) body[k] = v?.DeepClone();
        (await Cluster.PostAsync(Organisations, Admin, body)).Expect(HttpStatusCode.Created);
        return id;
    }

    [Fact]
    public async Task The_tree_takes_branches_under_committees_and_general_branches_only_and_never_a_cycle()
    {
        var committee = await CreateAsync("committee", "park");
        var general = await CreateAsync("generalBranch", "park", committee);
        var branch = await CreateAsync("branch", "park", general);

        var under = await Cluster.PostAsync(Organisations, Admin, TestOrganisations.New(Fresh("BR"), "支部下的支部", "branch", "park", branch));
        Assert.Equal(["parentId"], under.Expect(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Contains("党委或党总支", under.Body);

        // The committee put under its own grandchild's parent would close the loop.
        var loop = await Cluster.PutAsync($"{Organisations}/{committee}", Admin, TestOrganisations.New(committee, "陇西县测试党工委", "committee", "park", general));
        Assert.Equal(["parentId"], loop.Expect(HttpStatusCode.BadRequest).ErrorFields);

        var nowhere = await Cluster.PostAsync(Organisations, Admin, TestOrganisations.New(Fresh("BR"), "无上级支部", "branch", "park", "NO-SUCH-ORG"));
        Assert.Equal(["parentId"], nowhere.Expect(HttpStatusCode.BadRequest).ErrorFields);

        var children = await Cluster.GetJsonAsync($"{Organisations}?parent={general}", Admin);
        Assert.Equal([branch], children["items"]!.AsArray().Select(o => o!["organisationId"]!.GetValue<string>()));
        var station = await Cluster.PostAsync(Organisations, Admin, TestOrganisations.New(Fresh("ST"), "站支部", "branch", "station"));
        Assert.Equal(["stationId"], station.Expect(HttpStatusCode.BadRequest).ErrorFields);
    }

    [Fact]
    public async Task An_enterprise_names_an_organisation_of_its_county_that_fits_how_it_is_covered()
    {
        var own = await CreateAsync("branch", "enterprise");
        var joint = await CreateAsync("jointBranch", "joint");
        var (a, b) = (TestEnterprises.NewCreditCode(Longxi), TestEnterprises.NewCreditCode(Longxi));

        var unknown = await Cluster.PostAsync(Enterprises, Admin, TestEnterprises.New(a, "陇西县甲企业", 30, 3, mode: "joint", organisationId: "NO-SUCH-ORG"));
        Assert.Equal(["organisation.organisationId"], unknown.Expect(HttpStatusCode.BadRequest).ErrorFields);
        var wrongHost = await Cluster.PostAsync(Enterprises, Admin, TestEnterprises.New(a, "陇西县甲企业", 30, 3, mode: "standalone", organisationId: joint));
        Assert.Equal(["organisation.organisationId"], wrongHost.Expect(HttpStatusCode.BadRequest).ErrorFields);
        (await Cluster.GetAsync($"{Enterprises}/{a}", Admin)).Expect(HttpStatusCode.NotFound);

        (await Cluster.PostAsync(Enterprises, Admin, TestEnterprises.New(a, "陇西县甲企业", 30, 3, mode: "standalone", organisationId: own))).Expect(HttpStatusCode.Created);
        // A standalone organisation is its enterprise's own.
        var second = await Cluster.PostAsync(Enterprises, Admin, TestEnterprises.New(b, "陇西县乙企业", 30, 3, mode: "standalone", organisationId: own));
        Assert.Equal(["organisation.organisationId"], second.Expect(HttpStatusCode.BadRequest).ErrorFields);
        (await Cluster.PostAsync(Enterprises, Admin, TestEnterprises.New(b, "陇西县乙企业", 30, 1, mode: "joint", organisationId: joint))).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task An_organisation_that_covers_enterprises_is_not_removed_and_the_refusal_names_them_in_either_language()
    {
        var joint = await CreateAsync("jointBranch", "joint");
        var code = TestEnterprises.NewCreditCode(Longxi);
        (await Cluster.PostAsync(Enterprises, Admin, TestEnterprises.New(code, "陇西县联合企业", 20, 1, mode: "joint", organisationId: joint))).Expect(HttpStatusCode.Created);

        // Each organisation shows the enterprises it covers, counted by the county.
        Assert.Equal(1, (await Cluster.GetJsonAsync($"{Organisations}/{joint}", Admin)).Int("counts.enterprises"));
        var listed = await Cluster.GetJsonAsync($"{Organisations}?q={joint}", Admin);
        Assert.Equal(1, listed["items"]![0]!.Int("counts.enterprises"));
        Assert.Equal(1, (await Cluster.GetJsonAsync($"{Enterprises}?organisation={joint}", Admin)).Int("total"));

        var refused = (await Cluster.SendAsync(HttpMethod.Delete, $"{Organisations}/{joint}", Admin)).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["organisationId"], refused.ErrorFields);
        Assert.Contains($"企业 {code}", refused.Body);
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"{Organisations}/{joint}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Admin);
        request.Headers.AcceptLanguage.ParseAdd("en");
        using var english = await Cluster.Http.SendAsync(request);
        Assert.Contains($"still referenced by enterprise {code}", await english.Content.ReadAsStringAsync());
        (await Cluster.GetAsync($"{Organisations}/{joint}", Admin)).Expect(HttpStatusCode.OK);

        (await Cluster.PutAsync($"{Enterprises}/{code}", Admin, TestEnterprises.New(code, "陇西县联合企业", 20, 1))).Expect(HttpStatusCode.OK);
        (await Cluster.SendAsync(HttpMethod.Delete, $"{Organisations}/{joint}", Admin)).Expect(HttpStatusCode.NoContent);
        (await Cluster.GetAsync($"{Organisations}/{joint}", Admin)).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_summary_counts_organisations_by_kind_and_host_and_the_terms_due_within_ninety_days()
    {
        var before = (await Cluster.SummaryAsync(Longxi, Admin))["organisations"]!.AsObject();
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        // Three years ago plus thirty days: its term ends within a month.
        await CreateAsync("generalBranch", "region", extra: new JsonObject { ["termStartedOn"] = today.AddYears(-3).AddDays(30).ToString("yyyy-MM-dd") });
        // A fresh term: not due.
        await CreateAsync("branch", "chamber", extra: new JsonObject { ["termStartedOn"] = today.AddDays(-10).ToString("yyyy-MM-dd") });

        var after = (await Cluster.SummaryAsync(Longxi, Admin))["organisations"]!.AsObject();
        Assert.Equal(before.Int("total") + 2, after.Int("total"));
        Assert.Equal(before.Int("byKind.generalBranch") + 1, after.Int("byKind.generalBranch"));
        Assert.Equal(before.Int("byKind.branch") + 1, after.Int("byKind.branch"));
        Assert.Equal(before.Int("byHost.region") + 1, after.Int("byHost.region"));
        Assert.Equal(before.Int("byHost.chamber") + 1, after.Int("byHost.chamber"));
        Assert.Equal(before.Int("termsDue") + 1, after.Int("termsDue"));

        var future = await Cluster.PostAsync(Organisations, Admin, TestOrganisations.New(Fresh("BR"), "未来支部", "branch", "joint")
            .Also(o => o["termStartedOn"] = today.AddDays(3).ToString("yyyy-MM-dd")));
        Assert.Equal(["termStartedOn"], future.Expect(HttpStatusCode.BadRequest).ErrorFields);
    }
}

internal static class JsonObjectExtensions
{
    public static JsonObject Also(this JsonObject o, Action<JsonObject> change)
    {
        change(o);
        return o;
    }
}
