using Beacon.Grains.Figures;
using Beacon.Rules;

namespace Beacon.Tests.Infrastructure;

/// <summary>One county of the shared cluster, with short ways to reach its grains. Every test uses its own county code.</summary>
public sealed class Tenant(IClusterClient client, string code)
{
    /// <summary>Grain tests act as Beacon itself; what each role may do is tested through the gateway and in ActorTests.</summary>
    public static readonly Actor Actor = Beacon.Actor.System("test");

    public string Code { get; } = code;
    public IClusterClient Client { get; } = client;

    public static async Task<Tenant> CreateAsync(IClusterClient client, string code, bool affiliatedCountsAsCovered = false)
    {
        var tenant = new Tenant(client, code);
        await tenant.County.ConfigureAsync(tenant.Profile(affiliatedCountsAsCovered));
        return tenant;
    }

    public CountyProfile Profile(bool affiliatedCountsAsCovered = false) =>
        new(Code, $"县{Code}", $"市{Places.PrefectureOf(Code)}", Places.ProvinceName(Places.ProvinceOf(Code)),
            AffiliatedCountsAsCovered: affiliatedCountsAsCovered);

    public ICountyGrain County => Client.GetGrain<ICountyGrain>(Code);
    public IProvinceGrain Province => Client.GetGrain<IProvinceGrain>(Places.ProvinceOf(Code));
    public IEnterpriseGrain Enterprise(string creditCode) => Client.GetGrain<IEnterpriseGrain>(Places.TenantKey(Code, creditCode));
    public IStationGrain Station(string id) => Client.GetGrain<IStationGrain>(Places.TenantKey(Code, id));
    public IInstructorGroupGrain Group(string id) => Client.GetGrain<IInstructorGroupGrain>(Places.TenantKey(Code, id));
    public IInstructorGrain Instructor(string id) => Client.GetGrain<IInstructorGrain>(Places.TenantKey(Code, id));
    public IIssueGrain Issue(string id) => Client.GetGrain<IIssueGrain>(Places.TenantKey(Code, id));
    public IOrganisationGrain Organisation(string id) => Client.GetGrain<IOrganisationGrain>(Places.TenantKey(Code, id));

    public Task<CountySummary> SummaryAsync() => County.GetSummaryAsync();

    /// <summary>A valid credit code, distinct per county and number.</summary>
    public string CreditCode(int n) => Codes.Make(Code, n);

    public Task<ChangeResult> PutAsync(EnterpriseProfile p) => Enterprise(p.CreditCode).PutAsync(p, Actor);
    public Task<ChangeResult> PutAsync(StationProfile p) => Station(p.StationId).PutAsync(p, Actor);
    public Task<ChangeResult> PutAsync(InstructorGroupProfile p) => Group(p.GroupId).PutAsync(p, Actor);
    public Task<ChangeResult> PutAsync(InstructorProfile p) => Instructor(p.InstructorId).PutAsync(p, Actor);
    public Task<ChangeResult> PutAsync(OrganisationProfile p) => Organisation(p.OrganisationId).PutAsync(p, Actor);

    public async Task<ChangeResult> OkAsync(Task<ChangeResult> change)
    {
        var result = await change;
        Assert.True(result.Succeeded, $"expected success, got {result.Outcome}: {Describe(result)}");
        return result;
    }

    public Task OkAsync(EnterpriseProfile p) => OkAsync(PutAsync(p));
    public Task OkAsync(StationProfile p) => OkAsync(PutAsync(p));
    public Task OkAsync(InstructorGroupProfile p) => OkAsync(PutAsync(p));
    public Task OkAsync(InstructorProfile p) => OkAsync(PutAsync(p));
    public Task OkAsync(OrganisationProfile p) => OkAsync(PutAsync(p));

    /// <summary>An organisation of the register; a joint branch unless said otherwise.</summary>
    public Task OrganisationAsync(string id, OrganisationHost host = OrganisationHost.Joint,
        OrganisationKind kind = OrganisationKind.JointBranch, string? parent = null) =>
        OkAsync(new OrganisationProfile(id, $"党组织{id}", kind, host, ParentId: parent));

    public Task StationAsync(string id, params string[] townships) => OkAsync(new StationProfile(id, $"站{id}", townships));
    public Task GroupAsync(string id, string station) => OkAsync(new InstructorGroupProfile(id, $"组{id}", station));

    /// <summary>Raises an issue at the enterprise and answers its id.</summary>
    public async Task<string> RaiseAsync(string creditCode, string text = "融资难")
    {
        var (id, result) = await County.RaiseIssueAsync(creditCode, IssueCategory.Financing, text, Actor);
        await OkAsync(Task.FromResult(result));
        return id!;
    }

    public static string Describe(ChangeResult r) =>
        r.Errors is null ? "(no errors)" : string.Join("; ", r.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value.Select(w => w.En))}"));

    /// <summary>Asserts a refusal that names <paramref name="field"/>.</summary>
    public static void AssertRefused(ChangeResult r, string field)
    {
        Assert.Equal(ChangeOutcome.Invalid, r.Outcome);
        Assert.NotNull(r.Errors);
        Assert.True(r.Errors!.ContainsKey(field), $"expected an error for '{field}', got {Describe(r)}");
    }

    /// <summary>Every figure of a summary, by name, to compare two summaries regardless of their sequence numbers.</summary>
    public static (string, double)[] Figures(CountySummary s) => [.. SummaryFigures.Flatten(s)];

    /// <summary>The figures the county shows now equal those before; the station table too (rates included).</summary>
    public async Task AssertSummaryUnchangedAsync(CountySummary before)
    {
        var after = await SummaryAsync();
        Assert.Equal(Figures(before), Figures(after));
        Assert.Equal(before.StationLinkage, after.StationLinkage);
        Assert.Equal(before.Instructors.GroupsBelowTwoFullTime, after.Instructors.GroupsBelowTwoFullTime);
        Assert.Equal(before.Issues, after.Issues);
        Assert.Equal(before.Archives, after.Archives);
        Assert.Equal(before.Assessments, after.Assessments);
        Assert.Equal(before.Instructors.EnterprisesPerInstructor, after.Instructors.EnterprisesPerInstructor);
    }
}

public static class Codes
{
    /// <summary>
    /// An 18-character credit code: 9 (工商) 1 (企业), the county's division code, a 9-character organisation code,
    /// and the check character computed by the rule under test.
    /// </summary>
    public static string Make(string county, int n)
    {
        var first17 = $"91{county}MA{n:D7}";
        return first17 + CreditCode.CheckCharacter(first17);
    }
}

/// <summary>Enterprise profiles with only what a test cares about.</summary>
public static class Ent
{
    public static EnterpriseProfile Of(string creditCode, int employees = 10, int members = 0,
        FormationMode mode = FormationMode.None, string? organisationId = null,
        string? township = null, string? station = null, string? group = null, string? instructor = null,
        Archive? archive = null, string? excludedBecause = null) =>
        new(creditCode, $"企业{creditCode[^6..]}", EnterpriseKind.Enterprise, "制造业", false, employees, members,
            InBase: excludedBecause is null, ExclusionReason: excludedBecause,
            Organisation: new PartyOrganisation(mode, organisationId),
            StationId: station, GroupId: group, InstructorId: instructor, Township: township, Archive: archive);
}
