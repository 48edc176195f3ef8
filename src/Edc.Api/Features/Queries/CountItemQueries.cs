using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.DataManagement;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Queries;

public static class CountItemQueries
{
    [AllowedRoles(Roles.Admin, Roles.Coordinator, Roles.Investigator, Roles.Monitor, Roles.DataManager)]
    public sealed record Query(Guid TrialId, Guid ParticipantId, string? VisitCode, string FormCode, Guid? LogEntryId) : IRequest<IReadOnlyDictionary<string, int>>;

    /// <summary>
    /// For a form's page: the open queries of the form (at the visit, or of the log entry) by item code, the form's own
    /// under "" (one statement). What the caller may not see counts nothing.
    /// </summary>
    internal sealed class Handler(EdcDbContext db, CurrentUser user) : IRequestHandler<Query, IReadOnlyDictionary<string, int>>
    {
        public async Task<IReadOnlyDictionary<string, int>> Handle(Query query, CancellationToken cancellationToken)
        {
            var counts = await db.Queries.AsNoTracking().VisibleTo(user)
                .Where(q => q.TrialId == query.TrialId && q.ParticipantId == query.ParticipantId && q.FormCode == query.FormCode
                    && q.VisitCode == query.VisitCode && q.LogEntryId == query.LogEntryId && q.Status == QueryStatus.Open)
                .GroupBy(q => q.ItemCode)
                .Select(g => new { ItemCode = g.Key, Count = g.Count() })
                .ToListAsync(cancellationToken);
            return counts.ToDictionary(c => c.ItemCode ?? string.Empty, c => c.Count, StringComparer.Ordinal);
        }
    }
}
