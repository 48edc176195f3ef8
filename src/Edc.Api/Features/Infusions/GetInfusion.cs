using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Infrastructure.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Infusions;

public static class GetInfusion
{
    [AllowedToEveryRole]
    public sealed record Query(Guid TrialId, Guid ParticipantId, string VisitCode) : IRequest<InfusionView>;

    internal sealed class Handler(EdcDbContext db, VisibleData visible) : IRequestHandler<Query, InfusionView>
    {
        public async Task<InfusionView> Handle(Query query, CancellationToken cancellationToken)
        {
            var (_, participant) = await visible.TrialAndParticipantAsync(query.TrialId, query.ParticipantId, cancellationToken);
            var visit = await db.Visits.AsNoTracking().SingleOrDefaultAsync(v => v.ParticipantId == participant.Id && v.Code == query.VisitCode, cancellationToken)
                ?? throw new NotFoundException("The visit");
            var infusion = await db.Infusions.AsNoTracking().SingleOrDefaultAsync(i => i.VisitId == visit.Id, cancellationToken)
                ?? throw new NotFoundException("The infusion");
            return InfusionView.From(visit, infusion, await InfusionCounts.ReceivedAsync(db, participant.Id, cancellationToken));
        }
    }
}
