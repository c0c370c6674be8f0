using System.Text.Json.Nodes;
using Beacon.Gateway.Security;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Beacon.IntegrationTests.Infrastructure;

/// <summary>Tokens signed with the key the gateways under test are given.</summary>
public static class TestTokens
{
    public static readonly AuthOptions Options = new() { SigningKey = BeaconProcesses.SigningKey };

    public static string For(string role, string scope) =>
        Tokens.Issue(Options, role, Scope.Parse(scope) ?? throw new ArgumentException($"bad scope {scope}"), $"integration-test {role}@{scope}");

    public static string CountyAdmin(string county) => For(Roles.CountyAdmin, $"county:{county}");
    public static string Display(string scope) => For(Roles.Display, scope);
    public static string Overseer(string province) => For(Roles.ProvinceOverseer, $"province:{province}");
    public static string PrefectureOverseer(string prefecture) => For(Roles.ProvinceOverseer, $"prefecture:{prefecture}");
    public static string ProvinceAdmin(string province) => For(Roles.ProvinceAdmin, $"province:{province}");

    /// <summary>A token that was valid, signed with the right key, but expired an hour ago (well beyond the clock skew).</summary>
    public static string Expired(string role, string scope)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Options.Issuer,
            Audience = Options.Audience,
            IssuedAt = now.AddHours(-3),
            NotBefore = now.AddHours(-3),
            Expires = now.AddHours(-1),
            Claims = new Dictionary<string, object> { ["sub"] = "expired", [Access.RoleClaim] = role, [Access.ScopeClaim] = scope },
            SigningCredentials = new SigningCredentials(Options.Key, SecurityAlgorithms.HmacSha256),
        });
    }
}

/// <summary>Enterprises as the public JSON contract has them, with credit codes computed here (GB 32100-2015).</summary>
public static class TestEnterprises
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    public static char CheckCharacter(string first17)
    {
        if (first17.Length != 17) throw new ArgumentException("17 characters", nameof(first17));
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += Alphabet.IndexOf(first17[i]) * Weights[i];
        return Alphabet[(31 - sum % 31) % 31];
    }

    /// <summary>A fresh valid code: 9 (工商) 1 (enterprise), the county's division code, a random 9-digit organisation code.</summary>
    public static string NewCreditCode(string county)
    {
        var first17 = "91" + county + Random.Shared.NextInt64(100_000_000, 1_000_000_000).ToString();
        return first17 + CheckCharacter(first17);
    }

    /// <summary>The same code with a wrong check character.</summary>
    public static string WithWrongCheck(string code)
    {
        var right = code[17];
        var wrong = Alphabet[(Alphabet.IndexOf(right) + 1) % Alphabet.Length];
        return code[..17] + wrong;
    }

    public static JsonObject New(string creditCode, string name, int employees = 30, int partyMembers = 2, string mode = "none",
        string? organisationId = null, string kind = "enterprise")
    {
        var organisation = new JsonObject { ["mode"] = mode };
        if (organisationId is not null) organisation["organisationId"] = organisationId;
        return new JsonObject
        {
            ["creditCode"] = creditCode,
            ["name"] = name,
            ["kind"] = kind,
            ["industry"] = "苹果加工",
            ["aboveDesignatedSize"] = false,
            ["employees"] = employees,
            ["partyMembers"] = partyMembers,
            ["inBase"] = true,
            ["organisation"] = organisation,
            ["location"] = new JsonObject { ["lat"] = 34.75, ["lon"] = 106.14 },
        };
    }
}

/// <summary>Party organisations as the public JSON contract has them.</summary>
public static class TestOrganisations
{
    public static JsonObject New(string id, string name, string kind = "branch", string host = "joint", string? parentId = null, string? stationId = null)
    {
        var o = new JsonObject { ["organisationId"] = id, ["name"] = name, ["kind"] = kind, ["host"] = host, ["termYears"] = 3 };
        if (parentId is not null) o["parentId"] = parentId;
        if (stationId is not null) o["stationId"] = stationId;
        return o;
    }
}

public static class TestApplicants
{
    /// <summary>An applicant who applied <paramref name="appliedDaysAgo"/> days ago (China's date) and took no step yet.</summary>
    public static JsonObject New(string id, string organisationId, string? stationId, int appliedDaysAgo = 5, string name = "测试申请人", int birthYear = 1996)
    {
        var a = new JsonObject
        {
            ["applicantId"] = id, ["name"] = name, ["gender"] = "female", ["birthYear"] = birthYear,
            ["organisationId"] = organisationId, ["appliedOn"] = DaysAgo(appliedDaysAgo),
        };
        if (stationId is not null) a["stationId"] = stationId;
        return a;
    }

    /// <summary>A day in China's calendar, <paramref name="days"/> before today there, as the JSON writes it.</summary>
    public static string DaysAgo(int days) =>
        DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).DateTime).AddDays(-days).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
