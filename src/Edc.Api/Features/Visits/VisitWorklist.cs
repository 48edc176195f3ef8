using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.Participants;
using Edc.Domain.Security;
using Edc.Domain.Visits;
using Edc.Infrastructure.Persistence;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Visits;

/// <summary>
/// The visits a site has to act on, relative to today (UTC date of the server clock): overdue (window closed, visit
/// still Scheduled), due (today inside the window) and upcoming (window opens within the next 14 days). Only scheduled
/// protocol visits of randomized participants at the caller's sites (all sites for Admin) are listed; withdrawn or
/// completed participants, recorded (Completed/Missed) and unscheduled visits are not.
/// <para>
/// <c>from</c>/<c>to</c> narrow the list further to visits whose window overlaps the range
/// [from, to] (window end &gt;= from and window start &lt;= to), each bound optional and inclusive; they never widen it
/// beyond today + 14 days. Ordered by urgency: overdue (oldest window end first), due (soonest window end first),
/// upcoming (soonest window start first); ties by screening number and visit day.
/// </para>
/// </summary>
public static class VisitWorklist
{
    public const int UpcomingDays = 14;

    [AllowedRoles(Roles.Coordinator, Roles.Investigator, Roles.Admin, Roles.Monitor, Roles.DataManager)]
    public sealed record Query(Guid TrialId, DateOnly? From, DateOnly? To, PageRequest Page) : IRequest<PagedList<WorklistItem>>;

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() =>
            RuleFor(q => q.To).Must((q, to) => q.From is null || to is null || q.From <= to).WithMessage("'to' is on or after 'from'.");
    }

    internal sealed class Handler(EdcDbContext db, TimeProvider clock, VisibleData visible)
        : IRequestHandler<Query, PagedList<WorklistItem>>
    {
        // The page with its total (counted before the paging, on every row) in one statement, compiled once: scheduled
        // protocol visits of randomized participants at the caller's sites, window open by the horizon, ordered by urgency.
        private static readonly Func<EdcDbContext, Guid, bool, Guid[], DateOnly, DateOnly, DateOnly?, DateOnly?, int, int, IAsyncEnumerable<Row>> Page =
            EF.CompileAsyncQuery((
                EdcDbContext db, Guid trialId, bool allSites, Guid[] siteIds, DateOnly today, DateOnly horizon, DateOnly? windowFrom, DateOnly? windowTo, int skip, int take) => (
                    from v in db.Visits
                    join p in db.Participants on v.ParticipantId equals p.Id
                    where p.TrialId == trialId && (allSites || siteIds.Contains(p.SiteId)) && p.Status == ParticipantStatus.Randomized
                        && v.TrialId == trialId && v.Status == VisitStatus.Scheduled && v.Day != null
                        && v.WindowStart != null && v.WindowEnd != null && v.WindowStart <= horizon
                        && (windowFrom == null || v.WindowEnd >= windowFrom) && (windowTo == null || v.WindowStart <= windowTo)
                    let rank = v.WindowEnd < today ? 0 : v.WindowStart <= today ? 1 : 2
                    orderby rank, rank == 2 ? v.WindowStart : v.WindowEnd, p.ScreeningNumber, v.Day, v.Code
                    select new Row(v.ParticipantId, p.ScreeningNumber, v.SiteId, v.Code, v.Name, v.TargetDate, v.WindowStart!.Value, v.WindowEnd!.Value,
                        WindowFunctions.TotalRows()))
                .AsNoTracking()
                .Skip(skip)
                .Take(take));

        public async Task<PagedList<WorklistItem>> Handle(Query query, CancellationToken cancellationToken)
        {
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            var horizon = today.AddDays(UpcomingDays);
            var (allSites, siteIds) = visible.SiteFilter;
            var page = query.Page;
            var rows = await RowsAsync(page.Skip, page.PageSize);

            // A row shows the trial visible (a participant at one of the caller's sites is in it) and carries the total. A
            // page without one, past the end or of no open visit, leaves both to be asked.
            var total = rows.FirstOrDefault()?.Total;
            if (total is null)
            {
                await visible.RequireTrialAsync(query.TrialId, cancellationToken);
                total = (await RowsAsync(0, 1)).FirstOrDefault()?.Total ?? 0;
            }

            return new PagedList<WorklistItem>([.. rows.Select(r => r.ToItem(today))], page.Page, page.PageSize, total.Value);

            async Task<List<Row>> RowsAsync(int skip, int take)
            {
                var found = new List<Row>(take);
                await foreach (var row in Page(db, query.TrialId, allSites, siteIds, today, horizon, query.From, query.To, skip, take).WithCancellation(cancellationToken))
                {
                    found.Add(row);
                }

                return found;
            }
        }
    }

    private sealed record Row(
        Guid ParticipantId, string ScreeningNumber, Guid SiteId, string Code, string Name, DateOnly? TargetDate, DateOnly WindowStart, DateOnly WindowEnd,
        int Total)
    {
        public WorklistItem ToItem(DateOnly today)
        {
            var urgency = WindowEnd < today ? VisitUrgency.Overdue : WindowStart <= today ? VisitUrgency.Due : VisitUrgency.Upcoming;
            return new WorklistItem(
                ParticipantId, ScreeningNumber, SiteId, Code, Name, TargetDate, WindowStart, WindowEnd, urgency,
                DaysOverdue: urgency == VisitUrgency.Overdue ? today.DayNumber - WindowEnd.DayNumber : null,
                DaysLeft: urgency == VisitUrgency.Overdue ? null : WindowEnd.DayNumber - today.DayNumber,
                DaysUntilWindowOpens: urgency == VisitUrgency.Upcoming ? WindowStart.DayNumber - today.DayNumber : null);
        }
    }
}
