using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Beacon.IntegrationTests.Infrastructure;
using static Beacon.IntegrationTests.Infrastructure.InMemoryClusterFixture;

namespace Beacon.IntegrationTests;

/// <summary>
/// Organisational life (三会一课) through the real gateway, in 陇西县: an organisation's meetings, the summary's
/// <c>orgLife</c> for the last closed month (China's calendar), the refusals by field, and who may record them.
/// </summary>
[Collection(InMemoryClusterCollection.Name)]
public sealed class OrganisationLifeTests(InMemoryClusterFixture fixture)
{
    private BeaconCluster Cluster => fixture.Cluster;
    private static readonly string Admin = TestTokens.CountyAdmin(Longxi);
    private static string Organisations => $"/api/counties/{Longxi}/organisations";

    private static DateOnly ChinaToday => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
    /// <summary>The first day of the last closed month: the month before today's, in China.</summary>
    private static DateOnly LastMonth => new DateOnly(ChinaToday.Year, ChinaToday.Month, 1).AddMonths(-1);
    private static DateOnly QuarterStart => new(LastMonth.Year, (LastMonth.Month - 1) / 3 * 3 + 1, 1);

    private static JsonObject Meeting(DateOnly date, string kind, int expected = 12, int attended = 10, string topic = "学习党的二十届四中全会精神") =>
        new() { ["date"] = date.ToString("yyyy-MM-dd"), ["kind"] = kind, ["expected"] = expected, ["attended"] = attended, ["topic"] = topic };

    private async Task<string> CreateAsync(string? station = "LX-01")
    {
        var id = $"OL-{Guid.NewGuid():N}"[..20];
        var body = TestOrganisations.New(id, $"陇西县组织生活测试党支部{id[^4..]}", stationId: station);
        body["establishedOn"] = "2020-07-01";
        (await Cluster.PostAsync(Organisations, Admin, body)).Expect(HttpStatusCode.Created);
        return id;
    }

    private static (string Month, int Organisations, int Compliant, double Rate) OrgLife(JsonObject node) =>
        (node["orgLife"]!["month"]!.GetValue<string>(), node.Int("orgLife.organisations"), node.Int("orgLife.compliant"), node.Double("orgLife.rate"));

    private static (string, int, int) Counts((string Month, int Organisations, int Compliant, double Rate) f) => (f.Month, f.Organisations, f.Compliant);

    [Fact]
    public async Task Meetings_held_in_the_last_closed_month_and_its_quarter_make_the_organisation_compliant_in_the_summary()
    {
        var month = LastMonth.ToString("yyyy-MM");
        var before = await Cluster.SummaryAsync(Longxi, Admin);
        var (beforeMonth, organisations, compliant, _) = OrgLife(before);
        Assert.Equal(month, beforeMonth);
        var stationBefore = OrgLife(before.Station("LX-01"));

        var id = await CreateAsync();
        var created = await Cluster.SummaryAsync(Longxi, Admin);
        Assert.Equal((month, organisations + 1, compliant), Counts(OrgLife(created)));
        Assert.Equal(stationBefore.Organisations + 1, OrgLife(created.Station("LX-01")).Organisations);

        // Whatever month the test runs in: the quarter's meetings at its start, the year's in January, the monthly
        // ones in the month itself; the last of those makes it compliant.
        var meetings = new[]
        {
            Meeting(QuarterStart, "memberAssembly"),
            Meeting(QuarterStart.AddDays(1), "partyLecture"),
            Meeting(new DateOnly(LastMonth.Year, 1, 2), "lifeMeeting"),
            Meeting(LastMonth.AddDays(3), "committeeMeeting"),
            Meeting(LastMonth.AddDays(9), "groupMeeting"),
        };
        var path = $"{Organisations}/{id}/meetings";
        for (var i = 0; i < meetings.Length; i++)
            Assert.Equal(i + 1, (await Cluster.PostAsync(path, Admin, meetings[i])).Expect(HttpStatusCode.Created).Object.Int("count"));
        Assert.Equal(compliant, OrgLife(await Cluster.SummaryAsync(Longxi, Admin)).Compliant);

        (await Cluster.PostAsync(path, Admin, Meeting(LastMonth.AddDays(20), "themedPartyDay"))).Expect(HttpStatusCode.Created);
        var after = await Cluster.SummaryAsync(Longxi, Admin);
        var figure = OrgLife(after);
        Assert.Equal((month, organisations + 1, compliant + 1), Counts(figure));
        Assert.Equal(Math.Round((double)(compliant + 1) / (organisations + 1), 4), figure.Rate, 4);
        var station = OrgLife(after.Station("LX-01"));
        Assert.Equal((stationBefore.Organisations + 1, stationBefore.Compliant + 1), (station.Organisations, station.Compliant));

        // This month's meetings are for next month's figure.
        (await Cluster.PostAsync(path, Admin, Meeting(ChinaToday, "committeeMeeting"))).Expect(HttpStatusCode.Created);
        Assert.Equal(figure, OrgLife(await Cluster.SummaryAsync(Longxi, Admin)));

        var listed = (await Cluster.GetJsonAsync($"{Organisations}/{id}/activity", Admin))["meetings"]!.AsArray();
        Assert.Equal(7, listed.Count);
        var dates = listed.Select(m => m!["date"]!.GetValue<string>()).ToArray();
        Assert.Equal(dates.OrderDescending(StringComparer.Ordinal), dates);
        Assert.Equal("themedPartyDay", listed[1]!["kind"]!.GetValue<string>());

        // The rebuild from the organisations finds what the county counted.
        var report = (await Cluster.PostAsync($"/api/counties/{Longxi}/reconcile", Admin)).Expect(HttpStatusCode.OK).Object;
        Assert.DoesNotContain(report["differences"]!.AsArray(), d => d!["figure"]!.GetValue<string>().StartsWith("orgLife", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_meeting_is_refused_naming_its_field_in_chinese_or_english_and_changes_nothing()
    {
        var id = await CreateAsync();
        var path = $"{Organisations}/{id}/meetings";
        var good = Meeting(LastMonth.AddDays(1), "committeeMeeting");
        var before = await Cluster.SummaryAsync(Longxi, Admin);

        JsonObject With(string field, JsonNode? value)
        {
            var body = good.DeepClone().AsObject();
            body[field] = value;
            return body;
        }
        var cases = new (string Field, JsonObject Body)[]
        {
            ("attended", With("attended", 13)),
            ("expected", With("expected", 0).Also(b => b["attended"] = 0)),
            ("date", With("date", ChinaToday.AddDays(1).ToString("yyyy-MM-dd"))),
            ("date", With("date", "2019-06-30")), // before the organisation was established
            ("kind", With("kind", "monthlyMeeting")),
            ("kind", With("kind", "CommitteeMeeting")),
            ("topic", With("topic", "")),
            ("topic", With("topic", new string('学', 201))),
            ("topic", good.DeepClone().AsObject().Also(b => b.Remove("topic"))),
        };
        foreach (var (field, body) in cases)
        {
            var answer = await Cluster.PostAsync(path, Admin, body);
            Assert.True(answer.Status == HttpStatusCode.BadRequest, $"{body.ToJsonString()}: {(int)answer.Status} {answer.Body}");
            Assert.Equal([field], answer.ErrorFields);
        }

        Assert.Contains("不能多于应到人数", (await Cluster.PostAsync(path, Admin, With("attended", 13))).Body);
        var english = await SendEnglishAsync(path, With("attended", 13));
        Assert.Equal(HttpStatusCode.BadRequest, english.StatusCode);
        Assert.Contains("must not be more than expected", await english.Content.ReadAsStringAsync());
        var future = await SendEnglishAsync(path, With("date", ChinaToday.AddDays(1).ToString("yyyy-MM-dd")));
        Assert.Contains("must not be in the future", await future.Content.ReadAsStringAsync());

        Assert.Empty((await Cluster.GetJsonAsync($"{Organisations}/{id}/activity", Admin))["meetings"]!.AsArray());
        Assert.Equal(OrgLife(before), OrgLife(await Cluster.SummaryAsync(Longxi, Admin)));
        (await Cluster.PostAsync($"{Organisations}/NO-SUCH-ORG/meetings", Admin, good)).Expect(HttpStatusCode.NotFound);
        (await Cluster.GetAsync($"{Organisations}/NO-SUCH-ORG/activity", Admin)).Expect(HttpStatusCode.NotFound);
    }

    private async Task<HttpResponseMessage> SendEnglishAsync(string path, JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Admin);
        request.Headers.AcceptLanguage.ParseAdd("en");
        return await Cluster.Http.SendAsync(request);
    }

    [Fact]
    public async Task The_committee_and_the_staff_of_the_organisations_station_record_its_meetings_and_nobody_else()
    {
        var id = await CreateAsync("LX-01");
        var loose = await CreateAsync(station: null);
        var path = $"{Organisations}/{id}/meetings";
        var meeting = Meeting(LastMonth.AddDays(2), "groupMeeting");
        var staff = Caller.Of(Roles.StationStaff, $"county:{Longxi}", "orglife-staff", "LX-01").Token;
        var otherStaff = Caller.Of(Roles.StationStaff, $"county:{Longxi}", "orglife-other", "LX-02").Token;
        var otherCounty = TestTokens.CountyAdmin(Qingshui);
        var overseer = TestTokens.Overseer(Gansu);

        Assert.Equal(HttpStatusCode.Forbidden, (await Cluster.PostAsync(path, otherCounty, meeting)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Cluster.PostAsync(path, otherStaff, meeting)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Cluster.PostAsync(path, overseer, meeting)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Cluster.PostAsync($"{Organisations}/{loose}/meetings", staff, meeting)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Cluster.PostAsync(path, null, meeting)).Status);
        Assert.Empty((await Cluster.GetJsonAsync($"{Organisations}/{id}/activity", Admin))["meetings"]!.AsArray());

        (await Cluster.PostAsync(path, staff, meeting)).Expect(HttpStatusCode.Created);
        (await Cluster.PostAsync(path, Admin, meeting)).Expect(HttpStatusCode.Created);
        (await Cluster.PostAsync($"{Organisations}/{loose}/meetings", Admin, meeting)).Expect(HttpStatusCode.Created);
        // Whoever reads the county reads the meetings; another county's committee does not.
        Assert.Equal(2, (await Cluster.GetJsonAsync($"{Organisations}/{id}/activity", otherStaff))["meetings"]!.AsArray().Count);
        Assert.Equal(2, (await Cluster.GetJsonAsync($"{Organisations}/{id}/activity", overseer))["meetings"]!.AsArray().Count);
        Assert.Equal(HttpStatusCode.Forbidden, (await Cluster.GetAsync($"{Organisations}/{id}/activity", otherCounty)).Status);
    }
}
