using Beacon.Tests.Infrastructure;
using static Beacon.Tests.Infrastructure.Ent;

namespace Beacon.Tests;

/// <summary>Reconcile rebuilds a county's figures from what its entities say, and reports what differed.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ReconcileTests(ClusterFixture fixture)
{
    private Task<Tenant> NewCountyAsync(string code) => Tenant.CreateAsync(fixture.Client, code);

    private static EnterpriseContribution Bogus(string id, long version, int members, int employees, FormationMode mode = FormationMode.None, bool removed = false) =>
        new(id, version, removed, "", EnterpriseKind.Enterprise, !removed, mode, null, members, employees, null, null, null, null, false, false);

    /// <summary>Builds a small county of every kind of child.</summary>
    private static async Task<string> PopulateAsync(Tenant t)
    {
        await t.StationAsync("s1", "东镇", "西镇");
        await t.GroupAsync("g1", "s1");
        await t.OkAsync(new InstructorProfile("i1", "甲", true, StationId: "s1", GroupId: "g1", Rating: AssessmentRating.Competent));
        var code = t.CreditCode(1);
        await t.OkAsync(Of(code, employees: 10, members: 3, mode: FormationMode.Standalone, township: "东镇", station: "s1", instructor: "i1", archive: new Archive(true, false)));
        await t.OkAsync(Of(t.CreditCode(2), employees: 6, township: "西镇"));
        await t.RaiseAsync(code);
        return code;
    }

    [Fact]
    public async Task Reconcile_replaces_a_wrong_report_with_what_the_enterprise_says_and_lists_what_differed()
    {
        var t = await NewCountyAsync("110301");
        var code = t.CreditCode(1);
        await t.OkAsync(Of(code, employees: 10, members: 3, mode: FormationMode.Standalone));
        await t.OkAsync(Of(t.CreditCode(2), employees: 10));
        var truth = await t.SummaryAsync();

        // A wrong report with a higher version than the enterprise's own: the ledger keeps it, the figures go wrong.
        await t.County.ReportAsync(Bogus(code, version: 10, members: 9, employees: 10));
        var wrong = await t.SummaryAsync();
        Assert.Equal(9, wrong.PartyMembers);
        Assert.Equal(0, wrong.OrgCovered);

        var report = await t.County.ReconcileAsync();

        Assert.Equal("110301", report.County);
        Assert.False(report.Consistent);
        Assert.Equal(2, report.ChildrenAsked);
        Assert.Single(report.ChildrenCorrected);
        var differences = report.Differences.ToDictionary(d => d.Figure, d => (d.Before, d.After));
        Assert.Equal((9, 3), differences["partyMembers"]);
        Assert.Equal((0, 1), differences["orgCovered"]);
        Assert.Equal((0, 0.5), differences["orgCoverage"]);
        Assert.Equal((0, 1), differences["standalone"]);
        Assert.Equal((0.45, 0.15), differences["membersShare"]);
        Assert.False(differences.ContainsKey("employees"));
        Assert.False(differences.ContainsKey("base"));

        // The county now shows what the entities say…
        await t.AssertSummaryUnchangedAsync(truth);
        // …and the enterprise's next change counts, although its version (2) is below the wrong report's (10).
        await t.OkAsync(Of(code, employees: 10, members: 4, mode: FormationMode.Standalone));
        var s = await t.SummaryAsync();
        Assert.Equal(4, s.PartyMembers);
        Assert.Equal(1, s.Standalone);

        // The report names the corrected child by its id as the county knows it (credit codes are upper case).
        Assert.Equal([$"enterprise {code}"], report.ChildrenCorrected);
    }

    [Fact]
    public async Task Reconcile_of_a_consistent_county_changes_nothing_and_says_so()
    {
        var t = await NewCountyAsync("110302");
        await PopulateAsync(t);
        var before = await t.SummaryAsync();

        var report = await t.County.ReconcileAsync();

        Assert.Empty(report.Differences);
        Assert.Empty(report.ChildrenCorrected);
        Assert.True(report.Consistent);
        Assert.Equal(6, report.ChildrenAsked); // 1 station, 1 group, 1 instructor, 2 enterprises, 1 issue
        await t.AssertSummaryUnchangedAsync(before);
    }

    /// <summary>
    /// After the grains were deactivated (a restart, or idle collection), the county's ledger and the station's state are
    /// read back from storage. Nothing changed, so reconcile must still find the county consistent.
    /// </summary>
    [Fact]
    public async Task Reconcile_after_the_grains_were_reactivated_still_finds_a_consistent_county_consistent()
    {
        var t = await NewCountyAsync("110303");
        await PopulateAsync(t);
        var before = await t.SummaryAsync();

        await fixture.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await t.AssertSummaryUnchangedAsync(before);

        var report = await t.County.ReconcileAsync();

        Assert.Empty(report.Differences);
        Assert.Empty(report.ChildrenCorrected); // was ["station s1"]: StationContribution.Townships is an array, compared by reference
        Assert.True(report.Consistent);
    }

    [Fact]
    public async Task Reconcile_drops_a_child_that_no_entity_stands_behind_and_names_it()
    {
        var t = await NewCountyAsync("110304");
        await t.OkAsync(Of(t.CreditCode(1), employees: 10, members: 1));
        var truth = await t.SummaryAsync();
        var phantom = t.CreditCode(77);
        await t.County.ReportAsync(Bogus(phantom, version: 1, members: 5, employees: 50));
        Assert.Equal(2, (await t.SummaryAsync()).Registered);

        var report = await t.County.ReconcileAsync();

        // The figures are repaired…
        await t.AssertSummaryUnchangedAsync(truth);
        Assert.False(await t.County.ExistsAsync(EntityKind.Enterprise, phantom));
        var differences = report.Differences.ToDictionary(d => d.Figure, d => (d.Before, d.After));
        Assert.Equal((2, 1), differences["registered"]);
        Assert.Equal((6, 1), differences["partyMembers"]);
        // …and the report says which child it corrected.
        Assert.Contains($"enterprise {phantom}", report.ChildrenCorrected);
    }

    [Fact]
    public async Task Reconcile_restores_an_enterprise_that_a_wrong_removal_took_out()
    {
        var t = await NewCountyAsync("110305");
        var code = t.CreditCode(1);
        await t.OkAsync(Of(code, employees: 10, members: 3, mode: FormationMode.Standalone));
        await t.OkAsync(Of(t.CreditCode(2), employees: 10));
        var truth = await t.SummaryAsync();

        await t.County.ReportAsync(Bogus(code, version: 10, members: 0, employees: 0, removed: true));
        Assert.Equal(1, (await t.SummaryAsync()).Registered);

        var report = await t.County.ReconcileAsync();

        // The enterprise still exists and says so: after reconcile the county must count it again.
        Assert.NotNull(await t.Enterprise(code).GetAsync());
        await t.AssertSummaryUnchangedAsync(truth);
        Assert.True(await t.County.ExistsAsync(EntityKind.Enterprise, code));
        Assert.Contains($"enterprise {code}", report.ChildrenCorrected);
    }
}
