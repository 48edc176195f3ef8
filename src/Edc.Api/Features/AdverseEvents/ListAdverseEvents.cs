using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.AdverseEvents;

public static class ListAdverseEvents
{
    [AllowedRoles(Roles.Admin, Roles.Coordinator, Roles.Investigator, Roles.DsmbMember, Roles.UnblindedStatistician, Roles.Monitor, Roles.DataManager)]
    public sealed record Query(Guid TrialId, bool? Serious, Guid? SiteId, Guid? ParticipantId, PageRequest Page) : IRequest<PagedList<AdverseEventView>>;

    /// <summary>The adverse events the caller may see, newest first, filtered by seriousness, site and participant.</summary>
    internal sealed class Handler(EdcDbContext db, TimeProvider clock, VisibleData visible)
        : IRequestHandler<Query, PagedList<AdverseEventView>>
    {
        public async Task<PagedList<AdverseEventView>> Handle(Query query, CancellationToken cancellationToken)
        {
            await visible.RequireTrialAsync(query.TrialId, cancellationToken);
            var events = visible.AdverseEvents(query.TrialId).AsNoTracking();
            if (query.Serious is { } serious)
            {
                events = events.Where(a => a.Report.Serious == serious);
            }

            if (query.SiteId is { } siteId)
            {
                events = events.Where(a => a.SiteId == siteId);
            }

            if (query.ParticipantId is { } participantId)
            {
                events = events.Where(a => a.ParticipantId == participantId);
            }

            // The events alone are counted: each has its participant (a NOT NULL foreign key), so the join to participants
            // cannot change the count, and counting without it spares a hash join over every visible event.
            var total = await events.CountAsync(cancellationToken);
            var items = await events
                .OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id)
                .Join(db.Participants, a => a.ParticipantId, p => p.Id, (a, p) => new { Event = a, p.ScreeningNumber })
                .Skip(query.Page.Skip).Take(query.Page.PageSize)
                .ToListAsync(cancellationToken);
            var now = clock.GetUtcNow();
            return new PagedList<AdverseEventView>(
                [.. items.Select(i => AdverseEventView.From(i.Event, i.ScreeningNumber, now))], query.Page.Page, query.Page.PageSize, total);
        }
    }
}
