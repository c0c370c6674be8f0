using System.Net;
using System.Text.Json.Nodes;
using Beacon.IntegrationTests.Infrastructure;
using static Beacon.IntegrationTests.Infrastructure.InMemoryClusterFixture;

namespace Beacon.IntegrationTests;

/// <summary>Who changed what and when: an entity's history field by field, and the county's recent changes.</summary>
[Collection(InMemoryClusterCollection.Name)]
public sealed class AuditTests(InMemoryClusterFixture fixture)
{
    private BeaconCluster Cluster => fixture.Cluster;
    private static string Enterprises => $"/api/counties/{Longxi}/enterprises";
    private static string Changes => $"/api/counties/{Longxi}/changes";

    private static Dictionary<string, (JsonNode? Before, JsonNode? After)> ChangesOf(JsonNode entry) =>
        entry["changes"]!.AsArray().ToDictionary(c => (string)c!["field"]!, c => (c!["before"], c["after"]));

    [Fact]
    public async Task An_enterprise_history_has_create_update_delete_with_each_changed_field_and_the_county_lists_them_newest_first()
    {
        var who = Caller.Admin(Longxi, "audit");
        var tag = ApiTestKit.NewTag();
        var code = TestEnterprises.NewCreditCode(Longxi);
        var name = $"测{tag}审计企业";
        var at = $"{Enterprises}/{code}";
        var times = new List<(DateTimeOffset From, DateTimeOffset To)>();

        var from = DateTimeOffset.UtcNow;
        (await Cluster.PostAsync(Enterprises, who.Token, TestEnterprises.New(code, name, employees: 40, partyMembers: 5))).Expect(HttpStatusCode.Created);
        times.Add((from, DateTimeOffset.UtcNow));
        from = DateTimeOffset.UtcNow;
        (await Cluster.PutAsync(at, who.Token, TestEnterprises.New(code, name, employees: 40, partyMembers: 7, mode: "standalone"))).Expect(HttpStatusCode.OK);
        times.Add((from, DateTimeOffset.UtcNow));
        from = DateTimeOffset.UtcNow;
        (await Cluster.DeleteAsync(at, who.Token)).Expect(HttpStatusCode.NoContent);
        times.Add((from, DateTimeOffset.UtcNow));

        var history = (await Cluster.GetAsync($"{at}/history", who.Token)).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Equal(3, history.Count);
        Assert.Equal(["create", "update", "delete"], history.Select(h => (string)h!["action"]!));
        Assert.Equal([1L, 2L, 3L], history.Select(h => h!["version"]!.GetValue<long>()));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(who.By, (string?)history[i]!["by"]);
            Assert.InRange(history[i]!["at"]!.Time(), times[i].From.AddSeconds(-1), times[i].To.AddSeconds(1));
        }

        // create: every posted field from nothing.
        var created = ChangesOf(history[0]!);
        Assert.Null(created["creditCode"].Before);
        Assert.Equal(code, (string?)created["creditCode"].After);
        Assert.Equal(5, created["partyMembers"].After!.GetValue<int>());
        Assert.Equal("none", (string?)created["organisation.mode"].After);

        // update: exactly the two fields that changed, before and after.
        var updated = ChangesOf(history[1]!);
        Assert.True(updated.Keys.Order(StringComparer.Ordinal).SequenceEqual(["organisation.mode", "partyMembers"]),
            $"the update should list partyMembers and organisation.mode only: {history[1]!["changes"]!.ToJsonString()}");
        Assert.Equal((5, 7), (updated["partyMembers"].Before!.GetValue<int>(), updated["partyMembers"].After!.GetValue<int>()));
        Assert.Equal(("none", "standalone"), ((string?)updated["organisation.mode"].Before, (string?)updated["organisation.mode"].After));

        // delete: every field to nothing.
        var deleted = ChangesOf(history[2]!);
        Assert.Equal(name, (string?)deleted["name"].Before);
        Assert.Null(deleted["name"].After);
        Assert.Equal(7, deleted["partyMembers"].Before!.GetValue<int>());

        // The county's recent changes, newest first: delete, update, create of this enterprise.
        var changes = (await Cluster.GetAsync($"{Changes}?limit=500", who.Token)).Expect(HttpStatusCode.OK).Json.AsArray();
        var mine = changes.Select(c => c!.AsObject()).Where(c => (string?)c["id"] == code).ToArray();
        Assert.Equal(["delete", "update", "create"], mine.Select(c => (string)c["action"]!));
        Assert.Equal([3L, 2L, 1L], mine.Select(c => c["version"]!.GetValue<long>()));
        Assert.All(mine, c => Assert.Equal("enterprise", (string?)c["kind"]));
        Assert.All(mine, c => Assert.Equal(who.By, (string?)c["by"]));
        Assert.Equal(history.Select(h => h!["at"]!.Time()).Reverse(), mine.Select(c => c["at"]!.Time()));
        // The newest of all is this delete (nothing else changed the county since: this collection runs one test at a time).
        Assert.Equal((code, "delete"), ((string?)changes[0]!["id"], (string?)changes[0]!["action"]));
        // limit takes the newest.
        var two = (await Cluster.GetAsync($"{Changes}?limit=2", who.Token)).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Equal([3L, 2L], two.Select(c => c!["version"]!.GetValue<long>()));
    }

    [Fact]
    public async Task Only_the_county_admin_reads_the_changes()
    {
        var staff = Caller.Of(Roles.StationStaff, $"county:{Longxi}", "audit-staff", station: "LX-01");
        var overseer = Caller.Of(Roles.ProvinceOverseer, $"province:{Gansu}", "audit-overseer");
        var otherAdmin = Caller.Admin(Qingshui, "audit-other");
        (await Cluster.GetAsync(Changes, staff.Token)).Expect(HttpStatusCode.Forbidden);
        (await Cluster.GetAsync(Changes, overseer.Token)).Expect(HttpStatusCode.Forbidden);
        (await Cluster.GetAsync(Changes, otherAdmin.Token)).Expect(HttpStatusCode.Forbidden);
        // Both may read the county's figures, so the 403 is about the audit, not the county.
        (await Cluster.GetAsync($"/api/counties/{Longxi}/summary", staff.Token)).Expect(HttpStatusCode.OK);
        (await Cluster.GetAsync($"/api/counties/{Longxi}/summary", overseer.Token)).Expect(HttpStatusCode.OK);
        (await Cluster.GetAsync(Changes, Caller.Admin(Longxi, "audit-admin").Token)).Expect(HttpStatusCode.OK);
    }
}
