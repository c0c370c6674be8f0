using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Beacon.Gateway.Security;
using Beacon.Hosting;
using Beacon.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Beacon.IntegrationTests;

/// <summary>
/// A local OpenID Connect issuer for the tests: an RSA key made for this run, its discovery document and JWKS served
/// on a loopback port, and tokens signed with it. Nothing leaves the machine.
/// </summary>
public sealed class LocalIssuer : IAsyncDisposable
{
    public const string KeyId = "beacon-test-rsa-1";

    private readonly WebApplication _app;
    private int _discoveries;

    public RSA Key { get; }
    public string Authority { get; }

    /// <summary>How many times the discovery document was read: the gateway found the issuer's keys here.</summary>
    public int Discoveries => Volatile.Read(ref _discoveries);

    private LocalIssuer(WebApplication app, RSA key, string authority)
    {
        _app = app;
        Key = key;
        Authority = authority;
    }

    public static async Task<LocalIssuer> StartAsync()
    {
        var authority = $"http://127.0.0.1:{BeaconProcesses.FreePort()}";
        var key = RSA.Create(2048);
        var publicKey = key.ExportParameters(includePrivateParameters: false);
        var discovery = new JsonObject
        {
            ["issuer"] = authority,
            ["jwks_uri"] = $"{authority}/jwks",
            ["authorization_endpoint"] = $"{authority}/authorize",
            ["response_types_supported"] = new JsonArray("id_token"),
            ["subject_types_supported"] = new JsonArray("public"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
        }.ToJsonString();
        var jwks = new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["alg"] = "RS256",
                ["kid"] = KeyId,
                ["n"] = Base64UrlEncoder.Encode(publicKey.Modulus),
                ["e"] = Base64UrlEncoder.Encode(publicKey.Exponent),
            }),
        }.ToJsonString();

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = BeaconProcesses.NewDirectory("oidc-issuer") });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(authority);
        var app = builder.Build();
        var issuer = new LocalIssuer(app, key, authority);
        app.MapGet("/.well-known/openid-configuration", () =>
        {
            Interlocked.Increment(ref issuer._discoveries);
            return Results.Text(discovery, "application/json");
        });
        app.MapGet("/jwks", () => Results.Text(jwks, "application/json"));
        await app.StartAsync();
        return issuer;
    }

    /// <summary>A token of this issuer (or of <paramref name="issuer"/>), signed with its key unless another is given.</summary>
    public string Mint(IDictionary<string, object> claims, string audience, RSA? signWith = null, string keyId = KeyId, string? issuer = null,
        TimeSpan? lifetime = null)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Authority,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? TimeSpan.FromHours(1)),
            Claims = claims,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(signWith ?? Key) { KeyId = keyId }, SecurityAlgorithms.RsaSha256),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Key.Dispose();
    }
}

/// <summary>
/// The local issuer and a real silo and gateway configured to accept its tokens (Beacon:Auth:External), with the
/// issuer's own claim names: its roles in <c>roles</c>, its Beacon scope in <c>beacon_scope</c>.
/// </summary>
public sealed class ExternalIssuerFixture : IAsyncLifetime
{
    public const string Audience = "beacon-gateway";
    public const string County = "620521";

    private LocalIssuer? _issuer;
    private BeaconCluster? _cluster;

    public LocalIssuer Issuer => _issuer ?? throw new InvalidOperationException("The issuer did not start.");
    public BeaconCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster did not start.");

    public async Task InitializeAsync()
    {
        _issuer = await LocalIssuer.StartAsync();
        _cluster = await BeaconCluster.StartInMemoryAsync(County, new Dictionary<string, string?>
        {
            ["Beacon__Auth__External__Authority"] = _issuer.Authority,
            ["Beacon__Auth__External__Audience"] = Audience,
            ["Beacon__Auth__External__RequireHttpsMetadata"] = "false",
            ["Beacon__Auth__External__RoleClaim"] = "roles",
            ["Beacon__Auth__External__ScopeClaim"] = "beacon_scope",
            ["Beacon__Auth__External__Roles__party-county-admin"] = Roles.CountyAdmin,
            ["Beacon__Auth__External__Roles__party-overseer"] = Roles.ProvinceOverseer,
        });
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
        if (_issuer is not null) await _issuer.DisposeAsync();
    }
}

/// <summary>
/// The gateway accepts RS256 tokens of an external OpenID Connect issuer, found through its discovery document, with
/// its roles mapped to Beacon's; and still its own HS256 tokens beside them.
/// </summary>
public sealed class ExternalIssuerTests(ExternalIssuerFixture fixture) : IClassFixture<ExternalIssuerFixture>
{
    private const string County = ExternalIssuerFixture.County;
    private const string Audience = ExternalIssuerFixture.Audience;

    private static string Summary(string county) => $"/api/counties/{county}/summary";

    /// <summary>
    /// The issuer's claims for one person. The OAuth <c>scope</c> and a raw <c>role</c> claim are there as an
    /// issuer might send them: neither is the one this gateway is told to read, so neither may grant anything.
    /// </summary>
    private static Dictionary<string, object> Person(string[] roles, string scope, string subject = "zhang.wei") => new()
    {
        ["sub"] = subject,
        ["jti"] = Guid.NewGuid().ToString("N"),
        ["name"] = "张伟",
        ["roles"] = roles,
        ["beacon_scope"] = scope,
        ["scope"] = "openid profile",
        ["role"] = Roles.CountyAdmin,
    };

    private string CountyAdmin(string county = County) => fixture.Issuer.Mint(Person(["staff", "party-county-admin"], $"county:{county}"), Audience);

    [Fact]
    public async Task A_mapped_county_admin_of_the_issuer_reads_its_county_and_no_other()
    {
        var token = CountyAdmin();
        var summary = await fixture.Cluster.SummaryAsync(County, token);
        Assert.Equal(County, summary["county"]!.GetValue<string>());
        Assert.True(fixture.Issuer.Discoveries > 0, "the gateway never read the issuer's discovery document");
        (await fixture.Cluster.GetAsync(Summary("620522"), token)).Expect(HttpStatusCode.Forbidden);
        // And the other way round: the scope is the token's, not the route's.
        (await fixture.Cluster.GetAsync(Summary(County), CountyAdmin("620522"))).Expect(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_mapped_overseer_reads_the_counties_of_its_province()
    {
        var token = fixture.Issuer.Mint(Person(["party-overseer"], "province:620000"), Audience);
        (await fixture.Cluster.GetAsync(Summary(County), token)).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_401()
    {
        using var other = RSA.Create(2048);
        // The issuer's key id, another key: the signature does not verify.
        var forged = fixture.Issuer.Mint(Person(["party-county-admin"], $"county:{County}"), Audience, signWith: other);
        (await fixture.Cluster.GetAsync(Summary(County), forged)).Expect(HttpStatusCode.Unauthorized);
        // A key id the issuer does not publish.
        var unknown = fixture.Issuer.Mint(Person(["party-county-admin"], $"county:{County}"), Audience, signWith: other, keyId: "not-published");
        (await fixture.Cluster.GetAsync(Summary(County), unknown)).Expect(HttpStatusCode.Unauthorized);
        // The issuer's key, but claiming to be the gateway itself: the gateway's own scheme checks it, with its own key.
        var posing = fixture.Issuer.Mint(Person(["party-county-admin"], $"county:{County}"), TestTokens.Options.Audience, issuer: TestTokens.Options.Issuer);
        (await fixture.Cluster.GetAsync(Summary(County), posing)).Expect(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_for_another_audience_is_401()
    {
        var token = fixture.Issuer.Mint(Person(["party-county-admin"], $"county:{County}"), "some-other-service");
        (await fixture.Cluster.GetAsync(Summary(County), token)).Expect(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_lifetime_cap_holds_for_the_issuers_tokens_too()
    {
        var token = fixture.Issuer.Mint(Person(["party-county-admin"], $"county:{County}"), Audience, lifetime: TimeSpan.FromDays(31));
        (await fixture.Cluster.GetAsync(Summary(County), token)).Expect(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_unmapped_role_is_no_role_and_reads_nothing_that_needs_one()
    {
        // The raw "role": "county-admin" of Person is not the claim configured (roles), so it grants nothing.
        var token = fixture.Issuer.Mint(Person(["party-visitor"], $"county:{County}"), Audience);
        (await fixture.Cluster.GetAsync(Summary(County), token)).Expect(HttpStatusCode.Forbidden);
        // Two Beacon roles at once is no role either.
        var both = fixture.Issuer.Mint(Person(["party-county-admin", "party-overseer"], $"county:{County}"), Audience);
        (await fixture.Cluster.GetAsync(Summary(County), both)).Expect(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_gateways_own_tokens_still_work_beside_the_issuers()
    {
        (await fixture.Cluster.GetAsync(Summary(County), TestTokens.CountyAdmin(County))).Expect(HttpStatusCode.OK);
        (await fixture.Cluster.GetAsync(Summary("620522"), TestTokens.CountyAdmin(County))).Expect(HttpStatusCode.Forbidden);
        (await fixture.Cluster.GetAsync(Summary(County), TestTokens.Expired(Roles.CountyAdmin, $"county:{County}"))).Expect(HttpStatusCode.Unauthorized);
        (await fixture.Cluster.GetAsync(Summary(County), null)).Expect(HttpStatusCode.Unauthorized);
        (await fixture.Cluster.GetAsync(Summary(County), CountyAdmin())).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_hub_takes_the_issuers_token_from_the_query_string()
    {
        const string Negotiate = "/hubs/live/negotiate?negotiateVersion=1";
        (await fixture.Cluster.PostAsync($"{Negotiate}&access_token={CountyAdmin()}", null)).Expect(HttpStatusCode.OK);
        using var other = RSA.Create(2048);
        var forged = fixture.Issuer.Mint(Person(["party-county-admin"], $"county:{County}"), Audience, signWith: other);
        (await fixture.Cluster.PostAsync($"{Negotiate}&access_token={forged}", null)).Expect(HttpStatusCode.Unauthorized);
        (await fixture.Cluster.PostAsync($"{Negotiate}&access_token={TestTokens.CountyAdmin(County)}", null)).Expect(HttpStatusCode.OK);
    }
}

/// <summary>Beacon:Auth:External as read and checked at start, and the issuer's claims as Beacon's.</summary>
public sealed class ExternalIssuerOptionsTests
{
    private static readonly AuthOptions Local = TestTokens.Options;

    private static ExternalIssuerOptions? Read(params (string Key, string Value)[] settings) =>
        ExternalIssuerOptions.From(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>($"Beacon:Auth:External:{s.Key}", s.Value)))
            .Build(), Local);

    private static void Refused(string setting, params (string Key, string Value)[] settings)
    {
        var e = Assert.Throws<BeaconConfigurationException>(() => Read(settings));
        Assert.Contains($"Beacon:Auth:External:{setting}", e.Message);
    }

    [Fact]
    public void Without_an_authority_there_is_no_external_issuer() => Assert.Null(Read(("Audience", "beacon")));

    [Fact]
    public void A_bad_section_is_refused_naming_the_setting()
    {
        Refused("Authority", ("Authority", "sso.example.org"), ("Audience", "beacon"));
        Refused("Authority", ("Authority", "ftp://sso.example.org"), ("Audience", "beacon"));
        Refused("Authority", ("Authority", "http://sso.example.org"), ("Audience", "beacon"));
        Refused("Audience", ("Authority", "https://sso.example.org"));
        Refused("Roles:boss", ("Authority", "https://sso.example.org"), ("Audience", "beacon"), ("Roles:boss", "system"));
        Refused("Roles:boss", ("Authority", "https://sso.example.org"), ("Audience", "beacon"), ("Roles:boss", "admin"));
        var options = Read(("Authority", "http://127.0.0.1:1"), ("Audience", "beacon"), ("RequireHttpsMetadata", "false"),
            ("Roles:party-county-admin", "county-admin"));
        Assert.NotNull(options);
        Assert.Equal("county-admin", options.Roles["party-county-admin"]);
        Assert.Equal(("role", "scope", "station", "name"), (options.RoleClaim, options.ScopeClaim, options.StationClaim, options.NameClaim));
    }

    [Fact]
    public async Task A_gateway_with_a_bad_section_says_which_setting_and_does_not_start()
    {
        var env = BeaconProcesses.CommonEnvironment();
        env["Beacon__Auth__SigningKey"] = BeaconProcesses.SigningKey;
        env["ASPNETCORE_URLS"] = $"http://127.0.0.1:{BeaconProcesses.FreePort()}";
        env["Beacon__Auth__External__Authority"] = "https://sso.example.org/realms/party";
        env["Beacon__Auth__External__Audience"] = "beacon";
        env["Beacon__Auth__External__Roles__party-boss"] = "system";
        await using var gateway = BeaconProcess.Start("gateway", BeaconProcesses.GatewayDll, [], env);
        Assert.True(await gateway.WaitForExitAsync(TimeSpan.FromSeconds(60)), $"the gateway kept running with a bad role map.\n{gateway.Describe()}");
        ConfigurationAssert.OneLineAndExit(gateway, "Beacon:Auth:External:Roles:party-boss");
    }

    [Fact]
    public void The_issuers_claims_become_beacons()
    {
        var options = Read(("Authority", "https://sso.example.org"), ("Audience", "beacon"), ("RoleClaim", "groups"),
            ("StationClaim", "site"), ("NameClaim", "preferred_username"), ("Roles:party-station", "station-staff"))!;
        var issued = new ClaimsPrincipal(new ClaimsIdentity(
        [
            new("sub", "li.na"), new("jti", "j1"), new("groups", "party-station"), new("role", "county-admin"),
            new("scope", "openid county:620521"), new("site", "st-7"), new("preferred_username", "李娜"),
        ], "external"));
        var mapped = options.Map(issued);
        var actor = mapped.Actor();
        Assert.Equal(new Actor("li.na", Roles.StationStaff, new Scope(Scope.County, "620521"), "st-7", "李娜"), actor);
        Assert.Equal("李娜（station-staff）", actor.Label);
        Assert.Equal("李娜", mapped.FindFirst("name")?.Value);
        Assert.Equal("j1", mapped.FindFirst("jti")?.Value);
        Assert.Single(mapped.FindAll("role"));

        Assert.Equal(Roles.Display, options.Map(new ClaimsPrincipal(new ClaimsIdentity([new("sub", "x"), new("groups", "party-visitor")], "external"))).Actor().Role);
        // A Beacon role the issuer names itself passes; "system" is none.
        Assert.Equal(Roles.CountyAdmin, options.RoleOf(["county-admin"]));
        Assert.Null(options.RoleOf(["system"]));
        Assert.Null(ExternalIssuerOptions.ScopeOf(["county:620521 province:620000"]));
    }
}
