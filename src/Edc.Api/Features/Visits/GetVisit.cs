using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Infrastructure.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Visits;

public static class GetVisit
{
    [AllowedToEveryRole]
    public sealed record Query(Guid TrialId, Guid ParticipantId, string VisitCode) : IRequest<VisitView>;

    /// <summary>One visit of a participant the caller may see, with its version (the ETag an edit sends back).</summary>
    internal sealed class Handler(EdcDbContext db, VisibleData visible) : IRequestHandler<Query, VisitView>
    {
        public async Task<VisitView> Handle(Query query, CancellationToken cancellationToken)
        {
            var (_, participant) = await visible.TrialAndParticipantAsync(query.TrialId, query.ParticipantId, cancellationToken);
            var visit = await db.Visits.AsNoTracking().SingleOrDefaultAsync(v => v.ParticipantId == participant.Id && v.Code == query.VisitCode, cancellationToken)
                ?? throw new NotFoundException("The visit");
            return VisitView.From(visit);
        }
    }
}
