using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Beacon.Gateway.Security;

/// <summary>Section <c>Beacon:Auth</c>. The signing key must come from configuration; only Development ships one.</summary>
public sealed class AuthOptions
{
    public string Issuer { get; set; } = "beacon";
    public string Audience { get; set; } = "beacon";
    public string? SigningKey { get; set; }
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(12);

    public SymmetricSecurityKey Key =>
        SigningKey is { Length: >= 32 } key
            ? new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key))
            : throw new InvalidOperationException("Beacon:Auth:SigningKey must be set to at least 32 characters (environment Beacon__Auth__SigningKey).");

    public static AuthOptions From(IConfiguration configuration) => configuration.GetSection("Beacon:Auth").Get<AuthOptions>() ?? new();
}

public static class Tokens
{
    public static string Issue(AuthOptions options, string role, Scope scope, string subject, TimeSpan? lifetime = null, string? station = null)
    {
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = subject,
            [Access.RoleClaim] = role,
            [Access.ScopeClaim] = scope.ToString(),
        };
        if (station is not null) claims[Access.StationClaim] = station;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? options.TokenLifetime),
            Claims = claims,
            SigningCredentials = new SigningCredentials(options.Key, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>
    /// <c>token --role R --scope S [--station ID] [--subject NAME] [--hours H]</c>: prints a token signed with the configured key.
    /// Station staff need --station, and only they may have one.
    /// Answers null when the arguments are not a token command.
    /// </summary>
    public static int? RunCommand(string[] args, IConfiguration configuration, TextWriter output, TextWriter error)
    {
        if (args is not ["token", ..]) return null;
        string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var role = Arg("--role");
        var scope = Scope.Parse(Arg("--scope"));
        var station = Arg("--station");
        if (role is null || !Roles.All.Contains(role) || scope is null || (role == Roles.StationStaff) != (station is not null)
            || role is Roles.CountyAdmin or Roles.StationStaff && scope.Kind != Scope.County)
        {
            error.WriteLine($"usage: token --role {string.Join('|', Roles.All)} --scope county:NNNNNN|province:NN0000 [--station ID] [--subject NAME] [--hours H]");
            error.WriteLine("  county-admin and station-staff take a county scope; station-staff, and only it, takes --station");
            return 2;
        }
        var hours = double.TryParse(Arg("--hours"), out var h) && h > 0 ? TimeSpan.FromHours(h) : (TimeSpan?)null;
        output.WriteLine(Issue(AuthOptions.From(configuration), role, scope, Arg("--subject") ?? $"{role}@{scope}", hours, station));
        return 0;
    }
}

public static class AuthExtensions
{
    public static IServiceCollection AddBeaconAuth(this IServiceCollection services, IConfiguration configuration)
    {
        var options = AuthOptions.From(configuration);
        var key = options.Key; // read now: a gateway without a signing key must not start
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = options.Issuer,
                ValidAudience = options.Audience,
                IssuerSigningKey = key,
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
            };
        });
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddBeaconPolicies();
        return services;
    }
}
