namespace Edc.Domain.Notifications;

/// <summary>
/// A message to one user, written to the outbox in the same transaction as the change that causes it, and
/// delivered later by a job. Its text must never name an arm.
/// </summary>
public sealed class Notification
{
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
}
