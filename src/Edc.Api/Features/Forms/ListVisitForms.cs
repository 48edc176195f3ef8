using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.DataManagement;
using Edc.Infrastructure.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Forms;

public static class ListVisitForms
{
    [AllowedToEveryRole]
    public sealed record Query(Guid TrialId, Guid ParticipantId, string VisitCode) : IRequest<IReadOnlyList<VisitFormSummary>>;

    /// <summary>The forms a visit collects, in the schedule's order, each with its status and open queries; one query for the visit and its data.</summary>
    internal sealed class Handler(EdcDbContext db, VisibleData visible, FormCatalogs catalogs) : IRequestHandler<Query, IReadOnlyList<VisitFormSummary>>
    {
        public async Task<IReadOnlyList<VisitFormSummary>> Handle(Query query, CancellationToken cancellationToken)
        {
            var found = await (
                    from p in visible.Participants(query.TrialId).Where(p => p.Id == query.ParticipantId)
                    join t in db.Trials on p.TrialId equals t.Id
                    from v in db.Visits.Where(v => v.ParticipantId == p.Id && v.Code == query.VisitCode).DefaultIfEmpty()
                    select new
                    {
                        t.FormsRevision,
                        Visit = v,
                        Records = db.FormRecords.Where(r => r.VisitId == v.Id).Select(r => new { r.FormCode, r.Status }).ToList(),
                        Mrss = db.MrssAssessments.Any(m => m.VisitId == v.Id),
                        Infusion = db.Infusions.Any(i => i.VisitId == v.Id),
                        Reviews = db.FormReviews.Where(r => r.VisitId == v.Id).Select(r => new { r.FormCode, Verified = r.VerifiedAt != null, Frozen = r.FrozenAt != null }).ToList(),
                        OpenQueries = db.Queries.Where(q => q.ParticipantId == p.Id && q.VisitCode == query.VisitCode && q.Status == QueryStatus.Open)
                            .Select(q => q.FormCode).ToList(),
                    })
                .AsNoTracking()
                .SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("The participant");
            var visit = found.Visit ?? throw new NotFoundException("The visit");
            var catalog = await catalogs.ForAsync(db, query.TrialId, found.FormsRevision, cancellationToken);
            return VisitFormSummary.ListAt(
                catalog, visit, found.Records.Select(r => (r.FormCode, r.Status)), found.Mrss, found.Infusion, found.Reviews.Select(r => (r.FormCode, r.Verified, r.Frozen)),
                found.OpenQueries);
        }
    }
}
