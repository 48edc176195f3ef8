using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.DataManagement;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Queries;

public static class ListQueries
{
    [AllowedRoles(Roles.Admin, Roles.Coordinator, Roles.Investigator, Roles.Monitor, Roles.DataManager)]
    public sealed record Query(Guid TrialId, QueryStatus? Status, Guid? SiteId, Guid? ParticipantId, string? FormCode, PageRequest Page) : IRequest<QueryPage>;

    /// <summary>
    /// The queries of the caller's sites, filtered by status, site, participant and form, in the order of the caller's
    /// work: for a monitor or data manager, answered ones (awaiting closure) first, then open ones; for anyone else open
    /// ones (awaiting an answer) first, then answered; closed ones last; the oldest first within each. With the counts per
    /// status of the same filters (the status filter aside).
    /// </summary>
    internal sealed class Handler(EdcDbContext db, VisibleData visible, CurrentUser user) : IRequestHandler<Query, QueryPage>
    {
        public async Task<QueryPage> Handle(Query query, CancellationToken cancellationToken)
        {
            await visible.RequireTrialAsync(query.TrialId, cancellationToken);
            var queries = db.Queries.AsNoTracking().Where(q => q.TrialId == query.TrialId).VisibleTo(user);
            if (query.SiteId is { } siteId)
            {
                queries = queries.Where(q => q.SiteId == siteId);
            }

            if (query.ParticipantId is { } participantId)
            {
                queries = queries.Where(q => q.ParticipantId == participantId);
            }

            if (query.FormCode is { } formCode)
            {
                queries = queries.Where(q => q.FormCode == formCode);
            }

            var counts = await queries.GroupBy(q => q.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
            int CountOf(QueryStatus status) => counts.SingleOrDefault(c => c.Key == status)?.Count ?? 0;
            if (query.Status is { } status)
            {
                queries = queries.Where(q => q.Status == status);
            }

            var total = query.Status is { } only ? CountOf(only) : counts.Sum(c => c.Count);
            var reviewer = user.IsInAnyRole(Roles.Monitor, Roles.DataManager);
            var first = reviewer ? QueryStatus.Answered : QueryStatus.Open;
            var items = await queries
                .Join(db.Participants, q => q.ParticipantId, p => p.Id, (q, p) => new { Query = q, p.ScreeningNumber })
                .OrderBy(x => x.Query.Status == first ? 0 : x.Query.Status == QueryStatus.Closed ? 2 : 1)
                .ThenBy(x => x.Query.RaisedAt).ThenBy(x => x.Query.Id)
                .Skip(query.Page.Skip).Take(query.Page.PageSize)
                .Select(x => new QuerySummary(
                    x.Query.Id, x.Query.SiteId, x.Query.ParticipantId, x.ScreeningNumber, x.Query.VisitCode, x.Query.FormCode, x.Query.ItemCode,
                    x.Query.LogEntryId, x.Query.Status, x.Query.Messages.OrderBy(m => m.At).Select(m => m.AuthorName).First(), x.Query.RaisedAt,
                    x.Query.Automatic, x.Query.Messages.OrderBy(m => m.At).Select(m => m.Text).First(), x.Query.Messages.Max(m => m.At)))
                .ToListAsync(cancellationToken);
            return new QueryPage(
                items, query.Page.Page, query.Page.PageSize, total,
                new QueryCounts(CountOf(QueryStatus.Open), CountOf(QueryStatus.Answered), CountOf(QueryStatus.Closed)));
        }
    }
}
