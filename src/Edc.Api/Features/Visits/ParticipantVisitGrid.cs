using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.Forms;
using Edc.Domain.Participants;
using Edc.Domain.Security;
using Edc.Domain.Visits;
using Edc.Infrastructure.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Visits;

/// <summary>
/// The site's participant-by-visit grid: a page of the participants of the caller's sites (all sites for Admin) by
/// screening number, and for each protocol visit of the trial its status today and how far its forms are. A scheduled
/// visit is Due or Overdue by the worklist's rule (today inside its window, or its window closed), but only while the
/// participant is randomized; a withdrawn, completed or deceased participant's unrecorded visits are no longer expected.
/// </summary>
public static class ParticipantVisitGrid
{
    [AllowedRoles(Roles.Coordinator, Roles.Investigator, Roles.Admin, Roles.Monitor, Roles.DataManager)]
    public sealed record Query(Guid TrialId, PageRequest Page) : IRequest<VisitGridView>;

    internal sealed class Handler(EdcDbContext db, VisibleData visible, TimeProvider clock) : IRequestHandler<Query, VisitGridView>
    {
        // A visit's saved forms are read once for both counts, summed: a complete form adds 1, one in progress this (a visit
        // collects far fewer forms). One probe of the visit's records instead of one per count: half the pages read at 400
        // participants, 16 visits and 6 forms a visit.
        private const int InProgressUnit = 1000;

        public async Task<VisitGridView> Handle(Query query, CancellationToken cancellationToken)
        {
            // Two statements whatever the page's size and the number of forms: the columns (each visit's forms as the
            // schedule lists them), then the page of participants with its total and their visits, each visit's forms counted
            // by status in the database (the MRSS and the infusion, kept in their own tables, complete once recorded).
            var columns = await visible.Trials.Where(t => t.Id == query.TrialId)
                .SelectMany(t => t.Visits)
                .OrderBy(v => v.Day).ThenBy(v => v.Ordinal)
                .Select(v => new VisitGridColumn(v.Code, v.Name, v.Day, v.Forms.Count))
                .ToListAsync(cancellationToken);
            if (columns.Count == 0)
            {
                await visible.RequireTrialAsync(query.TrialId, cancellationToken);
            }

            var participants = visible.Participants(query.TrialId).AsNoTracking().OrderBy(p => p.ScreeningNumber).ThenBy(p => p.Id);
            var page = await participants
                .Select(p => new Found
                {
                    Id = p.Id,
                    ScreeningNumber = p.ScreeningNumber,
                    SiteId = p.SiteId,
                    Status = p.Status,
                    Total = WindowFunctions.TotalRows(),
                    Visits = db.Visits.Where(v => v.ParticipantId == p.Id && v.Day != null).Select(v => new FoundVisit
                    {
                        Code = v.Code,
                        Status = v.Status,
                        ActualDate = v.ActualDate,
                        WindowStart = v.WindowStart,
                        WindowEnd = v.WindowEnd,
                        OutOfWindow = v.OutOfWindow,
                        SavedForms = db.FormRecords.Where(r => r.VisitId == v.Id).Sum(r => r.Status == FormStatus.Complete ? 1 : InProgressUnit),
                        BuiltInComplete = (db.MrssAssessments.Any(m => m.VisitId == v.Id) ? 1 : 0) + (db.Infusions.Any(i => i.VisitId == v.Id) ? 1 : 0),
                    }).ToList(),
                })
                .Skip(query.Page.Skip)
                .Take(query.Page.PageSize)
                .ToListAsync(cancellationToken);

            // A page past the end has no row to carry the total: only then is it counted apart.
            var total = page.Count > 0 ? page[0].Total : query.Page.Page > 1 ? await participants.CountAsync(cancellationToken) : 0;
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            var rows = page.Select(p =>
            {
                var byCode = p.Visits.ToDictionary(v => v.Code, StringComparer.Ordinal);
                return new VisitGridRow(p.Id, p.ScreeningNumber, p.SiteId, p.Status, [.. columns.Select(c => byCode.TryGetValue(c.Code, out var v)
                    ? new VisitGridCell(c.Code, StatusOf(v, p.Status, today), v.ActualDate, v.WindowStart, v.WindowEnd, new FormProgress(c.Forms, v.FormsComplete, v.FormsInProgress))
                    : new VisitGridCell(c.Code, VisitCellStatus.NotScheduled, null, null, null, new FormProgress(c.Forms, 0, 0)))]);
            });
            return new VisitGridView(columns, [.. rows], query.Page.Page, query.Page.PageSize, total);
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

        private sealed class Found
        {
            public required Guid Id { get; init; }

            public required string ScreeningNumber { get; init; }

            public required Guid SiteId { get; init; }

            public required ParticipantStatus Status { get; init; }

            public required int Total { get; init; }

            public required List<FoundVisit> Visits { get; init; }
        }

        private sealed class FoundVisit
        {
            public required string Code { get; init; }

            public required VisitStatus Status { get; init; }

            public DateOnly? ActualDate { get; init; }

            public DateOnly? WindowStart { get; init; }

            public DateOnly? WindowEnd { get; init; }

            public required bool OutOfWindow { get; init; }

            public required int SavedForms { get; init; }

            public required int BuiltInComplete { get; init; }

            public int FormsComplete => (SavedForms % InProgressUnit) + BuiltInComplete;

            public int FormsInProgress => SavedForms / InProgressUnit;
        }
    }
}
