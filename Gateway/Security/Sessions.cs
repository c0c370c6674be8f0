using Microsoft.IdentityModel.JsonWebTokens;

namespace Beacon.Gateway.Security;

/// <summary>
/// Whether a signed-in token still speaks for its account: the account asked on every request, so that ending an
/// account ends its sign-ins at once on every gateway. Tokens of the token command carry no session and are not asked about.
/// </summary>
public static class Sessions
{
    public static async Task<bool> IsCurrentAsync(HttpContext http, JsonWebToken token)
    {
        if (!token.TryGetPayloadValue<long>(Access.SessionClaim, out var session)) return true;
        if (!token.TryGetPayloadValue<string>("sub", out var user) || user is not { Length: > 0 }) return false;
        var grains = http.RequestServices.GetRequiredService<IGrainFactory>();
        return await grains.GetGrain<IAccountGrain>(Accounts.Key(user)).IsCurrentAsync(session);
    }
}
