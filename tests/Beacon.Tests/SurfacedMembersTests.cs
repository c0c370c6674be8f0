using Beacon.Rules;

namespace Beacon.Tests;

/// <summary>
/// 口袋党员 who showed their membership (陇西's 23, seeds/001), kept on the station whose area they were found in and
/// counted per station and for the county beside the station branches' scattered members.
/// </summary>
public sealed class SurfacedMembersTests
{
    [Fact]
    public void Longxis_23_members_who_showed_themselves_are_counted_for_its_station_and_the_county()
    {
        var s = DemoFiguresTests.Summarize(DemoFiguresTests.Register("621122"));
        Assert.Equal(23, s.StationBranchSurfaced);
        Assert.Equal(23, s.StationLinkage.Single(x => x.StationId == "LX-01").BranchSurfaced);
        var surfaced = FigureCatalogue.Read(s).Single(f => f.Figure.Key == "surfacedMembers");
        Assert.Equal(23, surfaced.Value);
    }

    [Fact]
    public void A_negative_count_is_refused_naming_the_field()
    {
        var station = new StationProfile("S1", "城关指导站", ["城关镇"], Branch: new StationBranch(5, 1, -1));
        var v = Registers.Stations.Validate(station, new DateOnly(2026, 12, 2));
        Assert.False(v.IsValid);
        Assert.Contains("branch.surfaced", v.Errors.Keys);
        Assert.True(Registers.Stations.Validate(station with { Branch = new StationBranch(5, 1, 12) }, new DateOnly(2026, 12, 2)).IsValid);
    }
}
