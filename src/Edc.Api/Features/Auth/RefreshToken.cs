using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Infrastructure.Auditing;
using Edc.Infrastructure.Persistence;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Auth;

public static class RefreshToken
{
    [AnonymousRequest]
    public sealed record Command(string? RefreshToken) : IRequest<TokenResponse>, ISignInAttempt
    {
        string? ISignInAttempt.Account => null;
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.RefreshToken).NotEmpty().MaximumLength(4096);
    }

    internal sealed class Handler(EdcDbContext db, TokenIssuer tokens, TimeProvider clock) : IRequestHandler<Command, TokenResponse>
    {
        public async Task<TokenResponse> Handle(Command command, CancellationToken cancellationToken)
        {
            var presented = tokens.ReadRefreshToken(command.RefreshToken!) ?? throw Rejected();
            var now = clock.GetUtcNow();
            var session = await db.AuthSessions.SingleOrDefaultAsync(
                s => s.Id == presented.SessionId && s.UserId == presented.UserId && s.RevokedAt == null && s.ExpiresAt > now,
                cancellationToken) ?? throw Rejected();
            var user = await db.Users.SingleAsync(u => u.Id == session.UserId, cancellationToken);

            if (session.RefreshTokenId != presented.RefreshTokenId)
            {
                // An older refresh token came back: it was copied. End the session for whoever holds it.
                session.RevokedAt = now;
                db.AuditEntries.Add(AuditEntry.Create(new AuditActor(user.Id, user.Email, string.Empty), "RefreshTokenReused", "User", user.Id.ToString()));
                await db.SaveChangesAsync(cancellationToken);
                throw Rejected();
            }

            if (!user.IsActive)
            {
                throw Rejected();
            }

            session.RefreshTokenId = Guid.NewGuid();
            await db.SaveChangesAsync(cancellationToken);
            return tokens.Issue(user.Id, session.Id, session.RefreshTokenId);
        }

        private static AuthenticationFailedException Rejected() => new("The refresh token is not valid.");
    }
}
