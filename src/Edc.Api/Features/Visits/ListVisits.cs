using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Infrastructure.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Visits;

public static class ListVisits
{
    [AllowedToEveryRole]
    public sealed record Query(Guid TrialId, Guid ParticipantId) : IRequest<IReadOnlyList<VisitView>>;

    internal sealed class Handler(EdcDbContext db, VisibleData visible) : IRequestHandler<Query, IReadOnlyList<VisitView>>
    {
        public async Task<IReadOnlyList<VisitView>> Handle(Query query, CancellationToken cancellationToken)
        {
            var (_, participant) = await visible.TrialAndParticipantAsync(query.TrialId, query.ParticipantId, cancellationToken);
            var visits = await db.Visits.AsNoTracking().Where(v => v.ParticipantId == participant.Id)
                .OrderBy(v => v.Day == null).ThenBy(v => v.Day).ThenBy(v => v.Code)
                .ToListAsync(cancellationToken);
            return [.. visits.Select(VisitView.From)];
        }
    }
}
