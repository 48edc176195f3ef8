using Edc.Domain.Safety;

namespace Edc.Api.Features.AdverseEvents;

/// <summary>One expedited report not yet sent: to whom, for which event, and by when.</summary>
public sealed record ExpeditedReportItem(
    Guid AdverseEventId,
    Guid ParticipantId,
    string ScreeningNumber,
    Guid SiteId,
    string Term,
    int Grade,
    bool Susar,
    ReportRecipient Recipient,
    DateTimeOffset ClockStartedAt,
    DateTimeOffset DueAt,
    ReportTimeliness Timeliness);
