using System.Text;
using Beacon.Hosting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Beacon.Gateway.Security;

/// <summary>
/// Section <c>Beacon:Auth</c>. The signing key comes from <c>SigningKey</c>, or else from the file <c>SigningKeyFile</c>
/// (the installation's <c>signing-key</c> by default, which run.sh makes): nothing in the repository signs anything.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Beacon:Auth";
    public const int MinimumKeyLength = 32;

    /// <summary>The longest lifetime a token may have, unless <c>Beacon:Auth:MaxTokenLifetime</c> says otherwise.</summary>
    public static readonly TimeSpan DefaultMaxTokenLifetime = TimeSpan.FromDays(30);

    public string Issuer { get; set; } = "beacon";
    public string Audience { get; set; } = "beacon";
    public string? SigningKey { get; set; }
    public string? SigningKeyFile { get; set; }
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(4);

    /// <summary>
    /// No token lives longer, however it was signed: the gateway refuses one whose exp is further than this from its
    /// iat or nbf, so that a leaked token stops working within weeks (`--hours 876000` once gave one until 2126).
    /// </summary>
    public TimeSpan MaxTokenLifetime { get; set; } = DefaultMaxTokenLifetime;

    public string SigningKeyPath => SigningKeyFile is { Length: > 0 } path ? path : Installation.PathOf(Installation.SigningKeyFile);

    public SymmetricSecurityKey Key =>
        SigningKey is { Length: >= MinimumKeyLength } key
            ? new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key))
            : throw new BeaconConfigurationException(SigningKey is { Length: > 0 }
                ? $"the JWT signing key is {SigningKey.Length} characters; it needs at least {MinimumKeyLength}"
                : NoKey);

    private string NoKey =>
        $"no JWT signing key: set {Section}:SigningKey (environment Beacon__Auth__SigningKey) or keep one in {SigningKeyPath} " +
        $"({Section}:SigningKeyFile); ./run.sh makes one per installation";

    /// <summary>The section with its signing key read and checked; any problem is a <see cref="BeaconConfigurationException"/>.</summary>
    public static AuthOptions From(IConfiguration configuration)
    {
        AuthOptions options;
        try
        {
            options = configuration.GetSection(Section).Get<AuthOptions>() ?? new();
        }
        catch (InvalidOperationException e)
        {
            throw new BeaconConfigurationException($"{Section}: {e.Message}", e);
        }
        if (options.SigningKey is not { Length: > 0 })
        {
            options.SigningKey = Installation.ReadSecret(options.SigningKeyPath, "JWT signing key", $"{Section}:SigningKeyFile")
                ?? throw new BeaconConfigurationException(options.NoKey);
            if (options.SigningKey.Length < MinimumKeyLength)
                throw new BeaconConfigurationException($"the JWT signing key in {options.SigningKeyPath} is {options.SigningKey.Length} characters; it needs at least {MinimumKeyLength}");
        }
        _ = options.Key;
        if (options.MaxTokenLifetime <= TimeSpan.Zero)
            throw new BeaconConfigurationException($"{Section}:MaxTokenLifetime is {options.MaxTokenLifetime}; it must be positive");
        if (options.TokenLifetime <= TimeSpan.Zero || options.TokenLifetime > options.MaxTokenLifetime)
            throw new BeaconConfigurationException($"{Section}:TokenLifetime is {options.TokenLifetime}; it must be positive and at most {Section}:MaxTokenLifetime ({options.MaxTokenLifetime})");
        return options;
    }

    /// <summary>Why a validly signed token is still refused for its lifetime, or null when it is within the cap.</summary>
    public string? LifetimeProblem(JsonWebToken token)
    {
        // JsonWebToken answers DateTime.MinValue for a claim the token does not carry.
        DateTime[] starts = [.. new[] { token.IssuedAt, token.ValidFrom }.Where(t => t != DateTime.MinValue)];
        if (starts.Length == 0) return "the token has neither iat nor nbf, so its lifetime is unknown";
        var lifetime = token.ValidTo - starts.Min();
        return lifetime > MaxTokenLifetime ? $"the token's lifetime {lifetime} exceeds {Section}:MaxTokenLifetime {MaxTokenLifetime}" : null;
    }
}

public static class Tokens
{
    /// <summary>A signed-in account's token: its name, display name, role, scope, station and session, for the configured lifetime.</summary>
    public static (string Token, DateTimeOffset ExpiresAt) IssueFor(AuthOptions options, AccountView account, long session)
    {
        var expiresAt = DateTimeOffset.UtcNow + options.TokenLifetime;
        return (Issue(options, account.Role, Scope.Parse(account.Scope), account.User, options.TokenLifetime, account.StationId, account.DisplayName, session), expiresAt);
    }

    public static string Issue(AuthOptions options, string role, Scope? scope, string subject, TimeSpan? lifetime = null, string? station = null,
        string? displayName = null, long? session = null)
    {
        var life = lifetime ?? options.TokenLifetime;
        if (life <= TimeSpan.Zero || life > options.MaxTokenLifetime)
            throw new ArgumentOutOfRangeException(nameof(lifetime), life, $"a token lives more than nothing and at most {options.MaxTokenLifetime}");
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = subject,
            // Each token its own id: what is kept per token (rate-limit buckets) is kept by it.
            ["jti"] = Guid.NewGuid().ToString("N"),
            [Access.RoleClaim] = role,
        };
        if (scope is not null) claims[Access.ScopeClaim] = scope.ToString();
        if (station is not null) claims[Access.StationClaim] = station;
        if (displayName is not null) claims[Access.NameClaim] = displayName;
        if (session is not null) claims[Access.SessionClaim] = session.Value;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + life,
            Claims = claims,
            SigningCredentials = new SigningCredentials(options.Key, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>
    /// <c>token --role R --scope S [--station ID] [--subject NAME] [--hours H]</c>: prints a token signed with the configured key.
    /// Each role takes the scopes of <see cref="Accounts.ScopeKindsOf"/>; station staff need --station, and only they may have one.
    /// A configuration problem is one line on
    /// <paramref name="error"/> and exit code 1; bad arguments are exit code 2.
    /// Answers null when the arguments are not a token command.
    /// </summary>
    public static int? RunCommand(string[] args, IConfiguration configuration, TextWriter output, TextWriter error)
    {
        if (args is not ["token", ..]) return null;
        string? Arg(string name) => CommandLine.Value(args, name);
        var role = Arg("--role");
        var scope = Scope.Parse(Arg("--scope"));
        var station = Arg("--station");
        if (role is null || !Roles.All.Contains(role) || (role == Roles.StationStaff) != (station is not null)
            || (scope is null ? Accounts.ScopeKindsOf(role).Length > 0 : !Accounts.ScopeKindsOf(role).Contains(scope.Kind)))
        {
            error.WriteLine($"usage: token --role {string.Join('|', Roles.All)} --scope county:NNNNNN|prefecture:NNNN00|province:NN0000 [--station ID] [--subject NAME] [--hours H]");
            error.WriteLine("  county-admin and station-staff take a county scope, province-overseer a prefecture or province scope,");
            error.WriteLine("  province-admin a province scope, display any, platform-admin none; station-staff, and only it, takes --station");
            return 2;
        }
        AuthOptions options;
        try
        {
            options = AuthOptions.From(configuration);
        }
        catch (BeaconConfigurationException e)
        {
            error.WriteLine($"token: {e.Message}");
            return BeaconHost.ConfigurationExitCode;
        }
        TimeSpan? lifetime = null;
        if (Arg("--hours") is { } hoursArg)
        {
            if (!double.TryParse(hoursArg, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var hours)
                || !double.IsFinite(hours) || hours <= 0)
            {
                error.WriteLine($"token: --hours '{hoursArg}' is not a positive number of hours");
                return 2;
            }
            if (hours > options.MaxTokenLifetime.TotalHours)
            {
                error.WriteLine($"token: --hours {hoursArg} is longer than the longest lifetime allowed, {options.MaxTokenLifetime.TotalHours:0.##} h ({AuthOptions.Section}:MaxTokenLifetime)");
                return 2;
            }
            lifetime = TimeSpan.FromHours(hours);
        }
        output.WriteLine(Issue(options, role, scope, Arg("--subject") ?? $"{role}@{scope}", lifetime, station));
        return 0;
    }
}

public static class AuthExtensions
{
    public static IServiceCollection AddBeaconAuth(this IServiceCollection services, IConfiguration configuration)
    {
        var options = AuthOptions.From(configuration); // now: a gateway without a good signing key must not start
        services.AddSingleton(options);
        // Beacon:Auth:External (ExternalIssuer.cs): an OpenID Connect issuer whose tokens are accepted beside these.
        var external = ExternalIssuerOptions.From(configuration, options);
        var authentication = services.AddAuthentication(external is null ? JwtBearerDefaults.AuthenticationScheme : ExternalIssuerOptions.SelectorScheme);
        external?.AddTo(authentication, options, JwtBearerDefaults.AuthenticationScheme);
        authentication.AddOperatorCookie();
        authentication.AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = options.Issuer,
                ValidAudience = options.Audience,
                IssuerSigningKey = options.Key,
                ClockSkew = TimeSpan.FromSeconds(30),
                RoleClaimType = Access.RoleClaim,
                NameClaimType = "sub",
            };
            // Browsers' WebSockets cannot send headers: the hub takes the token from the query string.
            jwt.Events = new JwtBearerEvents
            {
                OnMessageReceived = context =>
                {
                    if (context.HttpContext.Request.Path.StartsWithSegments("/hubs") &&
                        context.Request.Query["access_token"] is { Count: > 0 } token)
                        context.Token = token;
                    return Task.CompletedTask;
                },
                OnTokenValidated = async context =>
                {
                    if (context.SecurityToken is not JsonWebToken jwt) context.Fail("not a JSON web token");
                    else if (options.LifetimeProblem(jwt) is { } problem) context.Fail(problem);
                    else if (!await Sessions.IsCurrentAsync(context.HttpContext, jwt)) context.Fail("the account has ended, or its session with it");
                },
            };
        });
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddBeaconPolicies();
        return services;
    }
}
