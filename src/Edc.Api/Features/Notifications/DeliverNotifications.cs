using Edc.Api.Security;
using Edc.Infrastructure.Auditing;
using Edc.Infrastructure.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Notifications;

/// <summary>
/// Delivers the outbox: every undelivered notification whose next attempt is due, a batch per transaction. Rows are
/// taken with FOR UPDATE SKIP LOCKED, so instances delivering at once each take other notifications and none is sent
/// twice. A failed attempt is recorded with its error and retried later (<see cref="Domain.Notifications.Notification"/>).
/// </summary>
public static class DeliverNotifications
{
    public const int BatchSize = 20;

    [SystemRequest]
    public sealed record Command : IRequest<Outcome>;

    public sealed record Outcome(int Delivered, int Failed);

    internal sealed class Handler(EdcDbContext db, NotificationSender sender, TimeProvider clock, ILogger<Handler> logger)
        : IRequestHandler<Command, Outcome>
    {
        public async Task<Outcome> Handle(Command command, CancellationToken cancellationToken)
        {
            var delivered = 0;
            var failed = 0;
            int taken;
            do
            {
                await using var transaction = await AuditedTransaction.BeginAsync(db, reason: null, cancellationToken);
                var due = await db.Notifications
                    .FromSql($"""
                        SELECT * FROM notifications
                        WHERE delivered_at IS NULL AND next_attempt_at <= {clock.GetUtcNow()}
                        ORDER BY next_attempt_at
                        LIMIT {BatchSize}
                        FOR UPDATE SKIP LOCKED
                        """)
                    .ToListAsync(cancellationToken);
                taken = due.Count;
                var recipientIds = due.Select(n => n.RecipientUserId).Distinct().ToList();
                var emails = await db.Users.Where(u => recipientIds.Contains(u.Id))
                    .ToDictionaryAsync(u => u.Id, u => u.Email, cancellationToken);
                foreach (var notification in due)
                {
                    try
                    {
                        await sender.SendAsync(notification, emails.GetValueOrDefault(notification.RecipientUserId), cancellationToken);
                        notification.MarkDelivered(clock.GetUtcNow());
                        delivered++;
                    }
                    catch (NotificationNotSentException e)
                    {
                        notification.MarkFailed(e.Message, clock.GetUtcNow());
                        failed++;
                        logger.LogWarning(
                            "Notification {NotificationId} not delivered (attempt {Attempt}); {Next}: {Error}",
                            notification.Id, notification.Attempts,
                            notification.NextAttemptAt is { } next ? $"retry at {next:u}" : "given up", e.Message);
                    }
                }

                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            while (taken == BatchSize);

            return new Outcome(delivered, failed);
        }
    }
}
