using Beacon.Rules;

namespace Beacon.Load;

/// <summary>
/// The generated province: counties with valid 6-digit division codes in one province (62xxxx, prefectures 01…,
/// counties 01–10 in each), stations, and enterprises with valid credit codes, all deterministic, so that every run and
/// every section sees the same data. Members only count for enterprises in the base, so the writes that must move a
/// county's figures go to enterprises in the base.
/// </summary>
public sealed class Province
{
    public const string Code = "620000";
    public const string Name = "甘肃省";

    public string[] Counties { get; }
    public int StationsPerCounty { get; }
    public int EnterprisesPerCounty { get; }

    public Province(int counties, int stationsPerCounty, int enterprisesPerCounty)
    {
        if (counties is < 1 or > 990) throw new ArgumentOutOfRangeException(nameof(counties), "1–990 counties");
        Counties = Enumerable.Range(0, counties).Select(CountyCode).ToArray();
        StationsPerCounty = stationsPerCounty;
        EnterprisesPerCounty = enterprisesPerCounty;
    }

    public static string CountyCode(int i) => $"62{i / 10 + 1:D2}{i % 10 + 1:D2}";

    public static CountyProfile CountyProfileOf(string county, int index) =>
        new(county, $"基准县{index + 1:D3}", $"基准市{county.Substring(2, 2)}", Name);

    public static string StationId(int s) => $"S{s + 1:D2}";

    public StationProfile Station(string county, int s) =>
        new(StationId(s), $"指导站{s + 1}", [$"镇{2 * s + 1:D2}", $"镇{2 * s + 2:D2}"], "站长", "副站长", $"{county}路{s + 1}号");

    /// <summary>18-character unified social credit code: authority 9, kind 1, the county's code, a 9-digit serial, check character.</summary>
    public static string CreditCodeOf(string county, int index)
    {
        var first17 = $"91{county}{index:D9}";
        return first17 + CreditCode.CheckCharacter(first17);
    }

    public static string Key(string county, string id) => Places.TenantKey(county, id);

    private static uint Hash(string county, int index, int salt)
    {
        var h = (uint)(index * 2654435761u) ^ (uint)(int.Parse(county) * 40503) ^ (uint)(salt * 97);
        h ^= h >> 15;
        h *= 2246822519u;
        h ^= h >> 13;
        return h;
    }

    public static bool InBase(int index) => index % 20 != 19;

    /// <summary>The enterprise as generated; <paramref name="members"/> overrides its party members (the live writes raise them).</summary>
    public EnterpriseProfile Enterprise(string county, int index, int? members = null)
    {
        var stations = StationsPerCounty;
        var townshipIndex = stations == 0 ? -1 : index % (2 * stations);
        var linked = stations > 0 && index % 4 != 3;
        var m = members ?? (int)(Hash(county, index, 1) % 30);
        var modeDraw = Hash(county, index, 2) % 10;
        var organisation = modeDraw switch
        {
            0 or 1 => new PartyOrganisation(FormationMode.Standalone),
            2 => new PartyOrganisation(FormationMode.Joint, $"J{index / 5:D6}"),
            3 => new PartyOrganisation(FormationMode.Affiliated, $"A{index / 7:D6}"),
            _ => new PartyOrganisation(FormationMode.None),
        };
        if (organisation.Mode == FormationMode.Standalone && m < Registers.MinStandaloneMembers) m += Registers.MinStandaloneMembers;
        var inBase = InBase(index);
        return new EnterpriseProfile(
            CreditCodeOf(county, index),
            $"基准企业{county}-{index}",
            index % 10 == 9 ? EnterpriseKind.SocialOrganisation : EnterpriseKind.Enterprise,
            "制造业",
            index % 3 == 0,
            // Room for many live writes that each add one member (members may not exceed employees).
            20_000 + (int)(Hash(county, index, 3) % 5_000),
            m,
            inBase,
            inBase ? null : "停业",
            organisation,
            StationId: linked ? StationId(townshipIndex / 2) : null,
            Township: townshipIndex < 0 ? null : $"镇{townshipIndex + 1:D2}",
            Archive: index % 9 == 0 ? new Archive(true, true) : index % 3 == 0 ? new Archive(true, false) : null);
    }

    /// <summary>
    /// The joint and affiliation organisations the county's enterprises name (J… hosts five enterprises' draws, A… seven),
    /// which must be in the county's register before an enterprise can refer to them. Standalone enterprises name none.
    /// </summary>
    public IEnumerable<OrganisationProfile> Organisations(string county) =>
        Enumerable.Range(0, EnterprisesPerCounty)
            .Select(j => Enterprise(county, j).Organisation)
            .Where(o => o is { OrganisationId: not null })
            .Select(o => o!.OrganisationId!)
            .Distinct()
            .Select(id => new OrganisationProfile(id, $"基准党组织{county}-{id}",
                id.StartsWith('J') ? OrganisationKind.JointBranch : OrganisationKind.Branch, OrganisationHost.Joint));

    /// <summary>The base (denominator) a county's summary must show once every enterprise is loaded.</summary>
    public int ExpectedBase => Enumerable.Range(0, EnterprisesPerCounty).Count(InBase);
}
