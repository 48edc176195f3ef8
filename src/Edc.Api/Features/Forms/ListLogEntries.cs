using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Infrastructure.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Forms;

public static class ListLogEntries
{
    [AllowedToEveryRole]
    public sealed record Query(Guid TrialId, Guid ParticipantId, string FormCode, PageRequest Page) : IRequest<PagedList<FormDataView>>;

    /// <summary>A participant's entries of a log form in the order they were entered, removed ones included and marked, paged.</summary>
    internal sealed class Handler(EdcDbContext db, VisibleData visible, FormCatalogs catalogs) : IRequestHandler<Query, PagedList<FormDataView>>
    {
        public async Task<PagedList<FormDataView>> Handle(Query query, CancellationToken cancellationToken)
        {
            var context = await LogFormContext.LoadAsync(
                db, visible, catalogs, query.TrialId, query.ParticipantId, query.FormCode, entryId: null, tracked: false, cancellationToken);
            var page = await db.FormRecords.AsNoTracking()
                .Where(r => r.ParticipantId == context.Participant.Id && r.FormCode == query.FormCode && r.VisitId == null)
                .OrderBy(r => r.EnteredAt).ThenBy(r => r.Id)
                .ToPageAsync(query.Page, cancellationToken);
            return new PagedList<FormDataView>(
                [.. page.Items.Select(r => FormDataView.From(r, context.Catalog.Find(r.FormCode, r.FormVersion)!))], page.Page, page.PageSize, page.Total);
        }
    }
}
