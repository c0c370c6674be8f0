using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Beacon.IntegrationTests.Infrastructure;
using static Beacon.IntegrationTests.Infrastructure.InMemoryClusterFixture;

namespace Beacon.IntegrationTests;

/// <summary>The province and prefecture comparisons as an overseer's page or a client that polls them reads them, through the real gateway.</summary>
[Collection(InMemoryClusterCollection.Name)]
public sealed class ProvinceApiTests(InMemoryClusterFixture fixture)
{
    private BeaconCluster Cluster => fixture.Cluster;
    private static readonly string Overseer = TestTokens.Overseer(Gansu);

    [Fact]
    public async Task An_unchanged_comparison_is_not_sent_again_and_a_change_comes_with_a_new_tag()
    {
        // The cluster is shared: an earlier test's write may still be on its way to the province. Read until the
        // comparison has stood still for longer than a county's publication interval, so the tag below is the last one.
        var settling = System.Diagnostics.Stopwatch.StartNew();
        var (status, tag, first) = await ComparisonAsync(ifNoneMatch: null);
        HttpStatusCode again;
        EntityTagHeaderValue? sameTag;
        JsonObject? body;
        while (true)
        {
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.NotNull(tag);
            Assert.Equal($"\"{first!["seq"]!.GetValue<long>()}\"", tag.Tag);
            await Task.Delay(TimeSpan.FromMilliseconds(600));
            (again, sameTag, body) = await ComparisonAsync(tag);
            if (again != HttpStatusCode.OK || settling.Elapsed > TimeSpan.FromSeconds(10)) break;
            (status, tag, first) = (again, sameTag, body);
        }
        var baseBefore = QingshuiBase(first);

        Assert.Equal(HttpStatusCode.NotModified, again);
        Assert.Equal(tag, sameTag);
        Assert.Null(body);
        Assert.Equal(HttpStatusCode.NotModified, (await ComparisonAsync(EntityTagHeaderValue.Any)).Status);

        (await Cluster.PostAsync($"/api/counties/{Qingshui}/enterprises", TestTokens.CountyAdmin(Qingshui),
            TestEnterprises.New(TestEnterprises.NewCreditCode(Qingshui), "清水县对比标签企业"))).Expect(HttpStatusCode.Created);

        // The county publishes within its interval (250 ms) and the province after it; the tag then names the new seq.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (changed, newTag, now) = await ComparisonAsync(tag);
        while (changed == HttpStatusCode.NotModified && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(100);
            (changed, newTag, now) = await ComparisonAsync(tag);
        }
        Assert.Equal(HttpStatusCode.OK, changed);
        Assert.NotEqual(tag, newTag);
        Assert.Equal($"\"{now!["seq"]!.GetValue<long>()}\"", newTag!.Tag);
        // The new tag may come with a publication before the county's report reached the province: wait for the row.
        while (QingshuiBase(now!) == baseBefore && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(100);
            (_, _, now) = await ComparisonAsync(null);
        }
        Assert.Equal(baseBefore + 1, QingshuiBase(now!));

        // A tag is no key: another province's overseer is refused whatever it sends.
        using var foreign = Request(TestTokens.Overseer("340000"), newTag);
        using var refused = await Cluster.Http.SendAsync(foreign);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task An_unchanged_prefecture_comparison_is_not_sent_again_and_a_change_in_one_of_its_counties_comes_with_a_new_tag()
    {
        // 定西市 (621100): 陇西县 alone of the demo counties. 清水县 lies in 天水市.
        const string dingxi = "/api/prefectures/621100/comparison";
        var overseer = TestTokens.PrefectureOverseer("621100");
        var settling = System.Diagnostics.Stopwatch.StartNew();
        var (status, tag, first) = await GetAsync(dingxi, overseer, null);
        HttpStatusCode again;
        EntityTagHeaderValue? sameTag;
        while (true)
        {
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal($"\"{first!["seq"]!.GetValue<long>()}\"", tag!.Tag);
            await Task.Delay(TimeSpan.FromMilliseconds(600));
            JsonObject? body;
            (again, sameTag, body) = await GetAsync(dingxi, overseer, tag);
            if (again != HttpStatusCode.OK || settling.Elapsed > TimeSpan.FromSeconds(10)) break;
            (status, tag, first) = (again, sameTag, body);
        }
        Assert.Equal(HttpStatusCode.NotModified, again);
        Assert.Equal(tag, sameTag);
        Assert.Equal("621100", first!["prefecture"]!.GetValue<string>());
        Assert.Equal("定西市", first["name"]!.GetValue<string>());
        Assert.Equal([Longxi], first["rows"]!.AsArray().Select(r => r!["county"]!.GetValue<string>()));
        Assert.Equal(first["rows"]![0]!["base"]!.GetValue<int>(), first["totals"]!["base"]!.GetValue<int>());

        // A county of another prefecture changes: 定西市's comparison stays as it was.
        (await Cluster.PostAsync($"/api/counties/{Qingshui}/enterprises", TestTokens.CountyAdmin(Qingshui),
            TestEnterprises.New(TestEnterprises.NewCreditCode(Qingshui), "清水县市级对比企业"))).Expect(HttpStatusCode.Created);
        await Task.Delay(TimeSpan.FromMilliseconds(600));
        Assert.Equal(HttpStatusCode.NotModified, (await GetAsync(dingxi, overseer, tag)).Status);

        // One of its own does: a new tag, and the row follows.
        var baseBefore = first["rows"]![0]!["base"]!.GetValue<int>();
        (await Cluster.PostAsync($"/api/counties/{Longxi}/enterprises", TestTokens.CountyAdmin(Longxi),
            TestEnterprises.New(TestEnterprises.NewCreditCode(Longxi), "陇西县市级对比企业"))).Expect(HttpStatusCode.Created);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        JsonObject? now = null;
        EntityTagHeaderValue? newTag = null;
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            var (changed, t, b) = await GetAsync(dingxi, overseer, tag);
            if (changed == HttpStatusCode.OK && b!["rows"]![0]!["base"]!.GetValue<int>() == baseBefore + 1) { (newTag, now) = (t, b); break; }
            await Task.Delay(100);
        }
        Assert.True(now is not null, "no comparison of 621100 with the new enterprise within 10 s");
        Assert.NotEqual(tag, newTag);
        Assert.Equal($"\"{now!["seq"]!.GetValue<long>()}\"", newTag!.Tag);
        Assert.Equal(baseBefore + 1, now["totals"]!["base"]!.GetValue<int>());

        // Another prefecture's overseer is refused whatever it sends.
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(dingxi, TestTokens.PrefectureOverseer("620500"), newTag)).Status);
    }

    private async Task<(HttpStatusCode Status, EntityTagHeaderValue? Tag, JsonObject? Body)> GetAsync(string path, string token, EntityTagHeaderValue? ifNoneMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (ifNoneMatch is not null) request.Headers.IfNoneMatch.Add(ifNoneMatch);
        using var response = await Cluster.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Headers.ETag, text.Length == 0 || response.StatusCode != HttpStatusCode.OK ? null : JsonNode.Parse(text)!.AsObject());
    }

    private static int QingshuiBase(JsonObject comparison) =>
        comparison["rows"]!.AsArray().Single(r => r!["county"]!.GetValue<string>() == Qingshui)!["base"]!.GetValue<int>();

    private HttpRequestMessage Request(string token, EntityTagHeaderValue? ifNoneMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/provinces/{Gansu}/comparison");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (ifNoneMatch is not null) request.Headers.IfNoneMatch.Add(ifNoneMatch);
        return request;
    }

    private async Task<(HttpStatusCode Status, EntityTagHeaderValue? Tag, JsonObject? Body)> ComparisonAsync(EntityTagHeaderValue? ifNoneMatch)
    {
        using var request = Request(Overseer, ifNoneMatch);
        using var response = await Cluster.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Headers.ETag, text.Length == 0 ? null : JsonNode.Parse(text)!.AsObject());
    }
}
