using System.Net;
using Beacon.Gateway.Security;
using Beacon.IntegrationTests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static Beacon.IntegrationTests.Infrastructure.InMemoryClusterFixture;

namespace Beacon.IntegrationTests;

/// <summary>No token outlives the cap, however well it is signed; every token Beacon issues has an id of its own.</summary>
[Collection(InMemoryClusterCollection.Name)]
public sealed class TokenLifetimeTests(InMemoryClusterFixture fixture)
{
    private static readonly string Summary = $"/api/counties/{Qingshui}/summary";

    /// <summary>A county-admin token signed with the gateway's own key, with the times given.</summary>
    private static string Signed(DateTime? issuedAt, DateTime? notBefore, DateTime expires) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TestTokens.Options.Issuer,
            Audience = TestTokens.Options.Audience,
            IssuedAt = issuedAt,
            NotBefore = notBefore,
            Expires = expires,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = "lifetime-test",
                [Access.RoleClaim] = Roles.CountyAdmin,
                [Access.ScopeClaim] = $"county:{Qingshui}",
            },
            SigningCredentials = new SigningCredentials(TestTokens.Options.Key, SecurityAlgorithms.HmacSha256),
        });

    [Fact]
    public async Task A_correctly_signed_token_that_lives_longer_than_the_cap_is_401()
    {
        var now = DateTime.UtcNow;
        // Within the cap (30 days): accepted, so what follows is refused for its lifetime alone.
        (await fixture.Cluster.GetAsync(Summary, Signed(now, now, now.AddDays(29)))).Expect(HttpStatusCode.OK);
        // What `token --hours 876000` gave before the cap: valid until 2126.
        (await fixture.Cluster.GetAsync(Summary, Signed(now, now, now.AddHours(876000)))).Expect(HttpStatusCode.Unauthorized);
        (await fixture.Cluster.GetAsync(Summary, Signed(now, now, now.AddDays(31)))).Expect(HttpStatusCode.Unauthorized);
        // Issued long ago and still valid for an hour: its lifetime counts from iat, not from now.
        (await fixture.Cluster.GetAsync(Summary, Signed(now.AddDays(-40), now.AddDays(-40), now.AddHours(1)))).Expect(HttpStatusCode.Unauthorized);
        // nbf alone counts as the start; with neither, the lifetime is unknown.
        (await fixture.Cluster.GetAsync(Summary, Signed(null, now, now.AddDays(31)))).Expect(HttpStatusCode.Unauthorized);
        (await fixture.Cluster.GetAsync(Summary, Signed(null, null, now.AddHours(1)))).Expect(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public void Every_issued_token_has_its_own_jti()
    {
        var ids = Enumerable.Range(0, 3)
            .Select(_ => new JsonWebToken(TestTokens.CountyAdmin(Qingshui)).Id)
            .ToArray();
        Assert.All(ids, id => Assert.False(string.IsNullOrEmpty(id)));
        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    [Fact]
    public void Beacon_issues_no_token_longer_than_the_cap()
    {
        var options = new AuthOptions { SigningKey = BeaconProcesses.SigningKey };
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            Tokens.Issue(options, Roles.CountyAdmin, Scope.Parse($"county:{Qingshui}")!, "too long", AuthOptions.DefaultMaxTokenLifetime + TimeSpan.FromSeconds(1)));
    }
}
