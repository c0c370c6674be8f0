using Beacon.Grains.Demo;
using static Beacon.Tests.DemoFiguresTests;

namespace Beacon.Tests;

/// <summary>
/// The demo's places (DemoPlaces): every township the demo counties name has a seat in its county, every demo
/// enterprise stands in China near its township's seat, in the same place on every build, and 陇西's county town is
/// dense enough for a quarter of an hour's walk to take in a good many enterprises.
/// </summary>
public sealed class DemoPlacesTests
{
    public static TheoryData<string> Counties() => [.. DemoCounties.All.Select(c => c.Code)];

    /// <summary>Farther from its county's seat than any township of these counties lies (金寨's 天堂寨 is some 60 km away).</summary>
    private const double FarFromCountySeat = 80_000;

    [Theory]
    [MemberData(nameof(Counties))]
    public void Every_township_the_county_names_has_a_seat_in_China_near_the_countys_own(string code)
    {
        var county = County(code);
        var countySeat = DemoPlaces.CountySeat(county);
        Assert.True(Geo.InChina(countySeat), $"{county.Name}: {countySeat}");
        var townships = county.Townships.Concat(county.Stations.SelectMany(s => s.Townships)).Distinct().ToArray();
        Assert.NotEmpty(townships);
        foreach (var t in townships)
        {
            Assert.True(DemoPlaces.Knows(county, t), $"{county.Name}: no seat for {t}");
            var seat = DemoPlaces.Seat(county, t);
            Assert.True(Geo.InChina(seat), $"{county.Name} {t}: {seat}");
            Assert.InRange(Geo.Metres(countySeat, seat), 0, FarFromCountySeat);
        }
    }

    [Theory]
    [MemberData(nameof(Counties))]
    public void Every_enterprise_has_a_location_in_China_within_8_km_of_its_townships_seat(string code)
    {
        var county = County(code);
        var demo = Register(code);
        Assert.All(demo.Enterprises, e =>
        {
            Assert.NotNull(e.Location);
            Assert.True(Geo.InChina(e.Location), $"{e.CreditCode}: {e.Location}");
            Assert.InRange(Geo.Metres(DemoPlaces.Seat(county, e.Township), e.Location), 0, 8_000);
        });
        // The register takes every one of them (its rules refuse a location outside China).
        Assert.All(demo.Enterprises, e => Assert.True(Registers.Enterprises.Validate(e, Rules.Validation.Today(Now)).IsValid, e.CreditCode));
    }

    [Theory]
    [MemberData(nameof(Counties))]
    public void The_same_enterprise_stands_in_the_same_place_on_every_build(string code)
    {
        var first = Register(code).Enterprises.ToDictionary(e => e.CreditCode, e => e.Location);
        var second = new DemoRegister(County(code), Now.AddDays(40)).Enterprises.ToDictionary(e => e.CreditCode, e => e.Location);
        Assert.Equal(first, second);
        // Different enterprises stand in different places.
        Assert.Equal(first.Count, first.Values.Distinct().Count());
    }

    [Fact]
    public void An_enterprises_offset_is_its_credit_codes_alone_the_same_in_every_process()
    {
        // Pinned, so that a hash that changes from process to process (string.GetHashCode) or with the order of the
        // enterprises (a shared System.Random) fails here and not only on a map.
        var longxi = County(DemoRegister.Longxi);
        var site = DemoPlaces.EnterpriseSite(longxi, "巩昌镇", "91621122MA0000000X");
        Assert.Equal(site, DemoPlaces.EnterpriseSite(longxi, "巩昌镇", "91621122MA0000000X"));
        Assert.Equal(PinnedMetres, Math.Round(Geo.Metres(DemoPlaces.Seat(longxi, "巩昌镇"), site)));
        Assert.NotEqual(site, DemoPlaces.EnterpriseSite(longxi, "巩昌镇", "91621122MA0000001X"));
    }

    private const double PinnedMetres = 897;

    [Fact]
    public void In_Longxi_a_quarter_of_an_hours_walk_takes_in_a_good_many_base_enterprises_but_not_a_whole_township()
    {
        var county = County(DemoRegister.Longxi);
        var inBase = Register(DemoRegister.Longxi).Enterprises.Where(e => e.InBase).ToArray();
        var walk = Geo.WalkMetres(Geo.DefaultWalkMinutes);
        Assert.Equal(962, Math.Round(walk));

        // The densest seat: the county town's, with some 100 base enterprises of the development zone's station.
        var bySeat = county.Townships
            .Select(t => (Township: t, Within: inBase.Count(e => Geo.Metres(DemoPlaces.Seat(county, t), e.Location!) <= walk),
                Total: inBase.Count(e => e.Township == t)))
            .OrderByDescending(x => x.Within).ToArray();
        Assert.True(bySeat[0].Within >= 20, $"{bySeat[0].Township}: {bySeat[0].Within} within {walk:F0} m");
        // A realistic share: a walk around the seat does not take in the whole township.
        Assert.InRange((double)bySeat[0].Within / bySeat[0].Total, 0.2, 0.7);

        // Around the most central enterprise, as an activity circle would be drawn.
        var neighbours = inBase.Max(a => inBase.Count(b => b != a && Geo.Metres(a.Location!, b.Location!) <= walk));
        Assert.True(neighbours >= 20, $"{neighbours} within {walk:F0} m of the most central enterprise");
        // And the others of the county are not all on top of one another: most lie beyond a walk of the busiest seat.
        Assert.True(inBase.Count(e => Geo.Metres(DemoPlaces.Seat(county, bySeat[0].Township), e.Location!) > walk) > inBase.Length / 2);
    }

    [Theory]
    [MemberData(nameof(Counties))]
    public void A_station_stands_some_300_m_from_its_first_townships_seat_the_same_on_every_call(string code)
    {
        var county = County(code);
        Assert.All(county.Stations, s =>
        {
            var site = DemoPlaces.StationSite(county, s);
            Assert.True(Geo.InChina(site), $"{s.Id}: {site}");
            Assert.InRange(Geo.Metres(DemoPlaces.Seat(county, s.Townships[0]), site), 200, 400);
            Assert.Equal(site, DemoPlaces.StationSite(county, s));
        });
        var sites = county.Stations.Select(s => DemoPlaces.StationSite(county, s)).ToArray();
        Assert.Equal(sites.Length, sites.Distinct().Count());
    }
}
