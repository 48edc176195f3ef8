namespace Edc.Domain.Notifications;

public enum NotificationStatus
{
    /// <summary>Not delivered yet; the next attempt is due at <see cref="Notification.NextAttemptAt"/>.</summary>
    Pending,

    Delivered,

    /// <summary>Every attempt failed; delivery was given up.</summary>
    Failed,
}
