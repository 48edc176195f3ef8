using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Infrastructure.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Mrss;

public static class GetMrss
{
    [AllowedToEveryRole]
    public sealed record Query(Guid TrialId, Guid ParticipantId, string VisitCode) : IRequest<MrssView>;

    /// <summary>The MRSS of a visit of a participant the caller may see; 404 when there is none (yet).</summary>
    internal sealed class Handler(EdcDbContext db, VisibleData visible) : IRequestHandler<Query, MrssView>
    {
        public async Task<MrssView> Handle(Query query, CancellationToken cancellationToken)
        {
            // The participant (one the caller may see), the visit and its MRSS: one query, left joins on unique indexes.
            var found = await (
                    from p in visible.Participants(query.TrialId).Where(p => p.Id == query.ParticipantId)
                    from v in db.Visits.Where(v => v.ParticipantId == p.Id && v.Code == query.VisitCode).DefaultIfEmpty()
                    from m in db.MrssAssessments.Where(m => m.VisitId == v.Id).DefaultIfEmpty()
                    select new { Visit = v, Assessment = m })
                .AsNoTracking()
                .SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("The participant");
            var visit = found.Visit ?? throw new NotFoundException("The visit");
            var assessment = found.Assessment ?? throw new NotFoundException("The MRSS assessment");
            return await MrssView.ForAsync(db, visit, assessment, cancellationToken);
        }
    }
}
