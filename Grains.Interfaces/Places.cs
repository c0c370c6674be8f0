namespace Beacon;

/// <summary>
/// Administrative divisions by their 6-digit national division code (行政区划代码).
/// The code itself says where a county sits: its first two digits are the province, the first four the prefecture.
/// </summary>
public static class Places
{
    public static bool IsDivisionCode(string? code) =>
        code is { Length: 6 } && code.All(char.IsAsciiDigit) && code[..2] != "00";

    /// <summary>A county-level division: its last two digits are not 00.</summary>
    public static bool IsCountyCode(string? code) => IsDivisionCode(code) && code![4..] != "00";

    /// <summary>A province: only its first two digits are set.</summary>
    public static bool IsProvinceCode(string? code) => IsDivisionCode(code) && code![2..] == "0000";

    /// <summary>A prefecture-level division (市、州、盟, or a municipality's 市辖区): its last two digits are 00, the two before are not.</summary>
    public static bool IsPrefectureCode(string? code) => IsDivisionCode(code) && code![4..] == "00" && code[2..4] != "00";

    /// <summary>The province of a county or a prefecture.</summary>
    public static string ProvinceOf(string code) => code[..2] + "0000";

    public static string PrefectureOf(string county) => county[..4] + "00";

    /// <summary>The key of a tenant-owned grain: the county code, a slash, the entity's id in that county.</summary>
    public static string TenantKey(string county, string id) => $"{county}/{id}";

    public static (string County, string Id) SplitTenantKey(string key)
    {
        var slash = key.IndexOf('/');
        if (slash < 0) throw new ArgumentException($"'{key}' is not a tenant key (county/id).", nameof(key));
        return (key[..slash], key[(slash + 1)..]);
    }

    private static readonly Dictionary<string, string> Provinces = new()
    {
        ["110000"] = "北京市", ["120000"] = "天津市", ["130000"] = "河北省", ["140000"] = "山西省", ["150000"] = "内蒙古自治区",
        ["210000"] = "辽宁省", ["220000"] = "吉林省", ["230000"] = "黑龙江省", ["310000"] = "上海市", ["320000"] = "江苏省",
        ["330000"] = "浙江省", ["340000"] = "安徽省", ["350000"] = "福建省", ["360000"] = "江西省", ["370000"] = "山东省",
        ["410000"] = "河南省", ["420000"] = "湖北省", ["430000"] = "湖南省", ["440000"] = "广东省", ["450000"] = "广西壮族自治区",
        ["460000"] = "海南省", ["500000"] = "重庆市", ["510000"] = "四川省", ["520000"] = "贵州省", ["530000"] = "云南省",
        ["540000"] = "西藏自治区", ["610000"] = "陕西省", ["620000"] = "甘肃省", ["630000"] = "青海省", ["640000"] = "宁夏回族自治区",
        ["650000"] = "新疆维吾尔自治区",
    };

    /// <summary>The national list's provincial divisions, by code.</summary>
    public static IEnumerable<string> ProvinceCodes => Provinces.Keys;

    /// <summary>The province's name, or its code for one not in the national list.</summary>
    public static string ProvinceName(string province) => Provinces.GetValueOrDefault(province, province);
}
