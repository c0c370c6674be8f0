namespace Beacon.Grains.Demo;

/// <summary>A station of a demo county: its townships, how many base enterprises its area holds and how many it links, and its groups' full-time instructors.</summary>
/// <param name="ParentId">The station a sub-station (分站) belongs to.</param>
public sealed record DemoStation(string Id, string Name, string[] Townships, int AreaBase, int Linked, int[] GroupFullTime, int PartTimeInGroups, int BranchMembers,
    string? ParentId = null, int Surfaced = 0);

/// <summary>
/// 陇西's development zone, "1+4+N" (seeds/001): a working committee (党工委) hosted by the zone, a general branch for each
/// of its parks under it, and branches under those.
/// </summary>
public sealed record DemoZone(string Name, string[] Parks);

/// <summary>
/// 鄞州's basic-level chambers of commerce (seeds/003): the one at <paramref name="GeneralBranchPlace"/> with a general
/// branch, <paramref name="Branches"/> others with a branch each; the general branch has the branches of
/// <paramref name="HelpedBranches"/> enterprises of its place under it, which the chambers helped to set up.
/// </summary>
public sealed record DemoChambers(string GeneralBranchPlace, int Branches, int HelpedBranches);

/// <summary>
/// What a demo county's documents say of its training, honours, contact points and mass organisations: classes and
/// their attendances this year, honours by kind (with the pioneer organisation and individual named where the seeds
/// name them), leading cadres' contact points, and base enterprises with a union and with a Youth League organisation.
/// </summary>
public sealed record DemoRecognition(
    int TrainingClasses = 0, int TrainingAttendances = 0,
    int DemonstrationSites = 0, int Exemplars = 0, int HarmoniousEnterprises = 0,
    string? PioneerEnterprise = null, string? PioneerIndividual = null,
    int ContactPoints = 0, int Unions = 0, int YouthLeague = 0);

/// <summary>
/// One demo county's register totals. Bold figures in the customer's documents (seeds/) are reproduced exactly;
/// the rest are assumed so that the whole is consistent (see DemoCounties.Sources).
/// </summary>
/// <remarks>
/// The county's party organisations are: a branch for each standalone enterprise (host enterprise);
/// <paramref name="JointOrganisations"/> joint branches (联合党支部, host joint) for its joint enterprises;
/// <paramref name="AffiliatedOrganisations"/> joint branches that its affiliated enterprises set up by affiliation
/// (挂靠建立, seeds/002), host joint; a branch for each station with branch members (指导站党支部, host station,
/// seeds/004); and what <paramref name="Zone"/>, <paramref name="Circles"/> (a regional general branch, host region,
/// per "一刻钟党建活动圈", named by its centre, covering joint enterprises) and <paramref name="Chambers"/> (host chamber,
/// covering joint enterprises) add. A zone's affiliated enterprises are attached to its park general branches.
/// </remarks>
public sealed record DemoCounty(
    string Code, string Name, string PrefectureName, string ProvinceName, bool AffiliatedCounts,
    int Base, int SocialOrganisations, int Standalone, int JointEnterprises, int JointOrganisations,
    int AffiliatedEnterprises, int AffiliatedOrganisations,
    int[] MembersByMode, int Employees, int InstructorOnly, int FullTime, int PartTime,
    int IssuesResolved, int IssuesOpen, int IssuesEscalated, int BasicArchives, int FeaturedArchives,
    int DemonstrationPosts, int ResponsibilityZones, string[] Townships, string[] Industries, DemoStation[] Stations,
    DemoZone? Zone = null, string[]? Circles = null, DemoChambers? Chambers = null, int Developed = 0, DemoRecognition? Recognition = null)
{
    public int PartyMembers => MembersByMode.Sum();
    public int OrgCoveredIfAffiliatedCounts => Standalone + JointEnterprises + AffiliatedEnterprises;
    public int StationBranches => Stations.Count(s => s.BranchMembers > 0);

    /// <summary>Every party organisation of the county's register.</summary>
    public int Organisations => Standalone + JointOrganisations + AffiliatedOrganisations + StationBranches
        + (Zone is { } zone ? 1 + zone.Parks.Length : 0) + (Circles?.Length ?? 0) + (Chambers is { } chambers ? 1 + chambers.Branches : 0);
}

public static class DemoCounties
{
    public const string Sources =
        "seeds/000 清水县 (85 organisations, 组建率 22%, 224 members, 42 instructors guiding 52 enterprises); " +
        "seeds/001 陇西县 (733 enterprises, 11,799 employees, 59 organisations covering 135, 193 members; the development zone's " +
        "\"1+4+N\": its 党工委, 4 park general branches and branches under them; 6 regional general branches of the activity circles); " +
        "seeds/002 兴义市 (28 standalone branches, 30 joint branches set up by affiliation); " +
        "seeds/003 鄞州区 (625 instructors; 1 chamber general branch and 22 chamber branches, which helped 18 enterprises to set up branches); " +
        "seeds/004 六安市 (27 stations, 126 groups, 609 instructors, 3,254 linked, 420 resolved, 2,570 archives, 261 members in 27 station branches).";

    private static DemoStation S(string id, string name, string townships, int area, int linked, string groups, int pt, int branch = 0, string? parent = null) =>
        new(id, name, townships.Split('·'), area, linked, groups.Split(',').Select(int.Parse).ToArray(), pt, branch, parent);

    public static readonly DemoCounty[] All =
    [
        // 85 organisations: 50 standalone branches, 15 joint branches, and 20 joint branches set up by affiliation, each
        // with one enterprise of the register (224 members cannot fill 85 organisations of three).
        new("620521", "清水县", "天水市", "甘肃省", true, 509, 41, 50, 42, 15, 20, 20, [156, 45, 23, 0], 8646, 52, 0, 42,
            12, 5, 1, 96, 11, 65, 45,
            "永清镇·红堡镇·白驼镇·金集镇·秦亭镇·山门镇·白沙镇·王河镇·郭川镇·黄门镇·松树镇·远门镇·土门镇·草川铺镇·陇东镇·贾川乡·丰望乡·新城乡".Split('·'),
            ["高山夏菜种植", "苹果加工", "花椒加工", "畜牧养殖", "石料建材", "建筑工程", "道路运输", "酒业", "商贸"], [],
            // seeds/000: 4 classes for branch secretaries, 160 attendances; 顺达汽车运输's branch a pioneer organisation
            // and its manager 黄启保 a pioneer individual (建设小康先锋号, 先锋岗).
            Recognition: new(TrainingClasses: 4, TrainingAttendances: 160, PioneerEnterprise: "清水县顺达汽车运输有限责任公司", PioneerIndividual: "黄启保")),
        // 59 organisations: 1 + 4 of the zone, 6 regional, 30 standalone branches, 18 joint branches.
        new("621122", "陇西县", "定西市", "甘肃省", true, 733, 0, 30, 81, 18, 24, 0, [104, 60, 14, 15], 11799, 128, 6, 10,
            33, 8, 2, 148, 12, 62, 40,
            "巩昌镇·文峰镇·首阳镇·菜子镇·福星镇·通安驿镇·云田镇·碧岩镇·马河镇·柯寨镇·双泉镇·权家湾镇·渭阳乡·宏伟乡·和平乡·德兴乡·永吉乡".Split('·'),
            ["中药材加工", "中药饮片", "医药", "物流", "马铃薯淀粉", "铝材加工", "建筑工程"],
            // seeds/001: 23 口袋党员 and 隐形党员 showed their membership through the circles' work, in the zone's area.
            [S("LX-01", "陇西经济开发区指导站", "巩昌镇·文峰镇·首阳镇", 312, 224, "2,2,2", 10) with { Surfaced = 23 }],
            Zone: new("陇西经济开发区", ["中医药循环经济产业园", "工业集中园", "文峰物流园", "地产药材交易园"]),
            // seeds/001 names four of the six centres; 惠森药业 is named elsewhere in it; 首阳 (the town of the herb market) is assumed.
            Circles: ["陇原中天", "宇臻物流", "清吉淀粉", "正东药业", "惠森药业", "首阳"],
            // seeds/001: "两年来，全县非公企业党组织共新发展党员33名".
            Developed: 33),
        // 28 standalone branches and 30 joint branches set up by affiliation, three affiliated enterprises each.
        new("522301", "兴义市", "黔西南布依族苗族自治州", "贵州省", true, 1178, 132, 28, 0, 0, 90, 30, [118, 0, 135, 163], 31460, 498, 16, 46,
            49, 15, 5, 132, 9, 38, 22,
            "黄草街道·兴泰街道·桔山街道·丰都街道·坪东街道·木贾街道·下五屯街道·万峰林街道·洒金街道·马岭街道·顶效街道·木陇街道·敬南镇·泥凼镇·南盘江镇·郑屯镇·万屯镇·鲁屯镇".Split('·'),
            ["煤电", "建材", "旅游", "商贸物流", "食品", "茶叶"],
            [S("XY-01", "顶效经济开发区指导站", "顶效街道·木陇街道·马岭街道·郑屯镇", 260, 190, "2,2,2,2", 18),
             S("XY-02", "城区指导站", "黄草街道·兴泰街道·桔山街道·丰都街道·坪东街道·洒金街道·木贾街道·下五屯街道·万峰林街道", 500, 357, "2,2,2,2", 28)],
            // seeds/002: "成立工会组织250多家，成立共青团组织20多家".
            Recognition: new(Unions: 250, YouthLeague: 20)),
        // The 538 joint enterprises are covered by the 23 chambers' organisations and 119 joint branches.
        new("330212", "鄞州区", "宁波市", "浙江省", false, 3642, 286, 604, 538, 119, 37, 19, [4236, 1712, 96, 1416], 241800, 1832, 65, 560,
            176, 36, 9, 1420, 260, 1024, 612,
            "下应街道·钟公庙街道·首南街道·潘火街道·梅墟街道·东郊街道·东胜街道·新明街道·福明街道·中河街道·明楼街道·百丈街道·白鹤街道·东柳街道·姜山镇·邱隘镇·五乡镇·东吴镇·云龙镇·聚贤街道·东钱湖镇·横溪镇·塘溪镇·咸祥镇·瞻岐镇".Split('·'),
            ["家用电器", "文具", "服装", "汽车零部件", "模具", "电子", "软件", "外贸"],
            [S("YZ-01", "下应-钟公庙指导站", "下应街道·钟公庙街道·首南街道·潘火街道", 610, 472, "2,2,2,2,2", 34),
             S("YZ-02", "梅墟-东郊指导站", "梅墟街道·东郊街道·东胜街道·新明街道·福明街道", 520, 383, "2,2,2,2,2", 30),
             S("YZ-03", "中河-明楼指导站", "中河街道·明楼街道·百丈街道·白鹤街道·东柳街道", 430, 318, "3,2,2,2", 26),
             S("YZ-04", "姜山指导站", "姜山镇", 560, 412, "2,2,2,2", 30),
             S("YZ-05", "邱隘-五乡指导站", "邱隘镇·五乡镇·东吴镇·云龙镇", 470, 339, "2,2,2,2", 26),
             S("YZ-06", "聚贤(高新区)指导站", "聚贤街道", 410, 302, "2,2,2,2", 22),
             S("YZ-07", "东钱湖-横溪指导站", "东钱湖镇·横溪镇·塘溪镇", 352, 256, "2,2,2", 15),
             S("YZ-08", "咸祥-瞻岐指导站", "咸祥镇·瞻岐镇", 290, 176, "2,2,2", 12)],
            // Which chamber has the general branch is assumed: 姜山, the largest town of the demo district (560 enterprises).
            Chambers: new("姜山镇", 22, 18),
            // seeds/003: 75 new members through the chambers' organisations; 146 contact points, 125 demonstration
            // sites, 56 exemplars and 55 new harmonious enterprises.
            Developed: 75,
            Recognition: new(DemonstrationSites: 125, Exemplars: 56, HarmoniousEnterprises: 55, ContactPoints: 146)),
        // 六安's counties: a branch per station (27, with 261 members), besides standalone, joint and affiliation branches.
        new("341502", "金安区", "六安市", "安徽省", true, 780, 96, 118, 104, 31, 14, 9, [612, 248, 31, 155], 31240, 385, 40, 65,
            72, 9, 2, 468, 74, 176, 98, [], ["机械装备", "食品加工", "新材料", "电子", "建筑工程", "商贸"],
            [S("JA-01", "六安经济开发区指导站", "六安经济开发区·三十铺镇", 240, 190, "2,2,2,2,2", 17, 12),
             S("JA-02", "城区指导站", "中市街道·东市街道·三里桥街道·望城街道·清水河街道", 262, 196, "2,2,2,2,2", 18, 11),
             S("JA-03", "城北-木厂指导站", "城北镇·木厂镇·椿树镇·孙岗镇·施桥镇·先生店镇·淠东乡·翁墩乡·横塘岗乡", 150, 108, "2,2,2,2,2", 15, 9),
             S("JA-04", "毛坦厂-东河口指导站", "毛坦厂镇·东河口镇·张店镇·双河镇·马头镇·东桥镇·中店镇", 128, 99, "2,2,2,2,2", 15, 8)]),
        new("341503", "裕安区", "六安市", "安徽省", true, 820, 88, 131, 117, 34, 12, 8, [702, 281, 26, 179], 36810, 409, 40, 70,
            81, 11, 3, 512, 86, 190, 112, [], ["装备制造", "新能源", "羽绒制品", "纺织服装", "茶叶", "农产品"],
            [S("YA-01", "六安高新区指导站", "六安高新技术产业开发区·小华山街道", 286, 236, "2,2,2,2,2", 22, 13),
             S("YA-02", "城区指导站", "鼓楼街道·西市街道·城南镇·平桥乡", 214, 162, "2,2,2,2,2", 18, 11),
             S("YA-03", "苏埠-韩摆渡指导站", "苏埠镇·韩摆渡镇·新安镇·顺河镇·江家店镇·单王乡·罗集乡", 176, 131, "2,2,2,2,2", 15, 9),
             S("YA-04", "独山-固镇指导站", "独山镇·石婆店镇·青山乡·石板冲乡·西河口乡·丁集镇·固镇镇·徐集镇·分路口镇·狮子岗乡", 144, 111, "2,2,2,2,2", 15, 9)]),
        new("341504", "叶集区", "六安市", "安徽省", true, 300, 27, 38, 41, 12, 6, 4, [178, 92, 13, 69], 13460, 151, 25, 25,
            28, 4, 1, 171, 25, 52, 30, [], ["木材加工", "家居", "物流", "建筑工程"],
            [S("YJ-01", "叶集经济开发区(家居产业园)指导站", "家居产业园", 132, 104, "3,2,2,2", 10, 10),
             S("YJ-02", "城区指导站", "史河街道·平岗街道", 96, 70, "2,2,2,2", 8, 9),
             S("YJ-03", "三元-姚李指导站", "三元镇·洪集镇·姚李镇·孙岗乡", 72, 52, "2,2,2,2", 7, 7)]),
        new("341522", "霍邱县", "六安市", "安徽省", true, 690, 74, 79, 96, 28, 21, 12, [356, 188, 38, 120], 24380, 264, 37, 48,
            52, 14, 5, 318, 41, 110, 64, [], ["铁矿采选", "柳编", "水产", "服装", "建材"],
            [S("HQ-01", "霍邱经济开发区指导站", "安徽霍邱经济开发区", 210, 152, "2,2,2,2,2", 15, 11),
             S("HQ-02", "城关指导站", "城关镇·城西湖乡·王截流乡·河口镇·孟集镇", 190, 118, "2,2,2,2,2", 13, 10),
             S("HQ-03", "周集-冯井指导站", "周集镇·冯井镇·范桥镇·马店镇·石店镇·岔路镇·龙潭镇·临水镇", 170, 101, "2,2,2,2,1", 11, 9),
             S("HQ-04", "长集-高塘指导站", "长集镇·高塘镇·乌龙镇·花园镇·扈胡镇·众兴集镇·夏店镇·曹庙镇·潘集镇·彭塔镇·宋店镇·临淮岗镇·冯瓴镇·新店镇·三流乡·邵岗乡·白莲乡", 120, 70, "2,2,2,2", 9, 8)]),
        new("341523", "舒城县", "六安市", "安徽省", true, 640, 61, 104, 88, 26, 10, 7, [512, 214, 22, 186], 33150, 318, 40, 54,
            69, 8, 2, 402, 68, 158, 90, [], ["电子", "汽车零部件", "服装", "茶叶", "旅游"],
            // 杭埠分站 is a sub-station of the county's 城关-经开区 station (assumed: the seeds name it a 分站 only).
            [S("SC-01", "杭埠分站", "杭埠镇·千人桥镇·百神庙镇", 230, 186, "2,2,2,2,2", 17, 13, parent: "SC-02"),
             S("SC-02", "城关-经开区指导站", "城关镇·舒城县经济开发区·柏林乡·棠树乡·阙店乡·张母桥镇", 210, 162, "2,2,2,2,2", 15, 11),
             S("SC-03", "干汊河-南港指导站", "干汊河镇·南港镇·桃溪镇·舒茶镇·五显镇·春秋乡", 110, 82, "2,2,2,2,2", 11, 9),
             S("SC-04", "万佛湖-汤池指导站", "万佛湖镇·汤池镇·晓天镇·山七镇·河棚镇·高峰乡·庐镇乡", 90, 67, "2,2,2,2,2", 11, 8)]),
        new("341524", "金寨县", "六安市", "安徽省", true, 520, 58, 61, 77, 23, 18, 11, [262, 151, 31, 97], 16720, 209, 34, 38,
            44, 12, 4, 262, 36, 88, 51, [], ["光伏", "新能源", "茶叶", "中药材", "猕猴桃", "旅游"],
            [S("JZ-01", "金寨现代产业园区指导站", "金寨现代产业园区·白塔畈镇", 190, 148, "2,2,2,2,2", 14, 11),
             S("JZ-02", "梅山指导站", "梅山镇·古碑镇·双河镇·果子园乡·油坊店乡·全军乡", 150, 97, "3,2,2,2", 10, 9),
             S("JZ-03", "天堂寨-燕子河指导站", "天堂寨镇·燕子河镇·麻埠镇·青山镇·槐树湾乡·长岭乡·桃岭乡·花石乡·沙河乡", 100, 63, "2,2,2,2", 8, 8),
             S("JZ-04", "南溪-斑竹园指导站", "南溪镇·斑竹园镇·汤家汇镇·吴家店镇·流波䃥镇·关庙乡·铁冲乡", 80, 42, "2,2,2,1", 6, 8)]),
        new("341525", "霍山县", "六安市", "安徽省", true, 650, 55, 97, 83, 25, 9, 6, [448, 196, 19, 213], 27930, 338, 37, 56,
            74, 7, 2, 437, 72, 142, 80, [], ["精密铸造", "机械", "石斛", "茶叶", "竹制品", "旅游"],
            [S("HS-01", "霍山经济开发区指导站", "霍山经济开发区·下符桥镇", 250, 206, "2,2,2,2,2", 18, 12),
             S("HS-02", "衡山城区指导站", "衡山镇·但家庙镇·与儿街镇", 180, 139, "2,2,2,2,2", 16, 10),
             S("HS-03", "佛子岭-诸佛庵指导站", "佛子岭镇·诸佛庵镇·黑石渡镇·落儿岭镇·磨子潭镇·东西溪乡", 120, 92, "3,2,2,2", 12, 8),
             S("HS-04", "大化坪-上土市指导站", "大化坪镇·漫水河镇·上土市镇·单龙寺镇·太平畈乡·太阳乡", 100, 70, "2,2,2,2", 10, 8)]),
    ];
}
