using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;

namespace Beacon.Grains.Demo;

/// <summary>
/// Where the demo counties' places are, so that their maps and activity circles look like the counties they are: the
/// seat of each county and of each township (镇政府, 乡政府, 街道办事处, a zone's administration) that
/// <see cref="DemoCounties"/> names, and the demo's enterprises and stations placed around them deterministically.
/// </summary>
/// <remarks>
/// The coordinates are approximate demo positions (WGS-84, to about a kilometre at best), written from general
/// knowledge of the places, not survey data; those marked <c>// approximate</c> are estimates within the county's
/// real extent, and may be several kilometres off.
/// </remarks>
public static class DemoPlaces
{
    // One row per seat: the county's code, the place (the county's own name for its seat), latitude, longitude.
    private static readonly (string County, string Place, double Lat, double Lon)[] Seats =
    [
        // 清水县, 天水市, 甘肃省: the county town at 永清镇 on the 牛头河.
        ("620521", "清水县", 34.752, 106.137),
        ("620521", "永清镇", 34.752, 106.137),
        ("620521", "红堡镇", 34.703, 106.062), // approximate
        ("620521", "白驼镇", 34.663, 106.010), // approximate
        ("620521", "金集镇", 34.772, 106.020), // approximate
        ("620521", "秦亭镇", 34.862, 106.268), // approximate
        ("620521", "山门镇", 34.830, 106.375), // approximate
        ("620521", "白沙镇", 34.700, 106.220), // approximate
        ("620521", "王河镇", 34.662, 106.130), // approximate
        ("620521", "郭川镇", 34.880, 106.020), // approximate
        ("620521", "黄门镇", 34.800, 106.220), // approximate
        ("620521", "松树镇", 34.622, 106.270), // approximate
        ("620521", "远门镇", 34.742, 105.925), // approximate
        ("620521", "土门镇", 34.870, 106.130), // approximate
        ("620521", "草川铺镇", 34.800, 106.055), // approximate
        ("620521", "陇东镇", 34.750, 106.300), // approximate
        ("620521", "贾川乡", 34.920, 106.050), // approximate
        ("620521", "丰望乡", 34.602, 106.150), // approximate
        ("620521", "新城乡", 34.812, 106.130), // approximate

        // 陇西县, 定西市, 甘肃省: the county town at 巩昌镇 on the 渭河, 文峰 (the herb market, the railway) east of it.
        ("621122", "陇西县", 35.003, 104.634),
        ("621122", "巩昌镇", 35.003, 104.634),
        ("621122", "文峰镇", 34.985, 104.665), // approximate
        ("621122", "首阳镇", 34.930, 104.450), // approximate
        ("621122", "菜子镇", 35.100, 104.580), // approximate
        ("621122", "福星镇", 35.080, 104.750), // approximate
        ("621122", "通安驿镇", 35.200, 104.620), // approximate
        ("621122", "云田镇", 34.950, 104.780), // approximate
        ("621122", "碧岩镇", 35.050, 104.520), // approximate
        ("621122", "马河镇", 35.130, 104.500), // approximate
        ("621122", "柯寨镇", 34.850, 104.550), // approximate
        ("621122", "双泉镇", 35.120, 104.850), // approximate
        ("621122", "权家湾镇", 35.030, 104.850), // approximate
        ("621122", "渭阳乡", 34.970, 104.550), // approximate
        ("621122", "宏伟乡", 34.900, 104.610), // approximate
        ("621122", "和平乡", 34.970, 104.370), // approximate
        ("621122", "德兴乡", 34.860, 104.700), // approximate
        ("621122", "永吉乡", 35.150, 104.700), // approximate

        // 兴义市, 黔西南布依族苗族自治州, 贵州省: the city's government and the prefecture's in the city's east (桔山).
        ("522301", "兴义市", 25.092, 104.895),
        ("522301", "黄草街道", 25.092, 104.895), // approximate
        ("522301", "兴泰街道", 25.105, 104.905), // approximate
        ("522301", "桔山街道", 25.080, 104.935), // approximate
        ("522301", "丰都街道", 25.100, 104.875), // approximate
        ("522301", "坪东街道", 25.072, 104.912), // approximate
        ("522301", "木贾街道", 25.118, 104.960), // approximate
        ("522301", "下五屯街道", 25.125, 104.930), // approximate
        ("522301", "万峰林街道", 25.035, 104.845), // approximate
        ("522301", "洒金街道", 25.068, 104.885), // approximate
        ("522301", "马岭街道", 25.160, 104.950), // approximate
        ("522301", "顶效街道", 25.075, 105.030), // approximate
        ("522301", "木陇街道", 25.045, 105.055), // approximate
        ("522301", "敬南镇", 24.935, 105.015), // approximate
        ("522301", "泥凼镇", 24.800, 104.930), // approximate
        ("522301", "南盘江镇", 24.860, 104.760), // approximate
        ("522301", "郑屯镇", 25.130, 105.125), // approximate
        ("522301", "万屯镇", 25.175, 105.040), // approximate
        ("522301", "鲁屯镇", 25.205, 105.115), // approximate

        // 鄞州区, 宁波市, 浙江省: the district's government at 首南; the former 江东区's subdistricts north of it.
        ("330212", "鄞州区", 29.817, 121.547),
        ("330212", "下应街道", 29.814, 121.590), // approximate
        ("330212", "钟公庙街道", 29.838, 121.535), // approximate
        ("330212", "首南街道", 29.810, 121.550), // approximate
        ("330212", "潘火街道", 29.840, 121.590), // approximate
        ("330212", "梅墟街道", 29.890, 121.635), // approximate
        ("330212", "东郊街道", 29.870, 121.620), // approximate
        ("330212", "东胜街道", 29.865, 121.572), // approximate
        ("330212", "新明街道", 29.890, 121.582), // approximate
        ("330212", "福明街道", 29.870, 121.600), // approximate
        ("330212", "中河街道", 29.828, 121.560), // approximate
        ("330212", "明楼街道", 29.858, 121.575), // approximate
        ("330212", "百丈街道", 29.875, 121.562), // approximate
        ("330212", "白鹤街道", 29.852, 121.563), // approximate
        ("330212", "东柳街道", 29.880, 121.572), // approximate
        ("330212", "姜山镇", 29.745, 121.535), // approximate
        ("330212", "邱隘镇", 29.855, 121.655), // approximate
        ("330212", "五乡镇", 29.862, 121.720), // approximate
        ("330212", "东吴镇", 29.790, 121.730), // approximate
        ("330212", "云龙镇", 29.800, 121.640), // approximate
        ("330212", "聚贤街道", 29.878, 121.618), // approximate
        ("330212", "东钱湖镇", 29.762, 121.630), // approximate
        ("330212", "横溪镇", 29.720, 121.630), // approximate
        ("330212", "塘溪镇", 29.700, 121.720), // approximate
        ("330212", "咸祥镇", 29.660, 121.790), // approximate
        ("330212", "瞻岐镇", 29.710, 121.810), // approximate

        // 金安区, 六安市, 安徽省: the city's old centre east of the 淠河, the district reaching to 毛坦厂 in the south.
        ("341502", "金安区", 31.755, 116.520), // approximate
        ("341502", "六安经济开发区", 31.790, 116.560), // approximate
        ("341502", "三十铺镇", 31.750, 116.620), // approximate
        ("341502", "中市街道", 31.752, 116.512), // approximate
        ("341502", "东市街道", 31.760, 116.525), // approximate
        ("341502", "三里桥街道", 31.765, 116.545), // approximate
        ("341502", "望城街道", 31.735, 116.535), // approximate
        ("341502", "清水河街道", 31.775, 116.505), // approximate
        ("341502", "城北镇", 31.805, 116.500), // approximate
        ("341502", "木厂镇", 31.880, 116.500), // approximate
        ("341502", "椿树镇", 31.800, 116.750), // approximate
        ("341502", "孙岗镇", 31.700, 116.620), // approximate
        ("341502", "施桥镇", 31.820, 116.650), // approximate
        ("341502", "先生店镇", 31.620, 116.690), // approximate
        ("341502", "淠东乡", 31.850, 116.550), // approximate
        ("341502", "翁墩乡", 31.900, 116.620), // approximate
        ("341502", "横塘岗乡", 31.660, 116.550), // approximate
        ("341502", "毛坦厂镇", 31.430, 116.560), // approximate
        ("341502", "东河口镇", 31.480, 116.630), // approximate
        ("341502", "张店镇", 31.600, 116.630), // approximate
        ("341502", "双河镇", 31.550, 116.700), // approximate
        ("341502", "马头镇", 31.620, 116.580), // approximate
        ("341502", "东桥镇", 31.700, 116.680), // approximate
        ("341502", "中店镇", 31.580, 116.760), // approximate

        // 裕安区, 六安市, 安徽省: the city's west, the district reaching to 独山 in the south-west.
        ("341503", "裕安区", 31.740, 116.480), // approximate
        ("341503", "六安高新技术产业开发区", 31.720, 116.420), // approximate
        ("341503", "小华山街道", 31.738, 116.470), // approximate
        ("341503", "鼓楼街道", 31.760, 116.498), // approximate
        ("341503", "西市街道", 31.748, 116.492), // approximate
        ("341503", "城南镇", 31.700, 116.470), // approximate
        ("341503", "平桥乡", 31.720, 116.440), // approximate
        ("341503", "苏埠镇", 31.580, 116.450), // approximate
        ("341503", "韩摆渡镇", 31.630, 116.480), // approximate
        ("341503", "新安镇", 31.700, 116.380), // approximate
        ("341503", "顺河镇", 31.660, 116.330), // approximate
        ("341503", "江家店镇", 31.760, 116.320), // approximate
        ("341503", "单王乡", 31.650, 116.230), // approximate
        ("341503", "罗集乡", 31.800, 116.400), // approximate
        ("341503", "独山镇", 31.450, 116.350), // approximate
        ("341503", "石婆店镇", 31.500, 116.250), // approximate
        ("341503", "青山乡", 31.400, 116.300), // approximate
        ("341503", "石板冲乡", 31.380, 116.400), // approximate
        ("341503", "西河口乡", 31.450, 116.450), // approximate
        ("341503", "丁集镇", 31.850, 116.300), // approximate
        ("341503", "固镇镇", 31.950, 116.350), // approximate
        ("341503", "徐集镇", 31.800, 116.280), // approximate
        ("341503", "分路口镇", 31.880, 116.400), // approximate
        ("341503", "狮子岗乡", 31.600, 116.380), // approximate

        // 叶集区, 六安市, 安徽省: on the 史河, across from 河南's 固始.
        ("341504", "叶集区", 31.852, 115.912), // approximate
        ("341504", "家居产业园", 31.840, 115.935), // approximate
        ("341504", "史河街道", 31.860, 115.900), // approximate
        ("341504", "平岗街道", 31.848, 115.920), // approximate
        ("341504", "三元镇", 31.800, 115.950), // approximate
        ("341504", "洪集镇", 31.900, 116.000), // approximate
        ("341504", "姚李镇", 31.760, 115.980), // approximate
        ("341504", "孙岗乡", 31.830, 115.980), // approximate

        // 霍邱县, 六安市, 安徽省: the county town at 城关镇, east of the 城西湖, the 淮河 to the north.
        ("341522", "霍邱县", 32.353, 116.278),
        ("341522", "城关镇", 32.353, 116.278),
        ("341522", "安徽霍邱经济开发区", 32.330, 116.305), // approximate
        ("341522", "城西湖乡", 32.350, 116.200), // approximate
        ("341522", "王截流乡", 32.480, 116.200), // approximate
        ("341522", "河口镇", 32.400, 116.350), // approximate
        ("341522", "孟集镇", 32.280, 116.150), // approximate
        ("341522", "周集镇", 32.150, 116.400), // approximate
        ("341522", "冯井镇", 32.250, 116.450), // approximate
        ("341522", "范桥镇", 32.200, 116.380), // approximate
        ("341522", "马店镇", 32.120, 116.480), // approximate
        ("341522", "石店镇", 32.080, 116.220), // approximate
        ("341522", "岔路镇", 32.020, 116.300), // approximate
        ("341522", "龙潭镇", 32.050, 116.400), // approximate
        ("341522", "临水镇", 32.100, 116.280), // approximate
        ("341522", "长集镇", 32.080, 116.150), // approximate
        ("341522", "高塘镇", 32.000, 116.100), // approximate
        ("341522", "乌龙镇", 32.120, 116.050), // approximate
        ("341522", "花园镇", 32.200, 116.100), // approximate
        ("341522", "扈胡镇", 32.200, 116.280), // approximate
        ("341522", "众兴集镇", 31.930, 115.990), // approximate
        ("341522", "夏店镇", 32.350, 116.450), // approximate
        ("341522", "曹庙镇", 32.300, 116.550), // approximate
        ("341522", "潘集镇", 32.180, 116.550), // approximate
        ("341522", "彭塔镇", 32.430, 116.400), // approximate
        ("341522", "宋店镇", 32.450, 116.480), // approximate
        ("341522", "临淮岗镇", 32.440, 116.050), // approximate
        ("341522", "冯瓴镇", 32.350, 115.980), // approximate
        ("341522", "新店镇", 32.250, 116.380), // approximate
        ("341522", "三流乡", 32.280, 116.050), // approximate
        ("341522", "邵岗乡", 32.550, 116.300), // approximate
        ("341522", "白莲乡", 32.400, 116.120), // approximate

        // 舒城县, 六安市, 安徽省: the county town at 城关镇, 杭埠 towards 合肥 in the east, the 大别山 in the south-west.
        ("341523", "舒城县", 31.462, 116.948),
        ("341523", "城关镇", 31.462, 116.948),
        ("341523", "杭埠镇", 31.480, 117.150), // approximate
        ("341523", "千人桥镇", 31.400, 117.100), // approximate
        ("341523", "百神庙镇", 31.380, 117.000), // approximate
        ("341523", "舒城县经济开发区", 31.450, 116.985), // approximate
        ("341523", "柏林乡", 31.500, 116.900), // approximate
        ("341523", "棠树乡", 31.520, 117.000), // approximate
        ("341523", "阙店乡", 31.420, 116.880), // approximate
        ("341523", "张母桥镇", 31.380, 116.950), // approximate
        ("341523", "干汊河镇", 31.520, 116.800), // approximate
        ("341523", "南港镇", 31.350, 116.850), // approximate
        ("341523", "桃溪镇", 31.470, 117.050), // approximate
        ("341523", "舒茶镇", 31.330, 116.780), // approximate
        ("341523", "五显镇", 31.280, 116.900), // approximate
        ("341523", "春秋乡", 31.500, 116.750), // approximate
        ("341523", "万佛湖镇", 31.350, 116.680), // approximate
        ("341523", "汤池镇", 31.200, 116.800), // approximate
        ("341523", "晓天镇", 31.220, 116.550), // approximate
        ("341523", "山七镇", 31.250, 116.680), // approximate
        ("341523", "河棚镇", 31.180, 116.650), // approximate
        ("341523", "高峰乡", 31.150, 116.750), // approximate
        ("341523", "庐镇乡", 31.100, 116.850), // approximate

        // 金寨县, 六安市, 安徽省: the county town at 梅山镇 by the 梅山水库, the 大别山 (天堂寨) in the south.
        ("341524", "金寨县", 31.700, 115.900), // approximate
        ("341524", "梅山镇", 31.680, 115.880), // approximate
        ("341524", "金寨现代产业园区", 31.735, 115.980), // approximate
        ("341524", "白塔畈镇", 31.760, 116.010), // approximate
        ("341524", "古碑镇", 31.550, 115.800), // approximate
        ("341524", "双河镇", 31.650, 115.750), // approximate
        ("341524", "果子园乡", 31.550, 115.650), // approximate
        ("341524", "油坊店乡", 31.500, 115.900), // approximate
        ("341524", "全军乡", 31.600, 115.600), // approximate
        ("341524", "天堂寨镇", 31.150, 115.750), // approximate
        ("341524", "燕子河镇", 31.300, 115.780), // approximate
        ("341524", "麻埠镇", 31.550, 116.050), // approximate
        ("341524", "青山镇", 31.450, 116.000), // approximate
        ("341524", "槐树湾乡", 31.350, 115.880), // approximate
        ("341524", "长岭乡", 31.400, 115.950), // approximate
        ("341524", "桃岭乡", 31.400, 115.700), // approximate
        ("341524", "花石乡", 31.380, 115.600), // approximate
        ("341524", "沙河乡", 31.500, 115.450), // approximate
        ("341524", "南溪镇", 31.550, 115.500), // approximate
        ("341524", "斑竹园镇", 31.450, 115.450), // approximate
        ("341524", "汤家汇镇", 31.550, 115.380), // approximate
        ("341524", "吴家店镇", 31.450, 115.550), // approximate
        ("341524", "流波䃥镇", 31.280, 115.950), // approximate
        ("341524", "关庙乡", 31.350, 115.400), // approximate
        ("341524", "铁冲乡", 31.500, 115.700), // approximate

        // 霍山县, 六安市, 安徽省: the county town at 衡山镇, the 佛子岭 reservoir south-west of it.
        ("341525", "霍山县", 31.393, 116.333),
        ("341525", "衡山镇", 31.393, 116.333),
        ("341525", "霍山经济开发区", 31.420, 116.355), // approximate
        ("341525", "下符桥镇", 31.450, 116.380), // approximate
        ("341525", "但家庙镇", 31.380, 116.400), // approximate
        ("341525", "与儿街镇", 31.330, 116.420), // approximate
        ("341525", "佛子岭镇", 31.350, 116.280), // approximate
        ("341525", "诸佛庵镇", 31.300, 116.180), // approximate
        ("341525", "黑石渡镇", 31.300, 116.250), // approximate
        ("341525", "落儿岭镇", 31.250, 116.300), // approximate
        ("341525", "磨子潭镇", 31.200, 116.250), // approximate
        ("341525", "东西溪乡", 31.100, 116.200), // approximate
        ("341525", "大化坪镇", 31.150, 116.350), // approximate
        ("341525", "漫水河镇", 31.100, 116.100), // approximate
        ("341525", "上土市镇", 31.150, 116.000), // approximate
        ("341525", "单龙寺镇", 31.400, 116.220), // approximate
        ("341525", "太平畈乡", 31.050, 116.300), // approximate
        ("341525", "太阳乡", 31.100, 116.400), // approximate
    ];

    private static readonly FrozenDictionary<(string County, string Place), GeoPoint> ByPlace =
        Seats.ToFrozenDictionary(s => (s.County, s.Place), s => new GeoPoint(s.Lat, s.Lon));

    /// <summary>The seat of the county's government.</summary>
    public static GeoPoint CountySeat(DemoCounty county) =>
        ByPlace.TryGetValue((county.Code, county.Name), out var seat) ? seat
            : throw new InvalidOperationException($"{county.Code}: no seat for {county.Name} in DemoPlaces.");

    /// <summary>Whether <see cref="Seats"/> places this township of the county (rather than falling back to the county's seat).</summary>
    public static bool Knows(DemoCounty county, string township) => ByPlace.ContainsKey((county.Code, township));

    /// <summary>The seat of the county's township, or the county's own seat where it has none (no township, or one as 城区).</summary>
    public static GeoPoint Seat(DemoCounty county, string? township) =>
        township is not null && ByPlace.TryGetValue((county.Code, township), out var seat) ? seat : CountySeat(county);

    /// <summary>How far from its seat a township's enterprises mostly lie: a 街道's are closer, a 乡's farther.</summary>
    public static double CoreMetres(string? township) =>
        township is null ? 1_500 : township.EndsWith("街道", StringComparison.Ordinal) ? 1_200 : township.EndsWith('乡') ? 2_000 : 1_500;

    /// <summary>The share of enterprises beyond the core, out to <see cref="TailMetres"/>.</summary>
    public const double TailShare = 0.15;

    /// <summary>The farthest an enterprise lies from its seat.</summary>
    public const double TailMetres = 6_000;

    /// <summary>
    /// Where a demo enterprise stands: around its township's seat (the county's seat if it has none), at an offset that
    /// its credit code alone decides, the same in every process and every build: 85% evenly over a disc of
    /// <see cref="CoreMetres"/>, the rest thinning out to <see cref="TailMetres"/>.
    /// </summary>
    public static GeoPoint EnterpriseSite(DemoCounty county, string? township, string creditCode)
    {
        var (distance, bearing, tail) = Draws("enterprise:" + creditCode);
        var core = CoreMetres(township);
        var metres = tail < TailShare ? core + (TailMetres - core) * distance : core * Math.Sqrt(distance);
        return Offset(Seat(county, township), metres, bearing * 2 * Math.PI);
    }

    /// <summary>
    /// Where a demo station's premises are: by the seat of its first township, some 300 m from it in a direction its
    /// id decides (for StationProfile's location).
    /// </summary>
    public static GeoPoint StationSite(DemoCounty county, DemoStation station)
    {
        var (distance, bearing, _) = Draws($"station:{county.Code}/{station.Id}");
        return Offset(Seat(county, station.Townships.FirstOrDefault()), 250 + 100 * distance, bearing * 2 * Math.PI);
    }

    /// <summary>Three numbers in [0, 1) from the SHA-256 of <paramref name="key"/>: stable, unlike string.GetHashCode.</summary>
    private static (double, double, double) Draws(string key)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        static double Unit(ReadOnlySpan<byte> bytes) => (BinaryPrimitives.ReadUInt64LittleEndian(bytes) >> 11) * (1.0 / (1UL << 53));
        return (Unit(hash[..8]), Unit(hash[8..16]), Unit(hash[16..24]));
    }

    /// <summary><see cref="Geo.Offset"/>, to 6 decimals (about 0.1 m).</summary>
    private static GeoPoint Offset(GeoPoint from, double metres, double bearing)
    {
        var at = Geo.Offset(from, metres, bearing);
        return new GeoPoint(Math.Round(at.Lat, 6), Math.Round(at.Lon, 6));
    }
}
