using Edc.Domain.Safety;

namespace Edc.Api.Features.AdverseEvents;

/// <summary>An expedited report's deadline and whether it was, or still can be, met.</summary>
public sealed record ReportingClockView(DateTimeOffset ClockStartedAt, DateTimeOffset DueAt, DateTimeOffset? SentAt, ReportTimeliness Timeliness)
{
    public static ReportingClockView? From(ReportingClock? clock, DateTimeOffset now) =>
        clock is null ? null : new(clock.StartedAt, clock.DueAt, clock.SentAt, clock.TimelinessAt(now));
}
