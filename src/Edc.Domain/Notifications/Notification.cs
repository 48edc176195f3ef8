namespace Edc.Domain.Notifications;

/// <summary>
/// A message to one user, written to the outbox in the same transaction as the change that causes it, and
/// delivered later by a job. Its text must never name an arm.
/// <para>
/// A failed attempt is retried after 1, 2, 4, 8 ... minutes, an hour at most, and given up after
/// <see cref="MaxAttempts"/> attempts: then it has no next attempt and is <see cref="NotificationStatus.Failed"/>.
/// </para>
/// </summary>
public sealed class Notification
{
    public const int MaxAttempts = 10;

    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(1);

    private Notification()
    {
    }

    public Guid Id { get; private set; }

    public Guid RecipientUserId { get; private set; }

    public Guid? TrialId { get; private set; }

    public string Kind { get; private set; } = string.Empty;

    public string Subject { get; private set; } = string.Empty;

    public string Body { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? DeliveredAt { get; private set; }

    public int Attempts { get; private set; }

    public string? LastError { get; private set; }

    public DateTimeOffset? NextAttemptAt { get; private set; }

    public static Notification To(Guid recipientUserId, Guid? trialId, string kind, string subject, string body, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid(),
        RecipientUserId = recipientUserId,
        TrialId = trialId,
        Kind = kind,
        Subject = subject,
        Body = body,
        CreatedAt = now,
        NextAttemptAt = now,
    };

    public NotificationStatus Status =>
        DeliveredAt is not null ? NotificationStatus.Delivered
        : NextAttemptAt is null ? NotificationStatus.Failed
        : NotificationStatus.Pending;

    /// <summary>The wait before the next attempt once <paramref name="failedAttempts"/> attempts have failed.</summary>
    public static TimeSpan RetryDelay(int failedAttempts) =>
        TimeSpan.FromMinutes(Math.Min(Math.Pow(2, Math.Max(failedAttempts, 1) - 1), MaxRetryDelay.TotalMinutes));

    public void MarkDelivered(DateTimeOffset now)
    {
        RequirePending();
        Attempts++;
        DeliveredAt = now;
        NextAttemptAt = null;
    }

    public void MarkFailed(string error, DateTimeOffset now)
    {
        RequirePending();
        Attempts++;
        LastError = error;
        NextAttemptAt = Attempts >= MaxAttempts ? null : now + RetryDelay(Attempts);
    }

    private void RequirePending()
    {
        if (Status != NotificationStatus.Pending)
        {
            throw new InvalidOperationException($"Notification {Id} is {Status}; only a pending one is attempted.");
        }
    }
}
