using Beacon.Tests.Infrastructure;
using Orleans.Core.Internal;

namespace Beacon.Tests;

/// <summary>
/// A credit code two counties of a province hold is flagged in the province's comparison. The province's index keeps
/// the holdings in memory only: when it wakes it counts every county's enterprises again, and what it finds replaces
/// the flags the province kept, so a flag a lost call left behind does not stay.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class CreditCodeIndexTests(ClusterFixture fixture)
{
    // Ningxia's 640000 is used by this test only, so its duplicates are these counties' alone.
    private const string Province = "640000";

    private ICreditCodeIndexGrain Index => fixture.Client.GetGrain<ICreditCodeIndexGrain>(Province);

    [Fact]
    public async Task A_code_held_twice_is_flagged_until_one_county_lets_it_go_and_a_woken_index_clears_a_stale_flag()
    {
        var a = await Tenant.CreateAsync(fixture.Client, "640104");
        var b = await Tenant.CreateAsync(fixture.Client, "640105");
        var shared = a.CreditCode(1);
        await a.OkAsync(Ent.Of(shared));
        await a.OkAsync(Ent.Of(a.CreditCode(2)));
        await b.OkAsync(Ent.Of(shared));
        await b.OkAsync(Ent.Of(b.CreditCode(3)));

        var flagged = await Poll.UntilAsync(a.Province.GetComparisonAsync, c => c.Duplicates.Length == 1, "the shared code flagged");
        Assert.Equal(shared, flagged.Duplicates[0].CreditCode);
        Assert.Equal(["640104", "640105"], flagged.Duplicates[0].Counties);

        // A flag the index never sent (as if its call had been lost, or the province kept one from before a removal).
        var ghost = a.CreditCode(2);
        await a.Province.FlagDuplicatesAsync([new DuplicateRegistration(ghost, ["640104", "640105"])]);
        await Poll.UntilAsync(a.Province.GetComparisonAsync, c => c.Duplicates.Length == 2, "the stale flag in the comparison");

        // The index goes; the next enterprise that comes wakes it, and it counts both counties' registers again.
        await Index.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await b.OkAsync(Ent.Of(b.CreditCode(4)));
        var repaired = await Poll.UntilAsync(a.Province.GetComparisonAsync, c => c.Duplicates.Length == 1, "only the real duplicate after the index woke");
        Assert.Equal(shared, repaired.Duplicates.Single().CreditCode);

        // Removing it from one county clears the flag, through the woken index.
        Assert.Equal(ChangeOutcome.Deleted, (await b.Enterprise(shared).DeleteAsync(Tenant.Actor)).Outcome);
        await Poll.UntilAsync(a.Province.GetComparisonAsync, c => c.Duplicates.Length == 0, "no duplicate once one county removed it");
    }
}
