using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Infrastructure.Persistence;
using MediatR;

namespace Edc.Api.Features.Forms;

public static class GetLogEntry
{
    [AllowedToEveryRole]
    public sealed record Query(Guid TrialId, Guid ParticipantId, string FormCode, Guid EntryId) : IRequest<FormDataView>;

    internal sealed class Handler(EdcDbContext db, VisibleData visible, FormCatalogs catalogs) : IRequestHandler<Query, FormDataView>
    {
        public async Task<FormDataView> Handle(Query query, CancellationToken cancellationToken)
        {
            var context = await LogFormContext.LoadAsync(
                db, visible, catalogs, query.TrialId, query.ParticipantId, query.FormCode, query.EntryId, tracked: false, cancellationToken);
            return FormDataView.From(context.Entry!, context.Form);
        }
    }
}
