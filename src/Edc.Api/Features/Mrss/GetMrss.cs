using Edc.Api.Common;
using Edc.Infrastructure.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Mrss;

public static class GetMrss
{
    public sealed record Query(Guid TrialId, Guid ParticipantId, string VisitCode) : IRequest<MrssView>;

    /// <summary>The MRSS of a visit of a participant the caller may see; 404 when there is none (yet).</summary>
    internal sealed class Handler(EdcDbContext db, VisibleData visible) : IRequestHandler<Query, MrssView>
    {
        public async Task<MrssView> Handle(Query query, CancellationToken cancellationToken)
        {
            var (_, participant) = await visible.TrialAndParticipantAsync(query.TrialId, query.ParticipantId, cancellationToken);
            var visit = await db.Visits.AsNoTracking().SingleOrDefaultAsync(v => v.ParticipantId == participant.Id && v.Code == query.VisitCode, cancellationToken)
                ?? throw new NotFoundException("The visit");
            var assessment = await db.MrssAssessments.AsNoTracking().SingleOrDefaultAsync(m => m.VisitId == visit.Id, cancellationToken)
                ?? throw new NotFoundException("The MRSS assessment");
            return await MrssView.ForAsync(db, visit, assessment, cancellationToken);
        }
    }
}
