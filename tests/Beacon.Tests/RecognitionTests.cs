using Beacon.Tests.Infrastructure;
using static Beacon.Tests.Infrastructure.Ent;

namespace Beacon.Tests;

/// <summary>
/// Training classes, honours and leading cadres' contact points as registers, and unions and Youth League
/// organisations on the enterprise: their rules refuse by field, what they name must be in the county and is held
/// while they name it, and the county's figures follow them live.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RecognitionTests(ClusterFixture fixture)
{
    private static readonly DateOnly Today = new(2026, 12, 2);

    private static TrainingProfile Class(string id, DateOnly startsOn, int attendances = 40) =>
        new(id, "非公企业党支部书记培训班", TrainingKind.Secretaries, startsOn, 2, 16, attendances, "县委组织部");

    [Fact]
    public void A_training_in_the_future_without_days_or_with_negative_attendances_is_refused_by_field()
    {
        var good = Class("PX1", Today.AddDays(-3));
        Assert.True(Registers.Trainings.Validate(good, Today).IsValid);
        Assert.Contains("startsOn", Registers.Trainings.Validate(good with { StartsOn = Today.AddDays(1) }, Today).Errors.Keys);
        Assert.Contains("days", Registers.Trainings.Validate(good with { Days = 0 }, Today).Errors.Keys);
        Assert.Contains("hours", Registers.Trainings.Validate(good with { Hours = double.NaN }, Today).Errors.Keys);
        Assert.Contains("attendances", Registers.Trainings.Validate(good with { Attendances = -1 }, Today).Errors.Keys);
        Assert.Contains("kind", Registers.Trainings.Validate(good with { Kind = (TrainingKind)9 }, Today).Errors.Keys);
    }

    [Fact]
    public void An_honour_of_a_coming_year_or_a_pioneer_organisation_naming_none_is_refused_by_field()
    {
        var good = new HonourProfile("RY1", "顺达汽车运输有限责任公司党支部", HonourKind.PioneerOrganisation, 2025, "省非公企业党工委", OrganisationId: "O1");
        Assert.True(Registers.Honours.Validate(good, Today).IsValid);
        Assert.Contains("year", Registers.Honours.Validate(good with { Year = 2027 }, Today).Errors.Keys);
        Assert.Contains("organisationId", Registers.Honours.Validate(good with { OrganisationId = null }, Today).Errors.Keys);
        Assert.Contains("awardedBy", Registers.Honours.Validate(good with { AwardedBy = " " }, Today).Errors.Keys);
        // A site is somewhere; an exemplar may be a person the register does not hold.
        var site = good with { Kind = HonourKind.DemonstrationSite, OrganisationId = null };
        Assert.Contains("creditCode", Registers.Honours.Validate(site, Today).Errors.Keys);
        Assert.True(Registers.Honours.Validate(site with { Kind = HonourKind.Exemplar }, Today).IsValid);
    }

    [Fact]
    public void A_contact_point_with_neither_an_enterprise_nor_an_organisation_is_refused()
    {
        var point = new ContactPointProfile("LX1", "王建国", "副区长", Today.AddDays(-100), OrganisationId: "O1");
        Assert.True(Registers.ContactPoints.Validate(point, Today).IsValid);
        Assert.Contains("creditCode", Registers.ContactPoints.Validate(point with { OrganisationId = null }, Today).Errors.Keys);
        Assert.Contains("since", Registers.ContactPoints.Validate(point with { Since = Today.AddDays(1) }, Today).Errors.Keys);
        Assert.Contains("creditCode", Registers.ContactPoints.Validate(point with { CreditCode = "91350100M000100Y44" }, Today).Errors.Keys);
    }

    [Fact]
    public async Task Classes_honours_contact_points_and_unions_move_the_countys_figures_and_back()
    {
        var t = await Tenant.CreateAsync(fixture.Client, "110419");
        var code = t.CreditCode(1);
        await t.OrganisationAsync("O1", OrganisationHost.Enterprise, OrganisationKind.Branch);
        await t.OkAsync(Of(code, employees: 20, members: 4, mode: FormationMode.Standalone, organisationId: "O1") with { Union = true, YouthLeague = true });
        await t.OkAsync(Of(t.CreditCode(2), employees: 30));
        var thisYear = Beacon.Rules.Validation.Today(DateTimeOffset.UtcNow);
        var classes = new[] { Class("PX1", thisYear, 40), Class("PX2", thisYear, 35), Class("PX-OLD", new DateOnly(thisYear.Year - 1, 6, 1), 50) };
        foreach (var c in classes) await t.OkAsync(Grain<ITrainingGrain>(t, c.TrainingId).PutAsync(c, Tenant.Actor));
        await t.OkAsync(Grain<IHonourGrain>(t, "RY1").PutAsync(new HonourProfile("RY1", "党支部", HonourKind.PioneerOrganisation, thisYear.Year, "县委", code, "O1"), Tenant.Actor));
        await t.OkAsync(Grain<IHonourGrain>(t, "RY2").PutAsync(new HonourProfile("RY2", "示范点", HonourKind.DemonstrationSite, thisYear.Year, "县委", code), Tenant.Actor));
        await t.OkAsync(Grain<IContactPointGrain>(t, "LX1").PutAsync(new ContactPointProfile("LX1", "王建国", "县委书记", thisYear, code), Tenant.Actor));

        var s = await Poll.UntilAsync(t.SummaryAsync, x => x.ContactPoints == 1 && x.Honours.Total == 2 && x.Training.Sessions == 2, "the county's new figures");
        // Last year's class is not this year's.
        Assert.Equal((thisYear.Year, 2, 75), (s.Training.Year, s.Training.Sessions, s.Training.Attendances));
        Assert.Equal(1, s.Honours.ByKind["pioneerOrganisation"]);
        Assert.Equal(1, s.Honours.ByKind["demonstrationSite"]);
        Assert.Equal(0, s.Honours.ByKind["exemplar"]);
        Assert.Equal((1, 0.5, 1, 0.5), (s.MassOrganisations.Unions, s.MassOrganisations.UnionRate, s.MassOrganisations.YouthLeague, s.MassOrganisations.YouthLeagueRate));
        var figures = FigureCatalogue.Read(s).ToDictionary(f => f.Figure.Key);
        Assert.Equal(75, figures["trainingAttendances"].Value);
        Assert.Equal(2, figures["honours"].Value);
        Assert.Equal(1, figures["contactPoints"].Value);
        Assert.Equal((0.5, 1, 2), (figures["unionRate"].Value, figures["unionRate"].Numerator, figures["unionRate"].Denominator));

        // The enterprise and its organisation are held while an honour or a contact point names them.
        var refused = await t.Enterprise(code).DeleteAsync(Tenant.Actor);
        Assert.False(refused.Succeeded);
        Assert.False((await t.Organisation("O1").DeleteAsync(Tenant.Actor)).Succeeded);
        // What they name must be in the county.
        Tenant.AssertRefused(await Grain<IHonourGrain>(t, "RY3").PutAsync(
            new HonourProfile("RY3", "先锋", HonourKind.PioneerOrganisation, thisYear.Year, "县委", OrganisationId: "NO-SUCH"), Tenant.Actor), "organisationId");

        await t.OkAsync(Grain<ITrainingGrain>(t, "PX2").DeleteAsync(Tenant.Actor));
        await t.OkAsync(Grain<IHonourGrain>(t, "RY1").DeleteAsync(Tenant.Actor));
        await t.OkAsync(Grain<IHonourGrain>(t, "RY2").DeleteAsync(Tenant.Actor));
        await t.OkAsync(Grain<IContactPointGrain>(t, "LX1").DeleteAsync(Tenant.Actor));
        await t.OkAsync(Of(code, employees: 20, members: 4, mode: FormationMode.Standalone, organisationId: "O1"));
        s = await Poll.UntilAsync(t.SummaryAsync, x => x.ContactPoints == 0 && x.Honours.Total == 0 && x.Training.Sessions == 1 && x.MassOrganisations.Unions == 0, "the figures back");
        Assert.Equal(40, s.Training.Attendances);
        Assert.True((await t.County.ReconcileAsync()).Consistent);
        // Nothing names the enterprise any more.
        await t.OkAsync(t.Enterprise(code).DeleteAsync(Tenant.Actor));
    }

    private static TGrain Grain<TGrain>(Tenant t, string id) where TGrain : IGrainWithStringKey =>
        t.Client.GetGrain<TGrain>(Places.TenantKey(t.Code, id));

    [Fact]
    public void Qingshui_trained_160_in_4_classes_this_year_and_named_its_pioneer_organisation_and_individual()
    {
        var demo = DemoFiguresTests.Register("620521");
        var s = DemoFiguresTests.Summarize(demo);
        Assert.Equal((2026, 4, 160), (s.Training.Year, s.Training.Sessions, s.Training.Attendances));
        var pioneer = demo.Honours.Single(h => h.Kind == HonourKind.PioneerOrganisation);
        Assert.Equal("清水县顺达汽车运输有限责任公司党支部", pioneer.Name);
        Assert.Equal("清水县顺达汽车运输有限责任公司", demo.Enterprises.Single(e => e.CreditCode == pioneer.CreditCode).Name);
        Assert.Equal(pioneer.Name, demo.Organisations.Single(o => o.OrganisationId == pioneer.OrganisationId).Name);
        Assert.Contains("黄启保", demo.Honours.Single(h => h.Kind == HonourKind.PioneerPost).Name);
        Assert.Equal(2, s.Honours.Total);
    }

    [Fact]
    public void Yinzhou_keeps_146_contact_points_125_sites_56_exemplars_55_harmonious_enterprises_and_75_members_through_its_chambers()
    {
        var demo = DemoFiguresTests.Register("330212");
        var s = DemoFiguresTests.Summarize(demo);
        Assert.Equal(146, s.ContactPoints);
        Assert.Equal((125, 56, 55), (s.Honours.ByKind["demonstrationSite"], s.Honours.ByKind["exemplar"], s.Honours.ByKind["harmoniousEnterprise"]));
        var chambers = demo.Organisations.Where(o => o.Host == OrganisationHost.Chamber).Select(o => o.OrganisationId).ToHashSet();
        Assert.Equal(23, chambers.Count);
        var developed = demo.Applicants.Where(a => a.ProbationaryOn is { } on && on > Today.AddDays(-730)).ToArray();
        Assert.Equal(75, developed.Length);
        Assert.All(demo.Applicants, a => Assert.Contains(a.OrganisationId, chambers));
        // Every honour and contact point names what the register holds.
        var codes = demo.Enterprises.Select(e => e.CreditCode).ToHashSet();
        Assert.All(demo.Honours, h => Assert.Contains(h.CreditCode!, codes));
        Assert.All(demo.ContactPoints, p => Assert.Contains(p.CreditCode!, codes));
        Assert.Equal(146, demo.ContactPoints.Select(p => p.CreditCode).Distinct().Count());
    }

    [Fact]
    public void Xingyi_has_250_enterprises_with_a_union_and_20_with_a_Youth_League_organisation()
    {
        var s = DemoFiguresTests.Summarize(DemoFiguresTests.Register("522301"));
        Assert.Equal((250, 20), (s.MassOrganisations.Unions, s.MassOrganisations.YouthLeague));
        Assert.Equal(Math.Round(250.0 / s.Base, 4), s.MassOrganisations.UnionRate);
    }
}
