using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.Safety;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.AdverseEvents;

public static class ExpeditedReportWorklist
{
    [AllowedRoles(Roles.Admin, Roles.Investigator)]
    public sealed record Query(Guid TrialId, PendingReportStatus? Status, Guid? SiteId, PageRequest Page) : IRequest<PagedList<ExpeditedReportItem>>;

    /// <summary>
    /// The reports due to the sponsor (serious events) and to the regulators (SUSARs) that are not yet recorded as
    /// sent, at the caller's sites, the nearest deadline first: overdue ones lead.
    /// </summary>
    internal sealed class Handler(EdcDbContext db, TimeProvider clock, VisibleData visible)
        : IRequestHandler<Query, PagedList<ExpeditedReportItem>>
    {
        public async Task<PagedList<ExpeditedReportItem>> Handle(Query query, CancellationToken cancellationToken)
        {
            await visible.RequireTrialAsync(query.TrialId, cancellationToken);
            var now = clock.GetUtcNow();
            var events = visible.AdverseEvents(query.TrialId).AsNoTracking();
            if (query.SiteId is { } siteId)
            {
                events = events.Where(a => a.SiteId == siteId);
            }

            var pending = events
                .Where(a => a.SponsorDueAt != null && a.SponsorReportSentAt == null)
                .Select(a => new Pending { AdverseEventId = a.Id, Recipient = ReportRecipient.Sponsor, ClockStartedAt = a.SponsorClockStartedAt!.Value, DueAt = a.SponsorDueAt!.Value })
                .Concat(events
                    .Where(a => a.RegulatorDueAt != null && a.RegulatorReportSentAt == null)
                    .Select(a => new Pending { AdverseEventId = a.Id, Recipient = ReportRecipient.Regulator, ClockStartedAt = a.RegulatorClockStartedAt!.Value, DueAt = a.RegulatorDueAt!.Value }));
            pending = query.Status switch
            {
                PendingReportStatus.Overdue => pending.Where(p => p.DueAt < now),
                PendingReportStatus.Due => pending.Where(p => p.DueAt >= now),
                _ => pending,
            };

            var page = await pending
                .Join(db.AdverseEvents, p => p.AdverseEventId, a => a.Id, (p, a) => new { Pending = p, Event = a })
                .Join(db.Participants, x => x.Event.ParticipantId, pt => pt.Id, (x, pt) => new { x.Pending, x.Event, pt.ScreeningNumber })
                .OrderBy(x => x.Pending.DueAt).ThenBy(x => x.Pending.AdverseEventId).ThenBy(x => x.Pending.Recipient)
                .Select(x => new ExpeditedReportItem(
                    x.Event.Id, x.Event.ParticipantId, x.ScreeningNumber, x.Event.SiteId, x.Event.Report.Term, x.Event.Report.Grade, x.Event.Susar,
                    x.Pending.Recipient, x.Pending.ClockStartedAt, x.Pending.DueAt, ReportTimeliness.Due))
                .ToPageAsync(query.Page, cancellationToken);
            return page with
            {
                Items = [.. page.Items.Select(i => i with { Timeliness = i.DueAt < now ? ReportTimeliness.Overdue : ReportTimeliness.Due })],
            };
        }
    }

    // Member initialization, not a constructor: EF translates a set operation only over such a projection.
    private sealed class Pending
    {
        public Guid AdverseEventId { get; init; }

        public ReportRecipient Recipient { get; init; }

        public DateTimeOffset ClockStartedAt { get; init; }

        public DateTimeOffset DueAt { get; init; }
    }
}
