using Beacon.Grains.Demo;
using Beacon.Grains.Hosting;
using Beacon.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using static Beacon.Tests.DemoFiguresTests;

namespace Beacon.Tests;

/// <summary>
/// Demo counties loaded through the grains, as the silo loads them: every organisation, parent and enterprise is
/// accepted by the county's own rules, and the county shows the figures its register sums to, the seeds' among them.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class DemoLoaderTests(ClusterFixture fixture)
{
    private async Task<(DemoRegister Demo, CountySummary Summary)> LoadAsync(string code)
    {
        var demo = new DemoRegister(County(code), DateTimeOffset.UtcNow);
        // The loader throws on the first write the grains refuse.
        await new DemoLoader(fixture.Client, TimeProvider.System, NullLogger<DemoLoader>.Instance, new BeaconOptions()).LoadAsync(demo, CancellationToken.None);
        var county = fixture.Client.GetGrain<ICountyGrain>(code);
        var summary = await Poll.UntilAsync(county.GetSummaryAsync,
            s => s.Base == demo.Enterprises.Count(e => e.InBase) && s.Organisations.Total == demo.Organisations.Count && s.Issues.Raised == demo.Issues.Count,
            $"{code}'s demo figures", TimeSpan.FromSeconds(30));

        var expected = Summarize(demo, summary.AsOf);
        Assert.Equal(
            (expected.Base, expected.OrgCovered, expected.Standalone, expected.Joint, expected.Affiliated, expected.PartyMembers, expected.Employees, expected.Linkage.Linked),
            (summary.Base, summary.OrgCovered, summary.Standalone, summary.Joint, summary.Affiliated, summary.PartyMembers, summary.Employees, summary.Linkage.Linked));
        Assert.Equal(expected.Organisations.ByKind, summary.Organisations.ByKind);
        Assert.Equal(expected.Organisations.ByHost, summary.Organisations.ByHost);
        Assert.Equal(expected.Organisations.TermsDue, summary.Organisations.TermsDue);
        Assert.InRange(summary.Organisations.TermsDue, 1, summary.Organisations.Total - 1);

        // Each organisation is in the register as the demo wrote it, its parent and station with it.
        foreach (var o in demo.Organisations)
            Assert.Equal(o, (await fixture.Client.GetGrain<IOrganisationGrain>(Places.TenantKey(code, o.OrganisationId)).GetAsync())?.Value);
        var reconcile = await county.ReconcileAsync();
        Assert.True(reconcile.Consistent, $"reconcile found {string.Join(", ", reconcile.Differences.Select(d => d.ToString()))}");
        return (demo, summary);
    }

    [Fact]
    public async Task Qingshui_loaded_shows_85_organisations_covering_112_of_509_and_224_members_and_its_4_classes_of_160()
    {
        var (_, s) = await LoadAsync("620521");
        Assert.Equal((509, 112, 0.22, 224L, 85), (s.Base, s.OrgCovered, Math.Round(s.OrgCoverage, 2), s.PartyMembers, s.Organisations.Total));
        Assert.Equal(52, s.Instructors.EnterprisesGuided);
        // The classes and honours are written after what they name, through the same grains.
        s = await Poll.UntilAsync(fixture.Client.GetGrain<ICountyGrain>("620521").GetSummaryAsync, x => x.Honours.Total == 2, "清水's honours");
        Assert.Equal((4, 160), (s.Training.Sessions, s.Training.Attendances));
        Assert.Equal(1, s.Honours.ByKind["pioneerOrganisation"]);
    }

    [Fact]
    public async Task Longxi_loaded_shows_59_organisations_covering_135_of_733_with_the_zones_committee_and_ten_general_branches()
    {
        var (demo, s) = await LoadAsync("621122");
        Assert.Equal((733, 11_799L, 135, 193L, 59), (s.Base, s.Employees, s.OrgCovered, s.PartyMembers, s.Organisations.Total));
        Assert.Equal((1, 10), (s.Organisations.ByKind["committee"], s.Organisations.ByKind["generalBranch"]));
        Assert.Equal((5, 6), (s.Organisations.ByHost["park"], s.Organisations.ByHost["region"]));

        // The tree as the register lists it: four general branches under the committee, branches under each of them.
        var county = fixture.Client.GetGrain<ICountyGrain>("621122");
        var parks = await county.QueryAsync(new RegisterQuery(EntityKind.Organisation, new() { ["parent"] = DemoRegister.ZoneCommittee }));
        Assert.Equal(4, parks.Total);
        foreach (var park in demo.Organisations.Where(o => o.ParentId == DemoRegister.ZoneCommittee))
            Assert.True((await county.QueryAsync(new RegisterQuery(EntityKind.Organisation, new() { ["parent"] = park.OrganisationId }))).Total > 0, $"nothing under {park.Name}");
        Assert.Equal(6, (await county.QueryAsync(new RegisterQuery(EntityKind.Organisation, new() { ["host"] = "region" }))).Total);

        // Last year's evaluations (its survey: 26% good, 62% fairly good, 12% average) of all 59.
        var e = (await Poll.UntilAsync(county.GetSummaryAsync, x => x.Evaluations.Evaluated == demo.Evaluations.Count,
            "陇西's evaluations", TimeSpan.FromSeconds(30))).Evaluations;
        Assert.Equal((s.AsOf.ToOffset(Rules.Validation.ChinaOffset).Year - 1, 59, 15, 37, 7, 0), (e.Year, e.Evaluated, e.Good, e.FairlyGood, e.Average, e.Poor));
        Assert.Equal(0.2542, e.GoodShare);
    }

    [Fact]
    public async Task Xingyi_loaded_shows_28_standalone_branches_and_30_joint_branches()
    {
        var (_, s) = await LoadAsync("522301");
        Assert.Equal((28, 28, 30), (s.Standalone, s.Organisations.ByHost["enterprise"], s.Organisations.ByKind["jointBranch"]));
        Assert.Equal(58, s.Organisations.Total);
    }

    [Fact]
    public async Task Yeji_loaded_shows_its_three_station_branches_and_their_members()
    {
        var (demo, s) = await LoadAsync("341504");
        Assert.Equal(3, s.Organisations.ByHost["station"]);
        Assert.Equal(demo.Stations.Sum(st => st.Branch!.Members), s.StationBranchMembers);
        Assert.Equal(26, s.StationBranchMembers);

        // Last month's meetings and reports, as the demo recorded them, per station and for the county.
        var lastMonth = Rules.OrganisationalLife.LastClosedMonth(Rules.Validation.Today(s.AsOf));
        var held = demo.StationMeetings.Where(m => Rules.OrganisationalLife.MonthIndex(m.Meeting.Date) == lastMonth).Select(m => m.StationId).ToHashSet();
        var sent = demo.StationReports.Where(r => Rules.StationWork.MonthOf(r.Report.Month) == lastMonth).Select(r => r.StationId).ToHashSet();
        Assert.Equal((3, held.Count, sent.Count), (s.StationWork.Stations, s.StationWork.HeldMeeting, s.StationWork.SentReport));
        Assert.All(s.StationLinkage, st => Assert.Equal((held.Contains(st.StationId), sent.Contains(st.StationId)), (st.HeldMeeting, st.SentReport)));
        Assert.Equal(0, s.StationWork.OutsideStrength);
    }
}
