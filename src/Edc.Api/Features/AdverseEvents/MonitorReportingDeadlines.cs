using Edc.Api.Security;
using Edc.Infrastructure.Auditing;
using Edc.Infrastructure.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.AdverseEvents;

public static class MonitorReportingDeadlines
{
    /// <summary>Returns how many overdue reports were announced.</summary>
    [SystemRequest]
    public sealed record Command : IRequest<int>;

    /// <summary>
    /// Tells each site's investigators and the admins, once per report, that an expedited report is overdue. Events
    /// are taken with SKIP LOCKED and marked in the transaction of their notifications, so instances running the
    /// monitor at once, or a re-run, never announce one report twice.
    /// </summary>
    internal sealed class Handler(EdcDbContext db, SafetyNotifications notifications, TimeProvider clock) : IRequestHandler<Command, int>
    {
        private const int Batch = 200;

        public async Task<int> Handle(Command command, CancellationToken cancellationToken)
        {
            var announced = 0;
            while (true)
            {
                var now = clock.GetUtcNow();
                await using var transaction = await AuditedTransaction.BeginAsync(db, reason: null, cancellationToken);
                // Claimed by id, then read: EF cannot read the event's report from raw SQL (FromSql names a complex
                // property's columns by their default names, not by those the model gives them; dotnet/efcore#34818).
                var claimed = await db.Database.SqlQuery<Guid>($"""
                        SELECT id AS "Value" FROM adverse_events
                        WHERE (sponsor_due_at < {now} AND sponsor_report_sent_at IS NULL AND sponsor_overdue_notified_at IS NULL)
                           OR (regulator_due_at < {now} AND regulator_report_sent_at IS NULL AND regulator_overdue_notified_at IS NULL)
                        ORDER BY id
                        LIMIT {Batch}
                        FOR UPDATE SKIP LOCKED
                        """).ToListAsync(cancellationToken);
                var due = await db.AdverseEvents.Where(a => claimed.Contains(a.Id)).OrderBy(a => a.Id).ToListAsync(cancellationToken);
                var participantIds = due.Select(a => a.ParticipantId).Distinct().ToList();
                var screeningNumbers = await db.Participants.Where(p => participantIds.Contains(p.Id))
                    .Select(p => new { p.Id, p.ScreeningNumber })
                    .ToDictionaryAsync(p => p.Id, p => p.ScreeningNumber, cancellationToken);
                foreach (var adverseEvent in due)
                {
                    foreach (var overdue in adverseEvent.TakeNewlyOverdue(now))
                    {
                        await notifications.ReportOverdueAsync(adverseEvent, screeningNumbers[adverseEvent.ParticipantId], overdue, now, cancellationToken);
                        announced++;
                    }
                }

                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                db.ChangeTracker.Clear();
                if (claimed.Count < Batch)
                {
                    return announced;
                }
            }
        }
    }
}
