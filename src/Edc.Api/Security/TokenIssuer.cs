using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Edc.Api.Security;

/// <summary>
/// Issues and reads the framework's bearer tokens (Data Protection tickets; the key ring is shared through the
/// database). Both tokens name the user and the session; the refresh token also names its own id, so a refresh
/// token can be used once.
/// </summary>
public sealed class TokenIssuer(IOptionsMonitor<BearerTokenOptions> options, TimeProvider clock)
{
    public const string SessionClaim = "sid";
    public const string RefreshTokenClaim = "rti";

    private BearerTokenOptions Options => options.Get(IdentityConstants.BearerScheme);

    public TimeSpan RefreshTokenLifetime => Options.RefreshTokenExpiration;

    public TokenResponse Issue(Guid userId, Guid sessionId, Guid refreshTokenId)
    {
        var now = clock.GetUtcNow();
        var access = Ticket(now + Options.BearerTokenExpiration, (ClaimTypes.NameIdentifier, userId.ToString()), (SessionClaim, sessionId.ToString()));
        var refresh = Ticket(
            now + Options.RefreshTokenExpiration,
            (ClaimTypes.NameIdentifier, userId.ToString()),
            (SessionClaim, sessionId.ToString()),
            (RefreshTokenClaim, refreshTokenId.ToString()));
        return new TokenResponse(
            "Bearer",
            Options.BearerTokenProtector.Protect(access),
            (long)Options.BearerTokenExpiration.TotalSeconds,
            Options.RefreshTokenProtector.Protect(refresh));
    }

    /// <summary>The user, session and refresh token id a refresh token names, or null if it is not a valid, unexpired one.</summary>
    public (Guid UserId, Guid SessionId, Guid RefreshTokenId)? ReadRefreshToken(string refreshToken)
    {
        var ticket = Options.RefreshTokenProtector.Unprotect(refreshToken);
        if (ticket?.Properties.ExpiresUtc is not { } expires || expires < clock.GetUtcNow())
        {
            return null;
        }

        var principal = ticket.Principal;
        return Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            && Guid.TryParse(principal.FindFirstValue(SessionClaim), out var sessionId)
            && Guid.TryParse(principal.FindFirstValue(RefreshTokenClaim), out var refreshTokenId)
                ? (userId, sessionId, refreshTokenId)
                : null;
    }

    private static AuthenticationTicket Ticket(DateTimeOffset expires, params (string Type, string Value)[] claims)
    {
        var identity = new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), IdentityConstants.BearerScheme);
        var properties = new AuthenticationProperties { ExpiresUtc = expires };
        return new AuthenticationTicket(new ClaimsPrincipal(identity), properties, IdentityConstants.BearerScheme);
    }
}
