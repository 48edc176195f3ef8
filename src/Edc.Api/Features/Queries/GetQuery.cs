using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Queries;

public static class GetQuery
{
    [AllowedRoles(Roles.Admin, Roles.Coordinator, Roles.Investigator, Roles.Monitor, Roles.DataManager)]
    public sealed record Query(Guid TrialId, Guid QueryId) : IRequest<QueryView>;

    /// <summary>A query the caller may see (404 otherwise) with its whole thread, in one statement.</summary>
    internal sealed class Handler(EdcDbContext db, CurrentUser user) : IRequestHandler<Query, QueryView>
    {
        public async Task<QueryView> Handle(Query query, CancellationToken cancellationToken)
        {
            var found = await (
                    from q in db.Queries.Include(q => q.Messages).Where(q => q.Id == query.QueryId && q.TrialId == query.TrialId)
                    join p in db.Participants on q.ParticipantId equals p.Id
                    select new { Query = q, p.ScreeningNumber })
                .AsNoTracking()
                .SingleOrDefaultAsync(cancellationToken);
            return QueryView.From((found?.Query).VisibleOr404(user, "The query"), found!.ScreeningNumber);
        }
    }
}
