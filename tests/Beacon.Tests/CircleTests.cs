using Beacon.Tests.Infrastructure;
using static Beacon.Tests.Infrastructure.Ent;

namespace Beacon.Tests;

/// <summary>
/// 一刻钟党建活动圈: a circle's members are computed, never typed — the base enterprises within a quarter of an hour's
/// walk of its centre (962 m straight) — and follow enterprises as they move, come and leave the base.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class CircleTests(ClusterFixture fixture)
{
    /// <summary>陇西's 巩昌镇, roughly.</summary>
    private static readonly GeoPoint Centre = new(35.0003, 104.6345);

    /// <summary>A point <paramref name="metres"/> north of the centre, as the haversine measures it.</summary>
    private static GeoPoint North(double metres) => Geo.Offset(Centre, metres, 0);

    private static CircleProfile Circle(string id, string centre, int walk = Geo.DefaultWalkMinutes, GeoPoint? at = null) =>
        new(id, "陇原中天一刻钟党建活动圈", centre, new ActivityCentre("陇原中天区域党员活动中心", 900, at), WalkMinutes: walk);

    private static ICircleGrain CircleGrain(Tenant t, string id) => t.Client.GetGrain<ICircleGrain>(Places.TenantKey(t.Code, id));

    [Fact]
    public void The_walk_rule_is_a_quarter_of_an_hour_at_5_km_h_over_a_detour_of_1_3()
    {
        Assert.Equal(961.54, Math.Round(Geo.WalkMetres(15), 2));
        Assert.Equal(1000, Math.Round(Geo.Metres(Centre, North(1000)), 6));
    }

    [Fact]
    public void A_location_outside_China_or_a_bad_circle_is_refused_by_field()
    {
        var today = new DateOnly(2026, 12, 3);
        var code = Codes.Make("621122", 1);
        Assert.Contains("location.lat", Registers.Enterprises.Validate(Of(code) with { Location = new GeoPoint(104.6, 35.0) }, today).Errors.Keys);
        Assert.Contains("location.lon", Registers.Enterprises.Validate(Of(code) with { Location = new GeoPoint(35.0, 2.35) }, today).Errors.Keys);
        Assert.True(Registers.Enterprises.Validate(Of(code) with { Location = Centre }, today).IsValid);
        Assert.Contains("location.lat", Registers.Stations.Validate(new StationProfile("S1", "站", ["巩昌镇"], Location: new GeoPoint(60, 104)), today).Errors.Keys);
        var circle = Circle("C1", code);
        Assert.True(Registers.Circles.Validate(circle, today).IsValid);
        Assert.Contains("walkMinutes", Registers.Circles.Validate(circle with { WalkMinutes = 0 }, today).Errors.Keys);
        Assert.Contains("centreCreditCode", Registers.Circles.Validate(circle with { CentreCreditCode = "91-not-a-code" }, today).Errors.Keys);
        Assert.Contains("activityCentre.areaM2", Registers.Circles.Validate(circle with { ActivityCentre = circle.ActivityCentre with { AreaM2 = -1 } }, today).Errors.Keys);
        Assert.Contains("activityCentre.location.lon", Registers.Circles.Validate(
            circle with { ActivityCentre = circle.ActivityCentre with { Location = new GeoPoint(35, 200) } }, today).Errors.Keys);
    }

    [Fact]
    public async Task Members_are_the_base_enterprises_within_the_walk_and_follow_them_as_they_move_come_and_leave()
    {
        var t = await Tenant.CreateAsync(fixture.Client, "621126");
        var centre = t.CreditCode(1);
        var (inside, edgeIn, edgeOut, far) = (t.CreditCode(2), t.CreditCode(3), t.CreditCode(4), t.CreditCode(5));
        await t.OkAsync(Of(centre, employees: 200, members: 12) with { Location = Centre });
        await t.OkAsync(Of(inside, members: 3) with { Location = North(400) });
        await t.OkAsync(Of(edgeIn, members: 1) with { Location = North(960) });
        await t.OkAsync(Of(edgeOut, members: 5) with { Location = North(963) });
        await t.OkAsync(Of(far) with { Location = North(5000) });
        await t.OkAsync(Of(t.CreditCode(6)));   // no location: on no map, in no circle
        await t.OkAsync(CircleGrain(t, "HDQ-1").PutAsync(Circle("HDQ-1", centre), Tenant.Actor));

        var members = (await t.County.GetCircleMembersAsync("HDQ-1"))!;
        Assert.Equal([centre, inside, edgeIn], members.Members.Select(m => m.CreditCode));
        Assert.Equal(960, members.Members[^1].Metres, 0);
        var s = await Poll.UntilAsync(t.SummaryAsync, x => x.Circles.Circles == 1, "the circle in the figures");
        Assert.Equal((1, 3, 16L, 900m), (s.Circles.Circles, s.Circles.EnterprisesWithin, s.Circles.PartyMembersWithin, s.Circles.CentresAreaM2));
        Assert.Equal(0.5, s.Circles.Share);

        // The one just inside moves out; the one just outside moves in; a new one comes within; the near one leaves the base.
        await t.OkAsync(Of(edgeIn, members: 1) with { Location = North(1200) });
        await t.OkAsync(Of(edgeOut, members: 5) with { Location = North(900) });
        var newcomer = t.CreditCode(7);
        await t.OkAsync(Of(newcomer, members: 2) with { Location = North(-300) });
        await t.OkAsync(Of(inside, members: 3, excludedBecause: "注销") with { Location = North(400) });
        members = (await t.County.GetCircleMembersAsync("HDQ-1"))!;
        Assert.Equal([centre, newcomer, edgeOut], members.Members.Select(m => m.CreditCode));
        s = await Poll.UntilAsync(t.SummaryAsync, x => x.Circles.PartyMembersWithin == 19, "the circle's figures after the moves");
        Assert.Equal(3, s.Circles.EnterprisesWithin);

        // An activity centre of its own moves the circle; a longer walk reaches further.
        await t.OkAsync(CircleGrain(t, "HDQ-1").PutAsync(Circle("HDQ-1", centre, at: North(5000)), Tenant.Actor));
        Assert.Equal([far], (await t.County.GetCircleMembersAsync("HDQ-1"))!.Members.Select(m => m.CreditCode));
        await t.OkAsync(CircleGrain(t, "HDQ-1").PutAsync(Circle("HDQ-1", centre, walk: 30), Tenant.Actor));
        Assert.Contains(edgeIn, (await t.County.GetCircleMembersAsync("HDQ-1"))!.Members.Select(m => m.CreditCode));

        // The centre enterprise is held while the circle names it; the map shows what is placed and counts what is not.
        Assert.False((await t.Enterprise(centre).DeleteAsync(Tenant.Actor)).Succeeded);
        var places = await t.County.GetPlacesAsync();
        Assert.Equal(1, places.Unplaced);
        Assert.Equal(5, places.Enterprises.Length); // the one that left the base is on no map
        Assert.Equal(MapCoverage.Neither, places.Enterprises.Single(e => e.CreditCode == centre).Coverage);
        Assert.Equal("HDQ-1", Assert.Single(places.Circles).CircleId);
        Assert.True((await t.County.ReconcileAsync()).Consistent);
        Assert.Null(await t.County.GetCircleMembersAsync("NO-SUCH"));
    }

    [Fact]
    public void Longxi_draws_six_circles_around_its_named_centres_with_4000_square_metres_of_centres_and_six_regional_branches()
    {
        var demo = DemoFiguresTests.Register("621122");
        Assert.Equal(6, demo.Circles.Count);
        Assert.Equal(4000m, demo.Circles.Sum(c => c.ActivityCentre.AreaM2));
        Assert.Equal(["QY-1", "QY-2", "QY-3", "QY-4", "QY-5", "QY-6"], demo.Circles.Select(c => c.OrganisationId));
        Assert.All(demo.Circles.Select(c => c.OrganisationId), id =>
            Assert.Contains(demo.Organisations, o => o.OrganisationId == id && o.Host == OrganisationHost.Region && o.Kind == OrganisationKind.GeneralBranch));
        var byCode = demo.Enterprises.ToDictionary(e => e.CreditCode);
        foreach (var name in new[] { "陇原中天", "宇臻物流", "清吉淀粉", "正东药业" })
            Assert.Contains(demo.Circles, c => c.Name.StartsWith(name, StringComparison.Ordinal) && byCode[c.CentreCreditCode].Name.StartsWith(name, StringComparison.Ordinal));
        var s = DemoFiguresTests.Summarize(demo);
        Assert.Equal(6, s.Circles.Circles);
        // Every circle takes in enterprises around it, the circles a real part of the base but not all of it.
        Assert.InRange(s.Circles.EnterprisesWithin, 60, s.Base - 1);
        Assert.True(s.Circles.PartyMembersWithin > 0);
    }
}
