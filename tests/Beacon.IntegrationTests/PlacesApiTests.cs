using System.Net;
using System.Text.Json.Nodes;
using Beacon.IntegrationTests.Infrastructure;
using static Beacon.IntegrationTests.Infrastructure.InMemoryClusterFixture;

namespace Beacon.IntegrationTests;

/// <summary>
/// A county's places through the real gateway, in 陇西县's demo: its map as GeoJSON, its circles' members, and the
/// station planner beside today's stations.
/// </summary>
[Collection(InMemoryClusterCollection.Name)]
public sealed class PlacesApiTests(InMemoryClusterFixture fixture)
{
    private BeaconCluster Cluster => fixture.Cluster;
    private static readonly string Admin = TestTokens.CountyAdmin(Longxi);

    [Fact]
    public async Task The_map_is_GeoJSON_of_the_enterprises_by_coverage_the_stations_and_the_circles()
    {
        var answer = (await Cluster.GetAsync($"/api/counties/{Longxi}/map", Admin)).Expect(HttpStatusCode.OK);
        Assert.Equal("application/geo+json", answer.MediaType);
        var map = answer.Object;
        Assert.Equal("FeatureCollection", map["type"]!.GetValue<string>());
        var features = map["features"]!.AsArray().Select(f => f!.AsObject()).ToArray();
        string Kind(JsonObject f) => f["properties"]!["kind"]!.GetValue<string>();
        var enterprises = features.Where(f => Kind(f) == "enterprise").ToArray();
        var summary = await Cluster.SummaryAsync(Longxi, Admin);
        Assert.Equal(summary.Int("base"), enterprises.Length + map.Int("unplaced"));
        Assert.True(enterprises.Length > 600, $"{enterprises.Length} enterprises on the map");
        var coverage = enterprises.GroupBy(f => f["properties"]!["coverage"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(["neither", "organised", "workCovered"], coverage.Keys.Order());
        // The demo's enterprises lie in 陇西 (about 34.8–35.3°N, 104.3–104.9°E), as [lon, lat]; other tests add theirs elsewhere.
        var inLongxi = enterprises.Count(f =>
        {
            var at = f["geometry"]!["coordinates"]!.AsArray();
            return at[0]!.GetValue<double>() is > 104.2 and < 105.0 && at[1]!.GetValue<double>() is > 34.7 and < 35.4;
        });
        Assert.True(inLongxi >= 700, $"{inLongxi} of {enterprises.Length} enterprises in 陇西");
        Assert.Contains(features, f => Kind(f) == "station" && f["properties"]!["stationId"]!.GetValue<string>() == "LX-01");
        // The demo's six (other tests of this cluster draw circles of their own).
        bool Demo(JsonObject f) => f["properties"]!["circleId"]!.GetValue<string>().StartsWith("HDQ-", StringComparison.Ordinal);
        var circles = features.Where(f => Kind(f) == "circle" && Demo(f)).ToArray();
        Assert.Equal(6, circles.Length);
        Assert.Equal(6, features.Count(f => Kind(f) == "circleArea" && Demo(f) && f["geometry"]!["type"]!.GetValue<string>() == "Polygon"));

        // A circle's members are what its feature counts, nearest first, all within its radius.
        var first = circles[0]["properties"]!;
        var members = (await Cluster.GetAsync($"/api/counties/{Longxi}/circles/{first["circleId"]}/members", Admin)).Expect(HttpStatusCode.OK).Object;
        var list = members["members"]!.AsArray();
        Assert.Equal(first["members"]!.GetValue<int>(), list.Count);
        Assert.True(list.Count > 5, members.ToJsonString());
        var metres = list.Select(m => m!["metres"]!.GetValue<double>()).ToArray();
        Assert.Equal(metres.Order(), metres);
        Assert.All(metres, m => Assert.InRange(m, 0, members["radiusMetres"]!.GetValue<double>()));
        Assert.True(summary.Int("circles.circles") >= 6);
        (await Cluster.GetAsync($"/api/counties/{Longxi}/circles/NO-SUCH/members", Admin)).Expect(HttpStatusCode.NotFound);
        // Another county's committee sees none of it.
        (await Cluster.GetAsync($"/api/counties/{Longxi}/map", TestTokens.CountyAdmin(Qingshui))).Expect(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_planner_proposes_sites_in_townships_that_link_more_than_today_s_one_station_and_refuses_bad_input_by_field()
    {
        var plan = (await Cluster.PostAsync($"/api/counties/{Longxi}/plans/stations", Admin, new JsonObject { ["stations"] = 3, ["maxKm"] = 3 }))
            .Expect(HttpStatusCode.OK).Object;
        var sites = plan["sites"]!.AsArray();
        Assert.Equal(3, sites.Count);
        // A site among the demo's enterprises is in one of 陇西's townships (other tests add enterprises with none).
        var demoSites = sites.Where(s => s!["location"]!["lon"]!.GetValue<double>() is > 104.2 and < 105.0).ToArray();
        Assert.NotEmpty(demoSites);
        Assert.All(demoSites, s => Assert.False(string.IsNullOrEmpty((string?)s!["township"])));
        var links = sites.Select(s => s!["links"]!.GetValue<int>()).ToArray();
        Assert.Equal(plan.Int("linked"), links.Sum());
        Assert.Equal(links.OrderDescending(), links);
        var today = plan["today"]!.AsObject();
        Assert.Equal(1, today.Int("placed"));
        Assert.True(plan["beats"]!.GetValue<bool>(), plan.ToJsonString());
        Assert.True(plan.Int("linked") > today.Int("linkedWithin"));
        Assert.InRange(plan["share"]!.GetValue<double>(), 0.01, 1);

        (await Cluster.PostAsync($"/api/counties/{Longxi}/plans/stations", Admin, new JsonObject { ["stations"] = 0, ["maxKm"] = 3 }))
            .ExpectError(HttpStatusCode.BadRequest, "stations");
        (await Cluster.PostAsync($"/api/counties/{Longxi}/plans/stations", Admin, new JsonObject { ["stations"] = 2, ["maxKm"] = 500 }))
            .ExpectError(HttpStatusCode.BadRequest, "maxKm");
        // Station staff do not plan the county's stations.
        var staff = Beacon.Gateway.Security.Tokens.Issue(TestTokens.Options, Roles.StationStaff, Scope.Parse($"county:{Longxi}")!, "planner-staff", station: "LX-01");
        (await Cluster.PostAsync($"/api/counties/{Longxi}/plans/stations", staff, new JsonObject { ["stations"] = 2, ["maxKm"] = 3 })).Expect(HttpStatusCode.Forbidden);
    }
}
