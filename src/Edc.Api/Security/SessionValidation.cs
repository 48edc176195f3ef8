using System.Security.Claims;
using Edc.Infrastructure.Identity;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Security;

/// <summary>
/// Checks every authenticated request against the database: the session must be live and the user active,
/// so logout and deactivation take effect at once on every instance. Roles and sites are read here too, so a
/// change of role applies to the next request. The row is read through this instance's <see cref="SessionCache"/>, which
/// the database's announcements keep current; a request that changes someone's access forgets their copies before it
/// answers. A failed check leaves the request anonymous (401, or the sign-in page).
/// Bearer tokens and the web's cookie name their session alike; a cookie's session also ends after the idle time, which
/// each of its requests pushes back (once a <see cref="WebSessionSettings.RenewalStep"/> at most).
/// </summary>
public sealed class SessionValidation(RequestDelegate next)
{
    public async Task InvokeAsync(
        HttpContext context, EdcDbContext db, CurrentUser currentUser, TimeProvider clock, WebSessionSettings web, SessionCache sessions)
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            // After the change has committed, before the caller can see its answer.
            context.Response.OnStarting(() =>
            {
                foreach (var userId in db.UsersWithChangedAccess)
                {
                    sessions.Forget(userId);
                }

                return Task.CompletedTask;
            });
        }

        if (context.User.Identity?.IsAuthenticated == true)
        {
            var now = clock.GetUtcNow();
            var user = await LoadAsync(context.User, db, sessions, now, context.RequestAborted);
            var authenticationType = context.User.Identity.AuthenticationType;
            if (user is null)
            {
                context.User = new ClaimsPrincipal(new ClaimsIdentity());
            }
            else
            {
                if (authenticationType == WebSessionSettings.CookieScheme && user.ExpiresAt - now < web.IdleTimeout - web.RenewalStep)
                {
                    var expires = now + web.IdleTimeout;
                    await db.AuthSessions.Where(s => s.Id == user.SessionId && s.RevokedAt == null)
                        .ExecuteUpdateAsync(set => set.SetProperty(s => s.ExpiresAt, expires), context.RequestAborted);
                }

                var roles = user.RoleIds.Select(id => EdcRole.NamesById[id]).ToList();
                currentUser.Set(user.UserId, user.Email, roles, user.SiteIds);
                var identity = new ClaimsIdentity(
                    [
                        new Claim(ClaimTypes.NameIdentifier, user.UserId.ToString()),
                        new Claim(TokenIssuer.SessionClaim, user.SessionId.ToString()),
                        .. roles.Select(r => new Claim(ClaimTypes.Role, r)),
                    ],
                    authenticationType == WebSessionSettings.CookieScheme ? WebSessionSettings.CookieScheme : IdentityConstants.BearerScheme);
                context.User = new ClaimsPrincipal(identity);
            }
        }

        await next(context);
    }

    private static async Task<ActiveSession?> LoadAsync(
        ClaimsPrincipal principal, EdcDbContext db, SessionCache sessions, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            || !Guid.TryParse(principal.FindFirstValue(TokenIssuer.SessionClaim), out var sessionId))
        {
            return null;
        }

        return await sessions.FindAsync(db, sessionId, userId, now, cancellationToken);
    }
}
