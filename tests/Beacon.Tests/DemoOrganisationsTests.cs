using Beacon.Grains.Demo;
using Beacon.Rules;
using static Beacon.Tests.DemoFiguresTests;

namespace Beacon.Tests;

/// <summary>
/// The demo counties' party organisations, as the seeds describe them: 清水's 85, 陇西's 59 with the development zone's
/// "1+4+N" and the six regional general branches, 兴义's 28 standalone and 30 joint branches, 鄞州's chamber general
/// branch and 22 chamber branches, 六安's 27 station branches; and that every register is one the grains accept.
/// </summary>
public sealed class DemoOrganisationsTests
{
    private static readonly DateOnly Today = Validation.Today(Now);
    private static readonly string[] LuAn = ["341502", "341503", "341504", "341522", "341523", "341524", "341525"];

    private static ILookup<string, EnterpriseProfile> CoveredBy(DemoRegister demo) =>
        demo.Enterprises.Where(e => e.Organisation.OrganisationId is not null).ToLookup(e => e.Organisation.OrganisationId!);

    private static ILookup<string, OrganisationProfile> Children(DemoRegister demo) =>
        demo.Organisations.Where(o => o.ParentId is not null).ToLookup(o => o.ParentId!);

    public static TheoryData<string> Counties() => [.. DemoCounties.All.Select(c => c.Code)];

    [Theory]
    [MemberData(nameof(Counties))]
    public void Every_organisation_is_one_the_register_takes_with_its_parent_written_before_it(string code)
    {
        var demo = Register(code);
        var byId = new Dictionary<string, OrganisationProfile>();
        var stations = demo.Stations.Select(s => s.StationId).ToHashSet();
        foreach (var o in demo.Organisations)
        {
            var rules = Registers.Organisations.Validate(o, Today);
            Assert.True(rules.IsValid, $"{o}: {string.Join("; ", rules.Errors.Select(e => $"{e.Key} {string.Join(", ", e.Value.Select(w => w.En))}"))}");
            Assert.True(byId.TryAdd(o.OrganisationId, o), $"{o.OrganisationId} twice");
            if (o.ParentId is { } parent)
            {
                // Written before it (so no cycle can close), and a committee or a general branch.
                Assert.True(byId.TryGetValue(parent, out var p), $"{o.OrganisationId}'s parent {parent} is not written before it");
                Assert.Contains(p!.Kind, new[] { OrganisationKind.Committee, OrganisationKind.GeneralBranch });
                Assert.True(p.EstablishedOn <= o.EstablishedOn, $"{o.OrganisationId} was established before its parent {parent}");
            }
            if (o.StationId is { } station) Assert.Contains(station, stations);
            Assert.Equal(o.Host == OrganisationHost.Station, o.OrganisationId.EndsWith("-DZB"));
        }
        Assert.Equal(demo.Organisations.Count, demo.Organisations.Select(o => o.Name).Distinct().Count());
        Assert.Equal(County(code).Organisations, demo.Organisations.Count);
        Assert.Equal(County(code).Organisations, Summarize(demo).Organisations.Total);
    }

    [Theory]
    [MemberData(nameof(Counties))]
    public void Every_enterprise_names_an_organisation_of_the_register_that_fits_how_it_is_covered(string code)
    {
        var demo = Register(code);
        var byId = demo.Organisations.ToDictionary(o => o.OrganisationId);
        foreach (var e in demo.Enterprises)
        {
            var rules = Registers.Enterprises.Validate(e, Today);
            Assert.True(rules.IsValid, $"{e.CreditCode}: {string.Join("; ", rules.Errors.Select(x => x.Key))}");
            var (mode, id) = (e.Organisation.Mode, e.Organisation.OrganisationId);
            if (mode == FormationMode.None)
            {
                Assert.Null(id);
                continue;
            }
            Assert.True(id is not null && byId.ContainsKey(id), $"{e.CreditCode} ({mode}) names {id ?? "nothing"}, which is not in the register");
            var host = byId[id!].Host;
            switch (mode)
            {
                case FormationMode.Standalone:
                    Assert.Equal(OrganisationHost.Enterprise, host);
                    Assert.Equal($"{e.Name}党支部", byId[id!].Name);
                    break;
                case FormationMode.Joint:
                    Assert.Contains(host, new[] { OrganisationHost.Joint, OrganisationHost.Chamber, OrganisationHost.Park, OrganisationHost.Region });
                    break;
            }
        }
        // A standalone organisation is its one enterprise's own.
        var standalone = demo.Enterprises.Where(e => e.Organisation.Mode == FormationMode.Standalone).ToArray();
        Assert.Equal(standalone.Length, standalone.Select(e => e.Organisation.OrganisationId).Distinct().Count());
        Assert.Equal(standalone.Length, demo.Organisations.Count(o => o.Host == OrganisationHost.Enterprise));

        // An organisation that covers enterprises has members among them.
        var byOrganisation = CoveredBy(demo);
        Assert.All(byOrganisation, g => Assert.True(g.Sum(e => e.PartyMembers) > 0, $"{byId[g.Key].Name} covers {g.Count()} enterprise(s) without a member"));

        // Every organisation has something to lead: enterprises it covers, organisations under it, or a station's members.
        var covered = CoveredBy(demo);
        var children = Children(demo);
        Assert.All(demo.Organisations, o => Assert.True(covered[o.OrganisationId].Any() || children[o.OrganisationId].Any() || o.Host == OrganisationHost.Station,
            $"{o.OrganisationId} {o.Name} covers no enterprise and has no organisation under it"));
    }

    [Fact]
    public void Qingshui_has_85_organisations_50_standalone_branches_and_35_joint_branches()
    {
        var demo = Register("620521");
        Assert.Equal(85, demo.Organisations.Count);
        Assert.Equal(50, demo.Organisations.Count(o => o is { Kind: OrganisationKind.Branch, Host: OrganisationHost.Enterprise }));
        Assert.Equal(35, demo.Organisations.Count(o => o is { Kind: OrganisationKind.JointBranch, Host: OrganisationHost.Joint }));
        Assert.All(demo.Organisations, o => Assert.Null(o.ParentId));
        Assert.All(demo.Organisations.Where(o => o.Host == OrganisationHost.Joint), o => Assert.Matches("^清水县.+(镇|乡)非公企业(第.+)?联合党支部$", o.Name));
        var covered = CoveredBy(demo);
        Assert.Equal(112, covered.Sum(g => g.Count()));
    }

    [Fact]
    public void Longxi_has_the_development_zones_1_4_N_and_six_regional_general_branches_among_its_59_organisations_covering_135()
    {
        var demo = Register("621122");
        var children = Children(demo);
        var covered = CoveredBy(demo);
        Assert.Equal(59, demo.Organisations.Count);
        Assert.Equal(135, covered.Sum(g => g.Count()));

        // "1": the zone's working committee, hosted by the zone, at the top.
        var committee = Assert.Single(demo.Organisations, o => o.Kind == OrganisationKind.Committee);
        Assert.Equal(("陇西经济开发区党工委", OrganisationHost.Park, null, 5), (committee.Name, committee.Host, committee.ParentId, committee.TermYears));

        // "4": a general branch per park under it.
        var parks = children[committee.OrganisationId].ToArray();
        Assert.Equal(
            ["陇西经济开发区中医药循环经济产业园联合党总支", "陇西经济开发区工业集中园联合党总支", "陇西经济开发区文峰物流园联合党总支", "陇西经济开发区地产药材交易园联合党总支"],
            parks.Select(p => p.Name));
        Assert.All(parks, p => Assert.Equal((OrganisationKind.GeneralBranch, OrganisationHost.Park, 3), (p.Kind, p.Host, p.TermYears)));

        // "N": branches under each park's general branch, the enterprises' own and joint ones.
        Assert.All(parks, p => Assert.NotEmpty(children[p.OrganisationId]));
        Assert.All(parks.SelectMany(p => children[p.OrganisationId]), b => Assert.Contains(b.Kind, new[] { OrganisationKind.Branch, OrganisationKind.JointBranch }));
        Assert.Contains(parks.SelectMany(p => children[p.OrganisationId]), b => b.Host == OrganisationHost.Enterprise);
        Assert.Contains(parks.SelectMany(p => children[p.OrganisationId]), b => b.Host == OrganisationHost.Joint);

        // Six regional general branches, one per activity circle, named by its centre: the enterprises of the circle
        // without an organisation of their own, and branches, are under it.
        var regions = demo.Organisations.Where(o => o.Host == OrganisationHost.Region).ToArray();
        Assert.Equal(
            ["陇西县陇原中天区域党总支", "陇西县宇臻物流区域党总支", "陇西县清吉淀粉区域党总支", "陇西县正东药业区域党总支", "陇西县惠森药业区域党总支", "陇西县首阳区域党总支"],
            regions.Select(r => r.Name));
        Assert.All(regions, r => Assert.Equal((OrganisationKind.GeneralBranch, null), (r.Kind, r.ParentId)));
        Assert.All(regions, r => Assert.NotEmpty(children[r.OrganisationId]));
        Assert.All(regions, r => Assert.All(covered[r.OrganisationId], e => Assert.Equal(FormationMode.Joint, e.Organisation.Mode)));
        Assert.All(regions, r => Assert.NotEmpty(covered[r.OrganisationId]));

        // The affiliated enterprises are attached to the park general branches; every branch is under a general branch.
        Assert.All(demo.Enterprises.Where(e => e.Organisation.Mode == FormationMode.Affiliated),
            e => Assert.Contains(e.Organisation.OrganisationId, parks.Select(p => p.OrganisationId)));
        var generalBranches = parks.Concat(regions).Select(g => g.OrganisationId).ToHashSet();
        var branches = demo.Organisations.Where(o => o.Kind is OrganisationKind.Branch or OrganisationKind.JointBranch).ToArray();
        Assert.Equal(48, branches.Length);
        Assert.All(branches, b => Assert.True(b.ParentId is not null && generalBranches.Contains(b.ParentId), $"{b.Name} is under {b.ParentId ?? "nothing"}"));
        Assert.Equal(1 + 4 + 6 + 48, demo.Organisations.Count);

        var figures = Summarize(demo).Organisations;
        Assert.Equal(new Dictionary<string, int> { ["committee"] = 1, ["generalBranch"] = 10, ["branch"] = 30, ["jointBranch"] = 18 }, figures.ByKind);
        Assert.Equal(new Dictionary<string, int> { ["enterprise"] = 30, ["joint"] = 18, ["chamber"] = 0, ["park"] = 5, ["region"] = 6, ["station"] = 0 }, figures.ByHost);
    }

    [Fact]
    public void Xingyi_has_28_standalone_branches_and_30_joint_branches_that_affiliated_enterprises_set_up()
    {
        var demo = Register("522301");
        var covered = CoveredBy(demo);
        Assert.Equal(58, demo.Organisations.Count);
        var own = demo.Organisations.Where(o => o is { Kind: OrganisationKind.Branch, Host: OrganisationHost.Enterprise }).ToArray();
        Assert.Equal(28, own.Length);
        Assert.All(own, o => Assert.Equal(FormationMode.Standalone, Assert.Single(covered[o.OrganisationId]).Organisation.Mode));

        // 掛靠建立聯合黨支部30家: joint branches (host joint) whose enterprises are attached to them (mode affiliated).
        var joint = demo.Organisations.Where(o => o is { Kind: OrganisationKind.JointBranch, Host: OrganisationHost.Joint }).ToArray();
        Assert.Equal(30, joint.Length);
        Assert.All(joint, o =>
        {
            Assert.All(covered[o.OrganisationId], e => Assert.Equal(FormationMode.Affiliated, e.Organisation.Mode));
            Assert.True(covered[o.OrganisationId].Count() >= 2, $"{o.Name} covers {covered[o.OrganisationId].Count()} enterprise(s), not several");
            Assert.True(covered[o.OrganisationId].Sum(e => e.PartyMembers) >= Registers.MinStandaloneMembers, $"{o.Name} has fewer than 3 members");
            Assert.Matches("^兴义市.+(街道|镇)非公企业(第.+)?联合党支部$", o.Name);
        });
        Assert.Equal(demo.Enterprises.Count(e => e.Organisation.Mode == FormationMode.Affiliated), joint.Sum(o => covered[o.OrganisationId].Count()));
        Assert.Contains(own.Concat(joint), o => o.SecretaryIsOwner);

        var s = Summarize(demo);
        Assert.Equal((28, 0), (s.Standalone, s.Joint));
        Assert.Equal(30, s.Organisations.ByKind["jointBranch"]);
    }

    [Fact]
    public void Yinzhou_has_a_chamber_general_branch_and_22_chamber_branches_covering_joint_enterprises_of_their_place()
    {
        var demo = Register("330212");
        var covered = CoveredBy(demo);
        var chambers = demo.Organisations.Where(o => o.Host == OrganisationHost.Chamber).ToArray();
        var general = Assert.Single(chambers, o => o.Kind == OrganisationKind.GeneralBranch);
        Assert.Equal("宁波市鄞州区姜山商会党总支", general.Name);
        var branches = chambers.Where(o => o.Kind == OrganisationKind.Branch).ToArray();
        Assert.Equal(22, branches.Length);
        Assert.Equal(23, chambers.Length);
        Assert.All(branches, b => Assert.Matches("^宁波市鄞州区.+商会党支部$", b.Name));
        Assert.All(chambers, o =>
        {
            Assert.NotEmpty(covered[o.OrganisationId]);
            Assert.All(covered[o.OrganisationId], e => Assert.Equal(FormationMode.Joint, e.Organisation.Mode));
            // A chamber's enterprises are of its place: 宁波市鄞州区姜山商会党总支 covers enterprises of 姜山镇.
            Assert.All(covered[o.OrganisationId], e => Assert.StartsWith($"宁波市鄞州区{System.Text.RegularExpressions.Regex.Replace(e.Township!, "(街道|镇|乡)$", "")}商会", o.Name));
        });

        // 帮助18家非公有制企业组建了党支部: the branches of 18 enterprises of 姜山 are under the chamber's general branch.
        var under = Children(demo)[general.OrganisationId].ToArray();
        Assert.Equal(18, under.Length);
        Assert.All(under, b => Assert.Equal(("姜山镇", OrganisationHost.Enterprise), (Assert.Single(covered[b.OrganisationId]).Township, b.Host)));
        Assert.All(demo.Organisations.Where(o => o.ParentId is not null), o => Assert.Equal(general.OrganisationId, o.ParentId));

        var s = Summarize(demo);
        Assert.Equal(1 + 22, s.Organisations.ByHost["chamber"]);
        Assert.Equal(604 + 119 + 23 + 19, s.Organisations.Total);
    }

    [Fact]
    public void The_counties_of_LuAn_have_27_station_branches_one_per_station_holding_261_members()
    {
        var registers = LuAn.Select(code => Register(code)).ToArray();
        var branches = registers.SelectMany(r => r.Organisations.Where(o => o.Host == OrganisationHost.Station)).ToArray();
        Assert.Equal(27, branches.Length);
        Assert.All(branches, b => Assert.Equal((OrganisationKind.Branch, $"{b.StationId}-DZB"), (b.Kind, b.OrganisationId)));
        Assert.All(branches, b => Assert.Matches("^(六安市.+区|.+县).+(指导站|分站)党支部$", b.Name));
        foreach (var r in registers)
        {
            // One per station, and each station's branch members are what it holds.
            Assert.Equal(r.Stations.Select(s => s.StationId).Order(), r.Organisations.Where(o => o.Host == OrganisationHost.Station).Select(o => o.StationId!).Order());
            Assert.All(r.Stations, s => Assert.True(s.Branch is { Members: > 0 }));
        }
        Assert.Equal(261, registers.Sum(r => r.Stations.Sum(s => s.Branch!.Members)));
        Assert.Equal(27, registers.Sum(r => Summarize(r).Organisations.ByHost["station"]));

        // Station branches are 六安's alone.
        Assert.All(DemoCounties.All.Where(c => !LuAn.Contains(c.Code)),
            c => Assert.DoesNotContain(new DemoRegister(c, Now).Organisations, o => o.Host == OrganisationHost.Station));
    }

    [Theory]
    [MemberData(nameof(Counties))]
    public void Terms_are_five_years_for_committees_and_three_for_the_rest_and_some_fall_due_within_90_days(string code)
    {
        var demo = Register(code);
        Assert.All(demo.Organisations, o => Assert.Equal(o.Kind == OrganisationKind.Committee ? 5 : 3, o.TermYears));
        Assert.All(demo.Organisations, o => Assert.True(o.EstablishedOn <= o.TermStartedOn && o.TermStartedOn <= Today, $"{o.OrganisationId}: {o.EstablishedOn} {o.TermStartedOn}"));
        var ends = demo.Organisations.Select(o => o.TermStartedOn!.Value.AddYears(o.TermYears)).ToArray();
        var due = ends.Count(e => e <= Today.AddDays(90));
        Assert.InRange(due, 1, demo.Organisations.Count / 5);
        Assert.Equal(due, Summarize(demo).Organisations.TermsDue);

        // 一肩挑: some standalone branches' secretaries are their enterprise's owner, and only those.
        Assert.Contains(demo.Organisations, o => o.SecretaryIsOwner);
        Assert.All(demo.Organisations.Where(o => o.SecretaryIsOwner), o => Assert.Equal(OrganisationHost.Enterprise, o.Host));
        Assert.All(demo.Organisations, o => Assert.False(string.IsNullOrWhiteSpace(o.Secretary)));
    }
}
