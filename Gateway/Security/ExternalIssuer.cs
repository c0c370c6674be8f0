using System.Security.Claims;
using Beacon.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Beacon.Gateway.Security;

/// <summary>
/// Section <c>Beacon:Auth:External</c>: an OpenID Connect issuer whose tokens the gateway accepts beside its own. Its
/// signing keys and issuer are discovered from <c>{Authority}/.well-known/openid-configuration</c>; its claims are
/// turned into Beacon's (<see cref="Access.RoleClaim"/> after <see cref="Roles"/>, <see cref="Access.ScopeClaim"/>,
/// <see cref="Access.StationClaim"/>, <c>name</c>) so that <see cref="Access.Actor"/> and the policies read them as they
/// read the gateway's own. Not set (no Authority): the gateway accepts its own tokens only, as before.
/// </summary>
public sealed class ExternalIssuerOptions
{
    public const string Section = AuthOptions.Section + ":External";

    /// <summary>The policy scheme that is the default when an external issuer is configured: it forwards by the token's <c>iss</c>.</summary>
    public const string SelectorScheme = "beacon-or-external";

    /// <summary>The JwtBearer scheme of the external issuer's tokens.</summary>
    public const string Scheme = "external";

    /// <summary>Beacon's claim of a display name, which the external token's <see cref="NameClaim"/> becomes.</summary>
    public const string BeaconNameClaim = "name";

    public string? Authority { get; set; }
    public string? Audience { get; set; }
    public bool RequireHttpsMetadata { get; set; } = true;
    public string RoleClaim { get; set; } = Access.RoleClaim;
    public string ScopeClaim { get; set; } = Access.ScopeClaim;
    public string StationClaim { get; set; } = Access.StationClaim;
    public string NameClaim { get; set; } = BeaconNameClaim;

    /// <summary>The issuer's role values to Beacon's (<see cref="Beacon.Roles.All"/>), matched exactly.</summary>
    public Dictionary<string, string> Roles { get; set; } = [];

    /// <summary>The section read and checked, or null when it has no Authority; any problem is a <see cref="BeaconConfigurationException"/>.</summary>
    public static ExternalIssuerOptions? From(IConfiguration configuration, AuthOptions local)
    {
        var section = configuration.GetSection(Section);
        ExternalIssuerOptions options;
        try
        {
            options = section.Get<ExternalIssuerOptions>() ?? new();
        }
        catch (InvalidOperationException e)
        {
            throw new BeaconConfigurationException($"{Section}: {e.Message}", e);
        }
        if (options.Authority is not { Length: > 0 } authority) return null;
        if (!Uri.TryCreate(authority, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new BeaconConfigurationException($"{Section}:Authority '{authority}' is not an absolute http or https URL (the issuer's, e.g. https://sso.example.org/realms/beacon)");
        if (options.RequireHttpsMetadata && uri.Scheme != "https")
            throw new BeaconConfigurationException($"{Section}:Authority '{authority}' is not https; set {Section}:RequireHttpsMetadata=false only for a test issuer");
        if (options.Audience is not { Length: > 0 })
            throw new BeaconConfigurationException($"{Section}:Audience is not set: the audience the issuer puts in the tokens meant for Beacon");
        if (string.Equals(authority.TrimEnd('/'), local.Issuer, StringComparison.Ordinal))
            throw new BeaconConfigurationException($"{Section}:Authority is the gateway's own issuer {AuthOptions.Section}:Issuer '{local.Issuer}'");
        foreach (var (claim, setting) in new[] { (options.RoleClaim, "RoleClaim"), (options.ScopeClaim, "ScopeClaim"), (options.StationClaim, "StationClaim"), (options.NameClaim, "NameClaim") })
            if (string.IsNullOrWhiteSpace(claim))
                throw new BeaconConfigurationException($"{Section}:{setting} is empty: the name of the issuer's claim");
        foreach (var (from, to) in options.Roles)
            if (!Beacon.Roles.All.Contains(to))
                throw new BeaconConfigurationException($"{Section}:Roles:{from} is '{to}', which is no Beacon role ({string.Join(", ", Beacon.Roles.All)})");
        return options;
    }

    /// <summary>
    /// The Beacon role of the issuer's role values: each through the map, or kept when it is a Beacon role itself;
    /// none, or more than one distinct, is no role (the principal then counts as display, which may change nothing).
    /// </summary>
    public string? RoleOf(IEnumerable<string> values)
    {
        string[] roles = [.. values
            .Select(v => Roles.TryGetValue(v, out var mapped) ? mapped : Beacon.Roles.All.Contains(v) ? v : null)
            .OfType<string>()
            .Distinct()];
        return roles is [var one] ? one : null;
    }

    /// <summary>The one Beacon scope among the issuer's scope values (space-separated like OAuth's <c>scope</c>); none or several distinct is none.</summary>
    public static string? ScopeOf(IEnumerable<string> values)
    {
        string[] scopes = [.. values
            .SelectMany(v => v.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(v => Scope.Parse(v)?.ToString())
            .OfType<string>()
            .Distinct()];
        return scopes is [var one] ? one : null;
    }

    /// <summary>
    /// The principal of an external token with Beacon's claim names only, so that no issuer's claim that happens to
    /// be called <c>role</c> or <c>scope</c> is read before the mapped one. <c>sub</c> and <c>jti</c> are kept as they
    /// are: the actor's name, idempotency and the rate limits' buckets read them.
    /// </summary>
    public ClaimsPrincipal Map(ClaimsPrincipal issued)
    {
        IEnumerable<string> Values(string type) => issued.FindAll(type).Select(c => c.Value);
        var claims = new List<System.Security.Claims.Claim>();
        void Add(string type, string? value)
        {
            if (value is { Length: > 0 }) claims.Add(new System.Security.Claims.Claim(type, value, ClaimValueTypes.String, Authority));
        }
        Add("iss", issued.FindFirst("iss")?.Value);
        Add("sub", issued.FindFirst("sub")?.Value);
        Add("jti", issued.FindFirst("jti")?.Value);
        Add(Access.RoleClaim, RoleOf(Values(RoleClaim)));
        Add(Access.ScopeClaim, ScopeOf(Values(ScopeClaim)));
        Add(Access.StationClaim, issued.FindFirst(StationClaim)?.Value);
        Add(BeaconNameClaim, issued.FindFirst(NameClaim)?.Value);
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme, "sub", Access.RoleClaim));
    }

    /// <summary>
    /// Adds the external issuer's JwtBearer scheme and the policy scheme that picks, per request, between it and the
    /// gateway's own (<paramref name="localScheme"/>): a token whose <c>iss</c> (read, not yet trusted) is the gateway's
    /// own issuer goes to the local scheme, any other to the external one, which checks it against the issuer's
    /// discovered metadata. The external scheme runs the local scheme's events (the hub's query-string token, the
    /// lifetime cap), then maps the claims.
    /// </summary>
    public AuthenticationBuilder AddTo(AuthenticationBuilder authentication, AuthOptions local, string localScheme)
    {
        authentication.AddJwtBearer(Scheme, jwt =>
        {
            jwt.Authority = Authority;
            jwt.Audience = Audience;
            jwt.RequireHttpsMetadata = RequireHttpsMetadata;
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidAudience = Audience,
                ClockSkew = TimeSpan.FromSeconds(30),
                RoleClaimType = Access.RoleClaim,
                NameClaimType = "sub",
            };
            // The local scheme's events, read per request: its options are not this scheme's to take at configuration
            // (an IOptionsMonitor<JwtBearerOptions> asked for in a configuration of JwtBearerOptions depends on itself).
            static JwtBearerEvents Shared(HttpContext http, string scheme) =>
                http.RequestServices.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(scheme).Events;
            jwt.Events = new JwtBearerEvents
            {
                OnMessageReceived = context => Shared(context.HttpContext, localScheme).MessageReceived(context),
                OnTokenValidated = async context =>
                {
                    await Shared(context.HttpContext, localScheme).TokenValidated(context);
                    if (context.Result is null && context.Principal is { } principal) context.Principal = Map(principal);
                },
            };
        });
        return authentication.AddPolicyScheme(SelectorScheme, "Beacon's own tokens or the external issuer's", policy =>
            policy.ForwardDefaultSelector = context =>
                UntrustedIssuer(TokenOf(context.Request)) is { } issuer && issuer != local.Issuer ? Scheme : localScheme);
    }

    /// <summary>The bearer token of a request as the schemes find it: the Authorization header, or the hub's <c>access_token</c>.</summary>
    private static string? TokenOf(HttpRequest request)
    {
        if (request.Headers.Authorization.ToString() is { Length: > 7 } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return header[7..].Trim();
        return request.Path.StartsWithSegments("/hubs") && request.Query["access_token"] is { Count: > 0 } token ? token.ToString() : null;
    }

    private static string? UntrustedIssuer(string? token)
    {
        if (token is not { Length: > 0 }) return null;
        var handler = new JsonWebTokenHandler();
        if (!handler.CanReadToken(token)) return null;
        try
        {
            return handler.ReadJsonWebToken(token).Issuer;
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException)
        {
            return null;
        }
    }
}
