using System.Net;
using System.Text.Json.Nodes;
using Beacon.IntegrationTests.Infrastructure;
using static Beacon.IntegrationTests.Infrastructure.InMemoryClusterFixture;

namespace Beacon.IntegrationTests;

/// <summary>
/// The four registers (enterprises, stations, groups, instructors) through the real gateway: create, read, replace,
/// delete, list (paged, filtered, sorted), and what moving entities does to the county's figures. Every test makes its
/// own entities in county 621122, which other tests share, so figures are checked as deltas or on fresh stations.
/// </summary>
[Collection(InMemoryClusterCollection.Name)]
public sealed class RegisterApiTests(InMemoryClusterFixture fixture)
{
    private BeaconCluster Cluster => fixture.Cluster;
    private static string Route(string register) => $"/api/counties/{Longxi}/{register}";

    private static JsonObject Station(string id, string name, params string[] townships) =>
        new() { ["stationId"] = id, ["name"] = name, ["townships"] = new JsonArray([.. townships.Select(t => (JsonNode)t)]) };

    private static JsonObject Group(string id, string name, string station) =>
        new() { ["groupId"] = id, ["name"] = name, ["stationId"] = station };

    private static JsonObject Instructor(string id, string name, bool fullTime, string? station, string? group) =>
        new() { ["instructorId"] = id, ["name"] = name, ["fullTime"] = fullTime, ["sourceUnit"] = "组织", ["stationId"] = station, ["groupId"] = group };

    private static JsonObject Enterprise(string code, string name, string? station = null, string? township = null, string? group = null,
        string? instructor = null, int members = 2, string mode = "none", bool inBase = true)
    {
        var e = TestEnterprises.New(code, name, employees: 40, partyMembers: members, mode: mode);
        e["stationId"] = station;
        e["groupId"] = group;
        e["instructorId"] = instructor;
        e["township"] = township;
        e["inBase"] = inBase;
        if (!inBase) e["exclusionReason"] = "已注销";
        return e;
    }

    private async Task<JsonObject> CreateAsync(Caller who, string register, JsonObject body, string idField)
    {
        var answer = (await Cluster.PostAsync(Route(register), who.Token, body)).Expect(HttpStatusCode.Created).Object;
        Assert.Equal((string)body[idField]!, (string?)answer[idField]);
        Assert.Equal(1, answer["version"]!.GetValue<long>());
        return answer;
    }

    private async Task<JsonObject> PageAsync(Caller who, string register, string query) =>
        await Cluster.GetJsonAsync($"{Route(register)}?{query}", who.Token);

    [Fact]
    public async Task Each_register_creates_reads_replaces_and_deletes()
    {
        var who = Caller.Admin(Longxi, "register-crud");
        var tag = ApiTestKit.NewTag();
        var station = $"T{tag}-S";
        var group = $"T{tag}-G";
        var instructor = $"T{tag}-I";
        var code = TestEnterprises.NewCreditCode(Longxi);

        // (register, id field, id, first body, replacement, a field that the replacement changes)
        var steps = new (string Register, string IdField, string Id, JsonObject Create, JsonObject Replace, string Field)[]
        {
            ("stations", "stationId", station, Station(station, $"测{tag}站", $"{tag}甲镇"), Station(station, $"测{tag}新站", $"{tag}甲镇", $"{tag}乙镇"), "name"),
            ("groups", "groupId", group, Group(group, $"测{tag}组", station), Group(group, $"测{tag}新组", station), "name"),
            ("instructors", "instructorId", instructor, Instructor(instructor, $"测{tag}员", true, station, group),
                Instructor(instructor, $"测{tag}员", false, station, group), "fullTime"),
            ("enterprises", "creditCode", code, Enterprise(code, $"测{tag}企业", station, $"{tag}甲镇", group, instructor),
                Enterprise(code, $"测{tag}企业", station, $"{tag}甲镇", group, instructor, members: 4), "partyMembers"),
        };

        foreach (var (register, idField, id, create, replace, field) in steps)
        {
            var at = $"{Route(register)}/{id}";
            (await Cluster.GetAsync(at, who.Token)).Expect(HttpStatusCode.NotFound);
            await CreateAsync(who, register, create, idField);

            var read = await Cluster.GetJsonAsync(at, who.Token);
            Assert.Equal(id, (string?)read[idField]);
            Assert.Equal(1, read["version"]!.GetValue<long>());
            Assert.True(JsonNode.DeepEquals(create[field], read[field]), $"{register}: GET {field} is {read[field]?.ToJsonString()}, posted {create[field]?.ToJsonString()}");
            Assert.True(read["updatedAt"]!.Time() > DateTimeOffset.UtcNow.AddMinutes(-1), $"{register}: updatedAt {read["updatedAt"]}");

            var replaced = (await Cluster.PutAsync(at, who.Token, replace)).Expect(HttpStatusCode.OK).Object;
            Assert.Equal(2, replaced["version"]!.GetValue<long>());
            var reread = await Cluster.GetJsonAsync(at, who.Token);
            Assert.Equal(2, reread["version"]!.GetValue<long>());
            Assert.True(JsonNode.DeepEquals(replace[field], reread[field]), $"{register}: after PUT {field} is {reread[field]?.ToJsonString()}, put {replace[field]?.ToJsonString()}");
        }

        // The station's second township is its area now.
        Assert.Equal([$"{tag}甲镇", $"{tag}乙镇"], (await Cluster.GetJsonAsync($"{Route("stations")}/{station}", who.Token))["townships"]!
            .AsArray().Select(t => (string)t!));

        // Delete in the order the references allow: enterprise, instructor, group, station.
        foreach (var (register, _, id, _, _, _) in Enumerable.Reverse(steps))
        {
            var at = $"{Route(register)}/{id}";
            (await Cluster.DeleteAsync(at, who.Token)).Expect(HttpStatusCode.NoContent);
            (await Cluster.GetAsync(at, who.Token)).Expect(HttpStatusCode.NotFound);
            (await Cluster.DeleteAsync(at, who.Token)).Expect(HttpStatusCode.NotFound);
        }
        Assert.Null((await Cluster.SummaryAsync(Longxi, who.Token)).StationRow(station));
    }

    private sealed record Row(string Suffix, string? Station, string? Group, string? Instructor, string Mode, bool InBase);
    private sealed record Made(string Code, string Name, Row Row);

    [Fact]
    public async Task The_enterprise_list_pages_filters_and_sorts_exactly()
    {
        var who = Caller.Admin(Longxi, "register-list");
        var tag = ApiTestKit.NewTag();
        var prefix = $"测{tag}";
        var (a, b) = ($"T{tag}-A", $"T{tag}-B");
        await CreateAsync(who, "stations", Station(a, $"{prefix}站A", $"{tag}甲镇"), "stationId");
        await CreateAsync(who, "stations", Station(b, $"{prefix}站B", $"{tag}乙镇"), "stationId");
        await CreateAsync(who, "groups", Group($"{a}-G", $"{prefix}组", a), "groupId");
        await CreateAsync(who, "instructors", Instructor($"{a}-I", $"{prefix}员", true, a, $"{a}-G"), "instructorId");

        var rows = new Row[]
        {
            new("戊", a, $"{a}-G", $"{a}-I", "standalone", true),
            new("丙", a, $"{a}-G", null, "none", true),
            new("甲", a, null, null, "standalone", false),
            new("丁", b, null, null, "none", true),
            new("乙", null, null, null, "none", true),
        };
        var created = new List<Made>();
        foreach (var row in rows)
        {
            var code = TestEnterprises.NewCreditCode(Longxi);
            var name = $"{prefix}企业{row.Suffix}";
            var township = row.Station == a ? $"{tag}甲镇" : row.Station == b ? $"{tag}乙镇" : null;
            await CreateAsync(who, "enterprises",
                Enterprise(code, name, row.Station, township, row.Group, row.Instructor, members: 5, mode: row.Mode, inBase: row.InBase), "creditCode");
            created.Add(new Made(code, name, row));
        }
        static string[] Codes(IEnumerable<Made> of) => [.. of.Select(c => c.Code)];
        var byName = created.OrderBy(c => c.Name, StringComparer.Ordinal).ToArray();
        var byId = created.OrderBy(c => c.Code, StringComparer.Ordinal).ToArray();
        var q = Uri.EscapeDataString(prefix);

        async Task Expect(string query, string[] ids, int total, string what)
        {
            var (t, got) = (await PageAsync(who, "enterprises", query)).Page("creditCode");
            Assert.True(total == t && ids.SequenceEqual(got),
                $"{what} ({query}): expected total {total} [{string.Join(", ", ids)}], got total {t} [{string.Join(", ", got)}]");
        }

        // Sorted: name (the default), -name, id, -id.
        await Expect($"q={q}", Codes(byName), 5, "default order (name)");
        await Expect($"q={q}&sort=name", Codes(byName), 5, "sort=name");
        await Expect($"q={q}&sort=-name", Codes(Enumerable.Reverse(byName)), 5, "sort=-name");
        await Expect($"q={q}&sort=id", Codes(byId), 5, "sort=id");
        await Expect($"q={q}&sort=-id", Codes(Enumerable.Reverse(byId)), 5, "sort=-id");

        // Paged: the total is the whole list's, the page a slice of it.
        var page = await PageAsync(who, "enterprises", $"q={q}&sort=name&offset=1&limit=2");
        Assert.Equal(1, page["offset"]!.GetValue<int>());
        Assert.Equal(2, page["limit"]!.GetValue<int>());
        await Expect($"q={q}&sort=name&offset=1&limit=2", Codes(byName.Skip(1).Take(2)), 5, "page 2 of 3");
        await Expect($"q={q}&sort=-id&offset=4&limit=2", Codes(Enumerable.Reverse(byId).Skip(4)), 5, "the last page");
        await Expect($"q={q}&offset=5", [], 5, "past the end");

        // Filtered: station, group, instructor, mode, inBase, and q by name or by id prefix.
        await Expect($"station={a}", Codes(byName.Where(c => c.Row.Station == a)), 3, "station A");
        await Expect($"station={b}", Codes(byName.Where(c => c.Row.Station == b)), 1, "station B");
        await Expect($"group={a}-G", Codes(byName.Where(c => c.Row.Group is not null)), 2, "group");
        await Expect($"instructor={a}-I", Codes(byName.Where(c => c.Row.Instructor is not null)), 1, "instructor");
        await Expect($"q={q}&mode=standalone", Codes(byName.Where(c => c.Row.Mode == "standalone")), 2, "mode=standalone");
        await Expect($"q={q}&mode=none&sort=-name", Codes(Enumerable.Reverse(byName.Where(c => c.Row.Mode == "none").ToArray())), 3, "mode=none");
        await Expect($"q={q}&inBase=false", Codes(byName.Where(c => !c.Row.InBase)), 1, "inBase=false");
        await Expect($"q={q}&inBase=true&station={a}", Codes(byName.Where(c => c.Row.InBase && c.Row.Station == a)), 2, "inBase=true at station A");
        await Expect($"q={Uri.EscapeDataString(prefix + "企业丙")}", [created[1].Code], 1, "q = a whole name");
        await Expect($"q={created[3].Code[..17]}", [created[3].Code], 1, "q = a credit code prefix");

        // The items are the enterprises as posted, with their version.
        var first = (await PageAsync(who, "enterprises", $"q={q}&limit=1"))["items"]!.AsArray().Single()!;
        Assert.Equal(byName[0].Name, (string?)first["name"]);
        Assert.Equal(1, first["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task Station_group_and_instructor_lists_filter_and_sort_by_name_and_id()
    {
        var who = Caller.Admin(Longxi, "register-list2");
        var tag = ApiTestKit.NewTag();
        var prefix = $"测{tag}";
        var idPrefix = $"T{tag}";
        // Ids and names in opposite orders, so name and id sorting differ.
        var stations = new[] { ($"{idPrefix}-1", $"{prefix}站丙"), ($"{idPrefix}-2", $"{prefix}站乙"), ($"{idPrefix}-3", $"{prefix}站甲") };
        foreach (var (id, name) in stations) await CreateAsync(who, "stations", Station(id, name, $"{tag}{id[^1]}镇"), "stationId");
        var (s1, s2) = (stations[0].Item1, stations[1].Item1);
        var groups = new[] { ($"{idPrefix}-G1", $"{prefix}组乙", s1), ($"{idPrefix}-G2", $"{prefix}组甲", s1), ($"{idPrefix}-G3", $"{prefix}组丙", s2) };
        foreach (var (id, name, station) in groups) await CreateAsync(who, "groups", Group(id, name, station), "groupId");
        var instructors = new[]
        {
            ($"{idPrefix}-I1", $"{prefix}员丁", s1, $"{idPrefix}-G1"), ($"{idPrefix}-I2", $"{prefix}员丙", s1, $"{idPrefix}-G2"),
            ($"{idPrefix}-I3", $"{prefix}员乙", s1, $"{idPrefix}-G1"), ($"{idPrefix}-I4", $"{prefix}员甲", s2, $"{idPrefix}-G3"),
        };
        foreach (var (id, name, station, group) in instructors) await CreateAsync(who, "instructors", Instructor(id, name, true, station, group), "instructorId");

        async Task Expect(string register, string idField, string query, string[] ids, string what, int? total = null)
        {
            var (t, got) = (await PageAsync(who, register, query)).Page(idField);
            Assert.True(t == (total ?? ids.Length) && ids.SequenceEqual(got),
                $"{register} {what} ({query}): expected total {total ?? ids.Length} [{string.Join(", ", ids)}], got total {t} [{string.Join(", ", got)}]");
        }
        string[] Sorted<T>(IEnumerable<T> rows, Func<T, string> id, Func<T, string> key, bool descending = false) =>
            [.. (descending ? rows.OrderByDescending(key, StringComparer.Ordinal) : rows.OrderBy(key, StringComparer.Ordinal)).Select(id)];
        var q = Uri.EscapeDataString(prefix);

        await Expect("stations", "stationId", $"q={q}", Sorted(stations, s => s.Item1, s => s.Item2), "by name");
        await Expect("stations", "stationId", $"q={q}&sort=-name", Sorted(stations, s => s.Item1, s => s.Item2, true), "by -name");
        await Expect("stations", "stationId", $"q={idPrefix}&sort=id", Sorted(stations, s => s.Item1, s => s.Item1), "q = id prefix, by id");
        await Expect("stations", "stationId", $"q={idPrefix}&sort=-id&limit=2", Sorted(stations, s => s.Item1, s => s.Item1, true)[..2], "by -id, first page", total: 3);
        await Expect("stations", "stationId", $"station={s2}", [s2], "station filter");

        await Expect("groups", "groupId", $"q={q}", Sorted(groups, g => g.Item1, g => g.Item2), "by name");
        await Expect("groups", "groupId", $"station={s1}&sort=-id", Sorted(groups.Where(g => g.Item3 == s1), g => g.Item1, g => g.Item1, true), "station, by -id");
        await Expect("groups", "groupId", $"station={s1}&sort=name&offset=1", Sorted(groups.Where(g => g.Item3 == s1), g => g.Item1, g => g.Item2)[1..], "station, by name, offset 1", total: 2);

        await Expect("instructors", "instructorId", $"q={q}", Sorted(instructors, i => i.Item1, i => i.Item2), "by name");
        await Expect("instructors", "instructorId", $"q={q}&sort=id", Sorted(instructors, i => i.Item1, i => i.Item1), "by id");
        await Expect("instructors", "instructorId", $"station={s1}&sort=-name", Sorted(instructors.Where(i => i.Item3 == s1), i => i.Item1, i => i.Item2, true), "station, by -name");
        await Expect("instructors", "instructorId", $"group={idPrefix}-G1", Sorted(instructors.Where(i => i.Item4 == $"{idPrefix}-G1"), i => i.Item1, i => i.Item2), "group");
    }

    [Fact]
    public async Task Moving_an_enterprise_to_another_station_updates_both_stations_linkage()
    {
        const string lx01 = "LX-01", lx01Township = "巩昌镇";
        var who = Caller.Admin(Longxi, "register-move");
        var tag = ApiTestKit.NewTag();
        var other = $"T{tag}-S";
        var township = $"{tag}甲镇";
        await CreateAsync(who, "stations", Station(other, $"测{tag}站", township), "stationId");
        var before = await Cluster.SummaryAsync(Longxi, who.Token);
        var lxBefore = before.Station(lx01);
        Assert.Equal(0, before.Station(other).Int("areaEnterprises"));

        var code = TestEnterprises.NewCreditCode(Longxi);
        await CreateAsync(who, "enterprises", Enterprise(code, $"测{tag}迁移企业", lx01, lx01Township), "creditCode");
        var atLx = await Cluster.SummaryAsync(Longxi, who.Token);
        Assert.Equal(lxBefore.Int("areaEnterprises") + 1, atLx.Station(lx01).Int("areaEnterprises"));
        Assert.Equal(lxBefore.Int("linked") + 1, atLx.Station(lx01).Int("linked"));
        Assert.Equal((0, 0), (atLx.Station(other).Int("areaEnterprises"), atLx.Station(other).Int("linked")));

        // Moved: the enterprise now lies in the other station's township and is linked by it.
        (await Cluster.PutAsync($"{Route("enterprises")}/{code}", who.Token, Enterprise(code, $"测{tag}迁移企业", other, township)))
            .Expect(HttpStatusCode.OK);
        var moved = await Cluster.SummaryAsync(Longxi, who.Token);
        Assert.Equal(lxBefore.Int("areaEnterprises"), moved.Station(lx01).Int("areaEnterprises"));
        Assert.Equal(lxBefore.Int("linked"), moved.Station(lx01).Int("linked"));
        Assert.Equal((1, 1), (moved.Station(other).Int("areaEnterprises"), moved.Station(other).Int("linked")));
        Assert.Equal(1.0, moved.Station(other).Double("linkage"));
        Assert.Equal(before.Int("base") + 1, moved.Int("base"));
        // The lists agree with the figures.
        Assert.DoesNotContain(code, (await PageAsync(who, "enterprises", $"station={lx01}&limit=200&q={code[..17]}")).Page("creditCode").Ids);
        Assert.Equal([code], (await PageAsync(who, "enterprises", $"station={other}")).Page("creditCode").Ids);
    }

    [Fact]
    public async Task Moving_an_instructor_to_another_group_updates_groups_below_two_full_time()
    {
        var who = Caller.Admin(Longxi, "register-groups");
        var tag = ApiTestKit.NewTag();
        var station = $"T{tag}-S";
        var (g1, g2) = ($"T{tag}-G1", $"T{tag}-G2");
        await CreateAsync(who, "stations", Station(station, $"测{tag}站", $"{tag}甲镇"), "stationId");
        await CreateAsync(who, "groups", Group(g1, $"测{tag}组一", station), "groupId");
        await CreateAsync(who, "groups", Group(g2, $"测{tag}组二", station), "groupId");
        var below = (await Cluster.SummaryAsync(Longxi, who.Token)).GroupsBelowTwo();
        Assert.Contains(g1, below);
        Assert.Contains(g2, below);

        var (i1, i2) = ($"T{tag}-I1", $"T{tag}-I2");
        await CreateAsync(who, "instructors", Instructor(i1, $"测{tag}员一", true, station, g1), "instructorId");
        await CreateAsync(who, "instructors", Instructor(i2, $"测{tag}员二", true, station, g1), "instructorId");
        var summary = await Cluster.SummaryAsync(Longxi, who.Token);
        Assert.DoesNotContain(g1, summary.GroupsBelowTwo());
        Assert.Contains(g2, summary.GroupsBelowTwo());
        Assert.Equal(2, summary.Station(station).Int("fullTimeInstructors"));

        (await Cluster.PutAsync($"{Route("instructors")}/{i1}", who.Token, Instructor(i1, $"测{tag}员一", true, station, g2))).Expect(HttpStatusCode.OK);
        summary = await Cluster.SummaryAsync(Longxi, who.Token);
        Assert.Contains(g1, summary.GroupsBelowTwo());
        Assert.Contains(g2, summary.GroupsBelowTwo());

        (await Cluster.PutAsync($"{Route("instructors")}/{i2}", who.Token, Instructor(i2, $"测{tag}员二", true, station, g2))).Expect(HttpStatusCode.OK);
        summary = await Cluster.SummaryAsync(Longxi, who.Token);
        Assert.Contains(g1, summary.GroupsBelowTwo());
        Assert.DoesNotContain(g2, summary.GroupsBelowTwo());
        Assert.Equal(2, summary.Station(station).Int("fullTimeInstructors"));
        Assert.Equal([i1, i2], (await PageAsync(who, "instructors", $"group={g2}&sort=id")).Page("instructorId").Ids);
    }

    [Fact]
    public async Task A_station_still_referenced_cannot_be_deleted_until_the_references_are_gone()
    {
        var who = Caller.Admin(Longxi, "register-delete");
        var tag = ApiTestKit.NewTag();
        var station = $"T{tag}-S";
        var group = $"T{tag}-G";
        var instructor = $"T{tag}-I";
        var code = TestEnterprises.NewCreditCode(Longxi);
        var at = $"{Route("stations")}/{station}";
        await CreateAsync(who, "stations", Station(station, $"测{tag}站", $"{tag}甲镇"), "stationId");
        await CreateAsync(who, "groups", Group(group, $"测{tag}组", station), "groupId");
        await CreateAsync(who, "instructors", Instructor(instructor, $"测{tag}员", true, station, group), "instructorId");
        await CreateAsync(who, "enterprises", Enterprise(code, $"测{tag}企业", station, $"{tag}甲镇"), "creditCode");
        var before = await Cluster.SummaryAsync(Longxi, who.Token);

        var refused = (await Cluster.DeleteAsync(at, who.Token)).ExpectError(HttpStatusCode.BadRequest, "stationId");
        Assert.Contains(code, refused.Body);
        (await Cluster.DeleteAsync($"{Route("groups")}/{group}", who.Token)).ExpectError(HttpStatusCode.BadRequest, "groupId");
        // Refusals change nothing.
        Assert.Equal(1, (await Cluster.GetJsonAsync(at, who.Token))["version"]!.GetValue<long>());
        JsonFigures.AssertSameFigures(before, await Cluster.SummaryAsync(Longxi, who.Token), "the summary after refused deletes");

        // Take the references away one by one: the enterprise leaves the station, the instructor and group go.
        (await Cluster.PutAsync($"{Route("enterprises")}/{code}", who.Token, Enterprise(code, $"测{tag}企业"))).Expect(HttpStatusCode.OK);
        (await Cluster.DeleteAsync(at, who.Token)).ExpectError(HttpStatusCode.BadRequest, "stationId");
        (await Cluster.DeleteAsync($"{Route("instructors")}/{instructor}", who.Token)).Expect(HttpStatusCode.NoContent);
        (await Cluster.DeleteAsync($"{Route("groups")}/{group}", who.Token)).Expect(HttpStatusCode.NoContent);

        (await Cluster.DeleteAsync(at, who.Token)).Expect(HttpStatusCode.NoContent);
        (await Cluster.GetAsync(at, who.Token)).Expect(HttpStatusCode.NotFound);
        var after = await Cluster.SummaryAsync(Longxi, who.Token);
        Assert.Null(after.StationRow(station));
        Assert.Equal(before.Int("stations") - 1, after.Int("stations"));
        Assert.Equal(before.Int("groups") - 1, after.Int("groups"));
        Assert.Equal(0, (await PageAsync(who, "stations", $"q=T{tag}")).Page("stationId").Total);
    }
}
