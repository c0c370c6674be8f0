using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Beacon.IntegrationTests.Infrastructure;
using static Beacon.IntegrationTests.Infrastructure.InMemoryClusterFixture;

namespace Beacon.IntegrationTests;

/// <summary>
/// 陇西's to-do through the real gateway and silo: the committee's list, its station staff's own, an overseer's
/// without the applicants, English on request, a bad station refused by name, and an item gone once it is done.
/// </summary>
[Collection(InMemoryClusterCollection.Name)]
public sealed class TodoApiTests(InMemoryClusterFixture fixture)
{
    private BeaconCluster Cluster => fixture.Cluster;
    private static readonly string Admin = TestTokens.CountyAdmin(Longxi);
    private static string Todo => $"/api/counties/{Longxi}/todo";

    private async Task<JsonObject[]> ReadAsync(string token, string query = "") =>
        [.. (await Cluster.GetAsync(Todo + query, token)).Expect(HttpStatusCode.OK).Json.AsArray().Select(x => x!.AsObject())];

    [Fact]
    public async Task The_committee_its_station_and_an_overseer_each_read_their_to_do_and_a_report_sent_takes_its_item_away()
    {
        // A station of its own, which has sent no report yet.
        var station = $"TD-{Guid.NewGuid():N}"[..12];
        (await Cluster.PostAsync($"/api/counties/{Longxi}/stations", Admin, new JsonObject
        {
            ["stationId"] = station, ["name"] = $"待办测试指导站{station[^4..]}", ["townships"] = new JsonArray($"待办测试镇{station[^6..]}"),
        })).Expect(HttpStatusCode.Created);
        var all = await ReadAsync(Admin);
        Assert.All(all, x => Assert.False(string.IsNullOrEmpty(x["text"]!.GetValue<string>())));
        // The demo's late talk is on the committee's list, and the new station's missing report and meeting.
        Assert.Contains(all, x => x["kind"]!.GetValue<string>() == "developmentStepDue" && x["daysLate"]!.GetValue<int>() > 0);
        Assert.Contains(all, x => x["kind"]!.GetValue<string>() == "stationReportMissing" && x["id"]!.GetValue<string>() == station);
        Assert.Contains(all, x => x["kind"]!.GetValue<string>() == "stationMeetingMissing" && x["id"]!.GetValue<string>() == station);
        var lateness = all.Select(x => x["daysLate"]?.GetValue<int>() ?? int.MinValue).ToArray();
        Assert.Equal(lateness.OrderDescending(), lateness);

        // Station staff get their station's, whatever they ask for.
        var staff = Caller.Of(Roles.StationStaff, $"county:{Longxi}", "todo-staff", "LX-01").Token;
        var own = await ReadAsync(staff, "?station=LX-02");
        Assert.All(own, x => Assert.Equal("LX-01", x["stationId"]?.GetValue<string>()));
        Assert.Equal((await ReadAsync(Admin, "?station=LX-01")).Select(x => x.ToJsonString()), own.Select(x => x.ToJsonString()));
        Assert.DoesNotContain(own, x => x["id"]!.GetValue<string>() == station);

        // An overseer reads the county's list, without the applicants' steps.
        var overseer = await ReadAsync(TestTokens.Overseer(Gansu));
        Assert.DoesNotContain(overseer, x => x["kind"]!.GetValue<string>() == "developmentStepDue");
        Assert.Equal(all.Count(x => x["kind"]!.GetValue<string>() != "developmentStepDue"), overseer.Length);

        using (var request = new HttpRequestMessage(HttpMethod.Get, Todo))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Admin);
            request.Headers.AcceptLanguage.ParseAdd("en");
            using var english = await Cluster.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, english.StatusCode);
            Assert.Contains("has sent no monthly report", await english.Content.ReadAsStringAsync());
        }
        Assert.Equal(["station"], (await Cluster.GetAsync($"{Todo}?station=%3Cscript%3E", Admin)).Expect(HttpStatusCode.BadRequest).ErrorFields);

        // The report for last month sent: the item goes.
        var month = DateTime.UtcNow.AddHours(8).AddMonths(-1).ToString("yyyy-MM");
        var sent = await Cluster.PostAsync($"/api/counties/{Longxi}/stations/{station}/reports", Admin,
            new JsonObject { ["month"] = month, ["summary"] = "走访园区企业", ["issuesForCounty"] = new JsonArray() });
        Assert.True(sent.Status is HttpStatusCode.Created or HttpStatusCode.OK, sent.Body);
        var after = await ReadAsync(Admin);
        Assert.DoesNotContain(after, x => x["kind"]!.GetValue<string>() == "stationReportMissing" && x["id"]!.GetValue<string>() == station);
        Assert.Contains(after, x => x["kind"]!.GetValue<string>() == "stationMeetingMissing" && x["id"]!.GetValue<string>() == station);
        (await Cluster.SendAsync(HttpMethod.Delete, $"/api/counties/{Longxi}/stations/{station}", Admin)).Expect(HttpStatusCode.NoContent);
    }
}
