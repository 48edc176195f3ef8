using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.Participants;
using Edc.Domain.Security;
using Edc.Domain.Visits;
using Edc.Infrastructure.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Visits;

/// <summary>
/// The site's participant-by-visit grid: a page of the participants of the caller's sites (all sites for Admin) by
/// screening number, and for each protocol visit of the trial its status today. A scheduled visit is Due or Overdue by
/// the worklist's rule (today inside its window, or its window closed), but only while the participant is randomized;
/// a withdrawn, completed or deceased participant's unrecorded visits are no longer expected.
/// </summary>
public static class ParticipantVisitGrid
{
    [AllowedRoles(Roles.Coordinator, Roles.Investigator, Roles.Admin)]
    public sealed record Query(Guid TrialId, PageRequest Page) : IRequest<VisitGridView>;

    internal sealed class Handler(EdcDbContext db, VisibleData visible, TimeProvider clock) : IRequestHandler<Query, VisitGridView>
    {
        public async Task<VisitGridView> Handle(Query query, CancellationToken cancellationToken)
        {
            // Three statements whatever the page's size: the columns, the page of participants, and their visits.
            var columns = await visible.Trials.Where(t => t.Id == query.TrialId)
                .SelectMany(t => t.Visits)
                .OrderBy(v => v.Day).ThenBy(v => v.Ordinal)
                .Select(v => new VisitGridColumn(v.Code, v.Name, v.Day))
                .ToListAsync(cancellationToken);
            if (columns.Count == 0)
            {
                await visible.RequireTrialAsync(query.TrialId, cancellationToken);
            }

            var page = await visible.Participants(query.TrialId).AsNoTracking()
                .OrderBy(p => p.ScreeningNumber)
                .Select(p => new Found(p.Id, p.ScreeningNumber, p.SiteId, p.Status))
                .ToPageAsync(query.Page, cancellationToken);
            var ids = page.Items.Select(p => p.Id).ToArray();
            var visits = (await db.Visits.AsNoTracking()
                    .Where(v => v.TrialId == query.TrialId && ids.Contains(v.ParticipantId) && v.Day != null)
                    .Select(v => new FoundVisit(v.ParticipantId, v.Code, v.Status, v.ActualDate, v.WindowStart, v.WindowEnd, v.OutOfWindow))
                    .ToListAsync(cancellationToken))
                .ToLookup(v => v.ParticipantId);

            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            var rows = page.Items.Select(p =>
            {
                var byCode = visits[p.Id].ToDictionary(v => v.Code, StringComparer.Ordinal);
                return new VisitGridRow(p.Id, p.ScreeningNumber, p.SiteId, p.Status, [.. columns.Select(c => byCode.TryGetValue(c.Code, out var v)
                    ? new VisitGridCell(c.Code, StatusOf(v, p.Status, today), v.ActualDate, v.WindowStart, v.WindowEnd)
                    : new VisitGridCell(c.Code, VisitCellStatus.NotScheduled, null, null, null))]);
            });
            return new VisitGridView(columns, [.. rows], page.Page, page.PageSize, page.Total);
        }

        private static VisitCellStatus StatusOf(FoundVisit visit, ParticipantStatus participant, DateOnly today) => visit.Status switch
        {
            VisitStatus.Completed => visit.OutOfWindow ? VisitCellStatus.CompletedOutOfWindow : VisitCellStatus.Completed,
            VisitStatus.Missed => VisitCellStatus.Missed,
            _ when participant != ParticipantStatus.Randomized => VisitCellStatus.NotExpected,
            _ when visit.WindowEnd < today => VisitCellStatus.Overdue,
            _ when visit.WindowStart <= today => VisitCellStatus.Due,
            _ => VisitCellStatus.Scheduled,
        };

        private sealed record Found(Guid Id, string ScreeningNumber, Guid SiteId, ParticipantStatus Status);

        private sealed record FoundVisit(
            Guid ParticipantId, string Code, VisitStatus Status, DateOnly? ActualDate, DateOnly? WindowStart, DateOnly? WindowEnd, bool OutOfWindow);
    }
}
