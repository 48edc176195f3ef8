using Edc.Domain.Common;

namespace Edc.Domain.Safety;

/// <summary>One version of an adverse event, whole and never changed: who entered it, when, and why it replaced the last.</summary>
public sealed class AdverseEventVersion : ITrialScoped, ISiteScoped
{
    private AdverseEventVersion()
    {
    }

    public Guid Id { get; private set; }

    public Guid AdverseEventId { get; private set; }

    public Guid TrialId { get; private set; }

    public Guid SiteId { get; private set; }

    public int Number { get; private set; }

    public AdverseEventReport Report { get; private set; } = null!;

    /// <summary>Why this version replaced the previous one; none for the first.</summary>
    public string? Reason { get; private set; }

    public Guid RecordedBy { get; private set; }

    public DateTimeOffset RecordedAt { get; private set; }

    internal static AdverseEventVersion Of(AdverseEvent adverseEvent, AdverseEventReport report, string? reason, Guid recordedBy, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid(),
        AdverseEventId = adverseEvent.Id,
        TrialId = adverseEvent.TrialId,
        SiteId = adverseEvent.SiteId,
        Number = adverseEvent.CurrentVersion,
        Report = report,
        Reason = reason,
        RecordedBy = recordedBy,
        RecordedAt = now,
    };
}
