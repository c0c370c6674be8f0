using Beacon.Rules;

namespace Beacon;

/// <summary>A county tenant's profile and the settings its figures depend on.</summary>
[GenerateSerializer, Immutable]
public sealed record CountyProfile(
    [property: Id(0)] string Code,
    [property: Id(1)] string Name,
    [property: Id(2)] string PrefectureName,
    [property: Id(3)] string ProvinceName,
    [property: Id(4)] double LinkageTarget = 0.7,
    [property: Id(5)] int OverdueDays = 30,
    [property: Id(6)] bool AffiliatedCountsAsCovered = false);

/// <summary>The rules of a county tenant's profile, which its province's administrators keep.</summary>
public static class CountyProfiles
{
    public const int MaxNameLength = 50;
    public const int MaxOverdueDays = 365;

    /// <summary>
    /// What is wrong with the profile, by field: its code (named <c>county</c>, as the route has it) must be a
    /// county-level division, the names are text a person can read, the linkage target a fraction above 0 and at most
    /// 1, an issue falls overdue after 1 to 365 days.
    /// </summary>
    public static Validation Validate(CountyProfile p)
    {
        var v = new Validation();
        if (!Places.IsCountyCode(p.Code))
            v.Add("county", $"{p.Code} 不是县级行政区划代码（6 位数字，末两位不为 00）",
                $"{p.Code} is not the code of a county-level division (6 digits, the last two not 00)");
        v.Text("name", p.Name, MaxNameLength);
        v.Text("prefectureName", p.PrefectureName, MaxNameLength);
        v.Text("provinceName", p.ProvinceName, MaxNameLength);
        // Written so that NaN fails too.
        if (!(p.LinkageTarget > 0 && p.LinkageTarget <= 1))
            v.Add("linkageTarget", "须为大于 0、不超过 1 的小数（70% 写作 0.7）", "must be a fraction above 0 and at most 1 (70% is 0.7)");
        v.Between("overdueDays", p.OverdueDays, 1, MaxOverdueDays);
        return v;
    }
}
