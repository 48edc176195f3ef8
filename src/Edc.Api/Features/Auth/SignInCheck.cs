using Edc.Api.Common;
using Edc.Infrastructure.Auditing;
using Edc.Infrastructure.Identity;
using Edc.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;

namespace Edc.Api.Features.Auth;

/// <summary>
/// Checks an email and password and opens a session row: the one sign-in of the API's tokens and the web's cookie, so
/// both have the same accounts, lockout, audit and revocation.
/// </summary>
internal sealed class SignInCheck(UserManager<EdcUser> users, EdcDbContext db, TimeProvider clock)
{
    private const int MaxAuditEntityIdLength = 200;

    /// <summary>The new session, live for <paramref name="lifetime"/>; throws <see cref="AuthenticationFailedException"/> otherwise.</summary>
    public async Task<AuthSession> OpenSessionAsync(string email, string password, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var user = await users.FindByEmailAsync(email);
        var failure = await CheckAsync(user, password);
        var actor = new AuditActor(user?.Id, user?.Email ?? email, user is null ? string.Empty : string.Join(',', await users.GetRolesAsync(user)));
        if (failure is not null)
        {
            // The reason is kept in the audit trail for the admins; the caller learns nothing that helps guessing.
            // An unknown email names the row; entity_id holds 200 characters while an email may have 256 (the actor keeps it whole).
            var entityId = user?.Id.ToString() ?? email[..Math.Min(email.Length, MaxAuditEntityIdLength)];
            db.AuditEntries.Add(AuditEntry.Create(actor, "LoginFailed", "User", entityId, reason: failure));
            await db.SaveChangesAsync(cancellationToken);
            throw new AuthenticationFailedException("The email or password is not correct, or the account cannot sign in now.");
        }

        await users.ResetAccessFailedCountAsync(user!);
        var now = clock.GetUtcNow();
        var session = new AuthSession
        {
            Id = Guid.NewGuid(),
            UserId = user!.Id,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
            RefreshTokenId = Guid.NewGuid(),
        };
        db.AuthSessions.Add(session);
        db.AuditEntries.Add(AuditEntry.Create(actor, "Login", "User", user.Id.ToString()));
        await db.SaveChangesAsync(cancellationToken);
        return session;
    }

    private async Task<string?> CheckAsync(EdcUser? user, string password)
    {
        if (user is null)
        {
            return "Unknown email.";
        }

        if (!user.IsActive)
        {
            return "The account is deactivated.";
        }

        if (await users.IsLockedOutAsync(user))
        {
            return "The account is locked out.";
        }

        if (await users.CheckPasswordAsync(user, password))
        {
            return null;
        }

        await users.AccessFailedAsync(user);
        return await users.IsLockedOutAsync(user) ? "Wrong password; the account is now locked out." : "Wrong password.";
    }
}
