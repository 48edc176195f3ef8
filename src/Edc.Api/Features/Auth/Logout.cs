using Edc.Api.Security;
using Edc.Infrastructure.Auditing;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Auth;

public static class Logout
{
    [AllowedToEveryRole]
    public sealed record Command(Guid SessionId) : IRequest;

    internal sealed class Handler(EdcDbContext db, CurrentUser currentUser, TimeProvider clock) : IRequestHandler<Command>
    {
        public async Task Handle(Command command, CancellationToken cancellationToken)
        {
            var session = await db.AuthSessions.SingleAsync(s => s.Id == command.SessionId && s.UserId == currentUser.Id, cancellationToken);
            session.RevokedAt ??= clock.GetUtcNow();
            db.AuditEntries.Add(AuditEntry.Create(
                new AuditActor(currentUser.Id, currentUser.Email, string.Join(',', currentUser.Roles)), "Logout", "User", session.UserId.ToString()));
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
