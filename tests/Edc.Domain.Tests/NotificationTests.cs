using Edc.Domain.Notifications;

namespace Edc.Domain.Tests;

public sealed class NotificationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    private static Notification New() => Notification.To(Guid.NewGuid(), null, "Test", "Subject", "Body", Now);

    [Fact]
    public void New_IsPendingAndDueAtOnce()
    {
        var notification = New();

        Assert.Equal(NotificationStatus.Pending, notification.Status);
        Assert.Equal(Now, notification.NextAttemptAt);
        Assert.Equal(0, notification.Attempts);
    }

    [Fact]
    public void MarkDelivered_CountsTheAttemptAndLeavesNothingDue()
    {
        var notification = New();

        notification.MarkDelivered(Now.AddSeconds(5));

        Assert.Equal(NotificationStatus.Delivered, notification.Status);
        Assert.Equal(Now.AddSeconds(5), notification.DeliveredAt);
        Assert.Null(notification.NextAttemptAt);
        Assert.Equal(1, notification.Attempts);
    }

    [Fact]
    public void MarkFailed_RetriesAfterDoublingDelaysCappedAtAnHour()
    {
        var notification = New();
        var delays = new List<TimeSpan>();

        for (var attempt = 1; attempt < Notification.MaxAttempts; attempt++)
        {
            var at = Now.AddHours(attempt);
            notification.MarkFailed("connection refused " + attempt, at);
            delays.Add(notification.NextAttemptAt!.Value - at);
            Assert.Equal(NotificationStatus.Pending, notification.Status);
        }

        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60, 60], delays.Select(d => d.TotalMinutes));
        Assert.Equal(Notification.MaxAttempts - 1, notification.Attempts);
        Assert.Equal("connection refused 9", notification.LastError);
    }

    [Fact]
    public void MarkFailed_AtTheLastAttempt_GivesUp()
    {
        var notification = New();
        for (var attempt = 1; attempt <= Notification.MaxAttempts; attempt++)
        {
            notification.MarkFailed("mailbox unavailable", Now);
        }

        Assert.Equal(NotificationStatus.Failed, notification.Status);
        Assert.Null(notification.NextAttemptAt);
        Assert.Null(notification.DeliveredAt);
        Assert.Equal(Notification.MaxAttempts, notification.Attempts);
        Assert.Throws<InvalidOperationException>(() => notification.MarkFailed("again", Now));
        Assert.Throws<InvalidOperationException>(() => notification.MarkDelivered(Now));
    }

    [Fact]
    public void MarkDelivered_AfterFailures_KeepsTheLastErrorAndCountsEveryAttempt()
    {
        var notification = New();
        notification.MarkFailed("timeout", Now);
        notification.MarkFailed("timeout", Now.AddMinutes(1));

        notification.MarkDelivered(Now.AddMinutes(3));

        Assert.Equal(NotificationStatus.Delivered, notification.Status);
        Assert.Equal(3, notification.Attempts);
        Assert.Equal("timeout", notification.LastError);
        Assert.Throws<InvalidOperationException>(() => notification.MarkDelivered(Now));
    }
}
