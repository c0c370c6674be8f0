using Beacon.Tests.Infrastructure;
using static Beacon.Tests.Infrastructure.Ent;

namespace Beacon.Tests;

/// <summary>Bad input is refused with the field named, and a refusal changes nothing: not the entity, not the county.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RulesTests(ClusterFixture fixture)
{
    private const string ValidCode = "91350100M000100Y43";

    private Task<Tenant> NewCountyAsync(string code) => Tenant.CreateAsync(fixture.Client, code);

    /// <summary>Puts <paramref name="bad"/> over <paramref name="good"/> and checks the refusal names the field and changes nothing.</summary>
    private static async Task AssertRefusedAndUnchangedAsync(Tenant t, EnterpriseProfile good, EnterpriseProfile bad, string field)
    {
        var stored = await t.Enterprise(good.CreditCode).GetAsync();
        var before = await t.SummaryAsync();

        var r = await t.PutAsync(bad);

        Tenant.AssertRefused(r, field);
        var after = await t.Enterprise(good.CreditCode).GetAsync();
        Assert.NotNull(after);
        Assert.Equal(stored!.Version, after!.Version);
        Assert.Equal(stored.UpdatedAt, after.UpdatedAt);
        Assert.Equal(good, after.Value);
        await t.AssertSummaryUnchangedAsync(before);
    }

    [Fact]
    public async Task A_credit_code_with_a_correct_check_character_is_accepted_and_a_wrong_one_refused()
    {
        var t = await NewCountyAsync("110401");
        await t.OkAsync(Of(ValidCode, employees: 10));
        var before = await t.SummaryAsync();

        foreach (var wrong in new[] { "91350100M000100Y44", "91350100M000100Y4A", "91350100M000100Y4I", "91350100M000100Y4", "91350100M000100Y43X" })
        {
            var r = await t.PutAsync(Of(wrong, employees: 10));
            Tenant.AssertRefused(r, "creditCode");
            Assert.Null(await t.Enterprise(wrong).GetAsync());
            Assert.False(await t.County.ExistsAsync(EntityKind.Enterprise, wrong));
        }
        await t.AssertSummaryUnchangedAsync(before);
        Assert.Equal(1, before.Registered);
    }

    [Fact]
    public async Task A_credit_code_that_differs_from_the_address_is_refused()
    {
        var t = await NewCountyAsync("110402");
        var r = await t.Enterprise(t.CreditCode(1)).PutAsync(Of(t.CreditCode(2)), Tenant.Actor);
        Tenant.AssertRefused(r, "creditCode");
        Assert.Null(await t.Enterprise(t.CreditCode(1)).GetAsync());
        Assert.Equal(0, (await t.SummaryAsync()).Registered);
    }

    [Fact]
    public async Task More_members_than_employees_is_refused_and_changes_nothing()
    {
        var t = await NewCountyAsync("110403");
        var good = Of(t.CreditCode(1), employees: 10, members: 3, mode: FormationMode.Standalone);
        await t.OkAsync(good);
        await AssertRefusedAndUnchangedAsync(t, good, good with { PartyMembers = 11 }, "partyMembers");
    }

    [Fact]
    public async Task Negative_counts_are_refused_and_change_nothing()
    {
        var t = await NewCountyAsync("110404");
        var good = Of(t.CreditCode(1), employees: 10, members: 3, mode: FormationMode.Standalone);
        await t.OkAsync(good);
        await AssertRefusedAndUnchangedAsync(t, good, good with { Employees = -1 }, "employees");
        await AssertRefusedAndUnchangedAsync(t, good, good with { PartyMembers = -3, Organisation = new PartyOrganisation(FormationMode.None) }, "partyMembers");
        await AssertRefusedAndUnchangedAsync(t, good, good with { DemonstrationPosts = -1 }, "demonstrationPosts");
    }

    [Fact]
    public async Task A_standalone_organisation_needs_three_members()
    {
        var t = await NewCountyAsync("110405");
        var good = Of(t.CreditCode(1), employees: 10, members: 2);
        await t.OkAsync(good);
        await AssertRefusedAndUnchangedAsync(t, good, good with { Organisation = new PartyOrganisation(FormationMode.Standalone) }, "organisation.mode");

        // A new enterprise refused the same way is not created at all.
        var before = await t.SummaryAsync();
        var r = await t.PutAsync(Of(t.CreditCode(2), employees: 10, members: 2, mode: FormationMode.Standalone));
        Tenant.AssertRefused(r, "organisation.mode");
        Assert.Null(await t.Enterprise(t.CreditCode(2)).GetAsync());
        await t.AssertSummaryUnchangedAsync(before);
    }

    [Fact]
    public async Task Other_shape_rules_name_their_field()
    {
        var t = await NewCountyAsync("110406");
        var good = Of(t.CreditCode(1), employees: 10, members: 1);
        await t.OkAsync(good);
        await AssertRefusedAndUnchangedAsync(t, good, good with { Organisation = new PartyOrganisation(FormationMode.Joint) }, "organisation.organisationId");
        await AssertRefusedAndUnchangedAsync(t, good, good with { InBase = false, ExclusionReason = null }, "exclusionReason");
        await AssertRefusedAndUnchangedAsync(t, good, good with { ExclusionReason = "已注销" }, "exclusionReason");
        await AssertRefusedAndUnchangedAsync(t, good, good with { Archive = new Archive(false, true) }, "archive.featured");
        await AssertRefusedAndUnchangedAsync(t, good, good with { Name = " " }, "name");
    }

    [Fact]
    public async Task References_to_stations_groups_and_instructors_must_exist_in_the_same_county()
    {
        var other = await NewCountyAsync("110408");
        await other.StationAsync("s9", "外镇");
        await other.GroupAsync("g9", "s9");
        await other.OkAsync(new InstructorProfile("i9", "外", true, StationId: "s9"));

        var t = await NewCountyAsync("110407");
        await t.StationAsync("s1", "东镇");
        await t.GroupAsync("g1", "s1");
        await t.OkAsync(new InstructorProfile("i1", "甲", true, StationId: "s1", GroupId: "g1"));
        var good = Of(t.CreditCode(1), township: "东镇", station: "s1", group: "g1", instructor: "i1");
        await t.OkAsync(good);

        // Unknown anywhere.
        await AssertRefusedAndUnchangedAsync(t, good, good with { StationId = "nope" , GroupId = null }, "stationId");
        await AssertRefusedAndUnchangedAsync(t, good, good with { GroupId = "nope" }, "groupId");
        await AssertRefusedAndUnchangedAsync(t, good, good with { InstructorId = "nope" }, "instructorId");
        // Existing, but in another county.
        await AssertRefusedAndUnchangedAsync(t, good, good with { StationId = "s9", GroupId = null }, "stationId");
        await AssertRefusedAndUnchangedAsync(t, good, good with { GroupId = "g9" }, "groupId");
        await AssertRefusedAndUnchangedAsync(t, good, good with { InstructorId = "i9" }, "instructorId");

        // A new enterprise with a foreign reference is not created.
        var before = await t.SummaryAsync();
        var r = await t.PutAsync(Of(t.CreditCode(2), station: "s9"));
        Tenant.AssertRefused(r, "stationId");
        Assert.Null(await t.Enterprise(t.CreditCode(2)).GetAsync());
        await t.AssertSummaryUnchangedAsync(before);

        // Groups and instructors are held to the same.
        Tenant.AssertRefused(await t.PutAsync(new InstructorGroupProfile("g2", "二组", "s9")), "stationId");
        Assert.Null(await t.Group("g2").GetAsync());
        Tenant.AssertRefused(await t.PutAsync(new InstructorProfile("i2", "乙", true, StationId: "s9")), "stationId");
        Tenant.AssertRefused(await t.PutAsync(new InstructorProfile("i2", "乙", true, GroupId: "g9")), "groupId");
        Assert.Null(await t.Instructor("i2").GetAsync());
        await t.AssertSummaryUnchangedAsync(before);

        // And the other county saw nothing of it.
        var o = await other.SummaryAsync();
        Assert.Equal(0, o.Registered);
        Assert.Equal(1, o.Stations);
    }

    [Fact]
    public async Task A_group_of_another_station_is_refused()
    {
        var t = await NewCountyAsync("110409");
        await t.StationAsync("s1", "东镇");
        await t.StationAsync("s2", "西镇");
        await t.GroupAsync("g1", "s1");
        await t.GroupAsync("g2", "s2");
        var good = Of(t.CreditCode(1), township: "东镇", station: "s1", group: "g1");
        await t.OkAsync(good);

        await AssertRefusedAndUnchangedAsync(t, good, good with { GroupId = "g2" }, "groupId");

        var before = await t.SummaryAsync();
        Tenant.AssertRefused(await t.PutAsync(new InstructorProfile("i1", "甲", true, StationId: "s1", GroupId: "g2")), "groupId");
        Assert.Null(await t.Instructor("i1").GetAsync());
        await t.AssertSummaryUnchangedAsync(before);
    }

    [Fact]
    public async Task An_entity_still_referenced_cannot_be_deleted()
    {
        var t = await NewCountyAsync("110410");
        await t.StationAsync("s1", "东镇");
        await t.GroupAsync("g1", "s1");
        await t.OkAsync(new InstructorProfile("i1", "甲", true, StationId: "s1", GroupId: "g1"));
        var code = t.CreditCode(1);
        await t.OkAsync(Of(code, township: "东镇", station: "s1", instructor: "i1"));
        var before = await t.SummaryAsync();
        var station = await t.Station("s1").GetAsync();

        var r = await t.Station("s1").DeleteAsync(Tenant.Actor);
        Tenant.AssertRefused(r, "stationId");
        Assert.Contains("enterprise " + code, r.Errors!["stationId"][0].En);
        Tenant.AssertRefused(await t.Group("g1").DeleteAsync(Tenant.Actor), "groupId");
        Tenant.AssertRefused(await t.Instructor("i1").DeleteAsync(Tenant.Actor), "instructorId");

        var after = await t.Station("s1").GetAsync();
        Assert.Equal(station!.Version, after!.Version);
        Assert.True(await t.County.ExistsAsync(EntityKind.Station, "s1"));
        await t.AssertSummaryUnchangedAsync(before);

        // Once nothing refers to them, they go, in order.
        await t.OkAsync(Of(code, township: "东镇"));
        await t.OkAsync(t.Instructor("i1").DeleteAsync(Tenant.Actor));
        await t.OkAsync(t.Group("g1").DeleteAsync(Tenant.Actor));
        await t.OkAsync(t.Station("s1").DeleteAsync(Tenant.Actor));
        var s = await t.SummaryAsync();
        Assert.Equal(0, s.Stations);
        Assert.Equal(0, s.Groups);
        Assert.Equal(0, s.Instructors.FullTime);
    }

    [Fact]
    public async Task An_enterprise_with_open_issues_cannot_be_deleted_until_they_are_resolved()
    {
        var t = await NewCountyAsync("110411");
        var code = t.CreditCode(1);
        await t.OkAsync(Of(code));
        var issue = await t.RaiseAsync(code);
        var before = await t.SummaryAsync();

        var r = await t.Enterprise(code).DeleteAsync(Tenant.Actor);
        Tenant.AssertRefused(r, "creditCode");
        Assert.Contains("issue " + issue, r.Errors!["creditCode"][0].En);
        Assert.NotNull(await t.Enterprise(code).GetAsync());
        await t.AssertSummaryUnchangedAsync(before);

        await t.OkAsync(t.Issue(issue).ResolveAsync("已解决", Tenant.Actor));
        await t.OkAsync(t.Enterprise(code).DeleteAsync(Tenant.Actor));
        Assert.Null(await t.Enterprise(code).GetAsync());
    }

    [Fact]
    public async Task A_refused_issue_takes_no_number_and_changes_nothing()
    {
        var t = await NewCountyAsync("110412");
        var code = t.CreditCode(1);
        await t.OkAsync(Of(code));
        Assert.Equal("I000001", await t.RaiseAsync(code));
        var before = await t.SummaryAsync();

        var unknown = await t.County.RaiseIssueAsync(t.CreditCode(2), IssueCategory.Financing, "融资难", Tenant.Actor);
        Assert.Null(unknown.Id);
        Tenant.AssertRefused(unknown.Result, "creditCode");
        var blank = await t.County.RaiseIssueAsync(code, IssueCategory.Financing, " ", Tenant.Actor);
        Assert.Null(blank.Id);
        Tenant.AssertRefused(blank.Result, "text");
        var future = await t.County.RaiseIssueAsync(code, IssueCategory.Financing, "融资难", Tenant.Actor, DateTimeOffset.UtcNow.AddDays(1));
        Assert.Null(future.Id);
        Tenant.AssertRefused(future.Result, "at");
        await t.AssertSummaryUnchangedAsync(before);

        // The next issue that is raised gets the number after the last one raised.
        Assert.Equal("I000002", await t.RaiseAsync(code));
    }

    [Fact]
    public async Task An_unconfigured_county_refuses_changes()
    {
        var client = fixture.Client;
        var code = Codes.Make("110499", 1);
        var r = await client.GetGrain<IEnterpriseGrain>(Places.TenantKey("110499", code)).PutAsync(Of(code), Tenant.Actor);
        Tenant.AssertRefused(r, "county");
        Assert.Null(await client.GetGrain<IEnterpriseGrain>(Places.TenantKey("110499", code)).GetAsync());
    }
}
