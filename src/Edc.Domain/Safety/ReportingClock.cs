namespace Edc.Domain.Safety;

/// <summary>An expedited-reporting deadline: when its clock started, when it is due, and when the report was sent.</summary>
public sealed record ReportingClock(ReportRecipient Recipient, DateTimeOffset StartedAt, DateTimeOffset DueAt, DateTimeOffset? SentAt)
{
    public static readonly TimeSpan SponsorDeadline = TimeSpan.FromHours(24);

    public static readonly TimeSpan FatalOrLifeThreateningSusarDeadline = TimeSpan.FromDays(7);

    public static readonly TimeSpan OtherSusarDeadline = TimeSpan.FromDays(15);

    public ReportTimeliness TimelinessAt(DateTimeOffset now) => SentAt switch
    {
        null when now > DueAt => ReportTimeliness.Overdue,
        null => ReportTimeliness.Due,
        { } sent when sent <= DueAt => ReportTimeliness.OnTime,
        _ => ReportTimeliness.Late,
    };
}
