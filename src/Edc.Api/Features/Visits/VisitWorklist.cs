using System.Text.Json.Serialization;
using Edc.Api.Common;
using Edc.Domain.Participants;
using Edc.Domain.Visits;
using Edc.Infrastructure.Persistence;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Visits;

/// <summary>How urgent an open visit is on the worklist, most urgent first.</summary>
public enum VisitUrgency
{
    /// <summary>The window has closed (window end before today) and the visit is not recorded.</summary>
    Overdue = 0,

    /// <summary>Today is inside the window (window start &lt;= today &lt;= window end).</summary>
    Due = 1,

    /// <summary>The window opens within the next <see cref="VisitWorklist.UpcomingDays"/> days.</summary>
    Upcoming = 2,
}

public sealed record WorklistItem(
    Guid ParticipantId,
    string ScreeningNumber,
    Guid SiteId,
    string VisitCode,
    string VisitName,
    DateOnly? TargetDate,
    DateOnly WindowStart,
    DateOnly WindowEnd,
    [property: JsonConverter(typeof(JsonStringEnumConverter<VisitUrgency>))] VisitUrgency Urgency,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? DaysOverdue,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? DaysLeft,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? DaysUntilWindowOpens);

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

    public sealed record Query(Guid TrialId, DateOnly? From, DateOnly? To, PageRequest Page) : IRequest<PagedList<WorklistItem>>;

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() =>
            RuleFor(q => q.To).Must((q, to) => q.From is null || to is null || q.From <= to).WithMessage("'to' is on or after 'from'.");
    }

    internal sealed class Handler(EdcDbContext db, TimeProvider clock, VisibleData visible)
        : IRequestHandler<Query, PagedList<WorklistItem>>
    {
        public async Task<PagedList<WorklistItem>> Handle(Query query, CancellationToken cancellationToken)
        {
            await visible.RequireTrialAsync(query.TrialId, cancellationToken);
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            var horizon = today.AddDays(UpcomingDays);

            var open =
                from v in db.Visits.AsNoTracking()
                join p in visible.Participants(query.TrialId).Where(p => p.Status == ParticipantStatus.Randomized) on v.ParticipantId equals p.Id
                where v.TrialId == query.TrialId && v.Status == VisitStatus.Scheduled && v.Day != null
                    && v.WindowStart != null && v.WindowEnd != null && v.WindowStart <= horizon
                select new { Visit = v, p.ScreeningNumber };
            if (query.From is { } from)
            {
                open = open.Where(x => x.Visit.WindowEnd >= from);
            }

            if (query.To is { } to)
            {
                open = open.Where(x => x.Visit.WindowStart <= to);
            }

            var ranked =
                from x in open
                let rank = x.Visit.WindowEnd < today ? 0 : x.Visit.WindowStart <= today ? 1 : 2
                orderby rank, rank == 2 ? x.Visit.WindowStart : x.Visit.WindowEnd, x.ScreeningNumber, x.Visit.Day, x.Visit.Code
                select new Row(x.Visit.ParticipantId, x.ScreeningNumber, x.Visit.SiteId, x.Visit.Code, x.Visit.Name,
                    x.Visit.TargetDate, x.Visit.WindowStart!.Value, x.Visit.WindowEnd!.Value);

            var page = await ranked.ToPageAsync(query.Page, cancellationToken);
            return new PagedList<WorklistItem>([.. page.Items.Select(r => r.ToItem(today))], page.Page, page.PageSize, page.Total);
        }
    }

    private sealed record Row(
        Guid ParticipantId, string ScreeningNumber, Guid SiteId, string Code, string Name, DateOnly? TargetDate, DateOnly WindowStart, DateOnly WindowEnd)
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
