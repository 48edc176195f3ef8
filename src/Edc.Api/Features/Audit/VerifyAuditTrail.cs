using Edc.Api.Security;
using Edc.Domain.Security;
using Edc.Infrastructure.Auditing;
using Edc.Infrastructure.Persistence;
using MediatR;

namespace Edc.Api.Features.Audit;

public static class VerifyAuditTrail
{
    [AllowedRoles(Roles.Admin)]
    public sealed record Query : IRequest<AuditChainVerification>;

    internal sealed class Handler(EdcDbContext db) : IRequestHandler<Query, AuditChainVerification>
    {
        public Task<AuditChainVerification> Handle(Query query, CancellationToken cancellationToken) => AuditChain.VerifyAsync(db, cancellationToken);
    }
}
