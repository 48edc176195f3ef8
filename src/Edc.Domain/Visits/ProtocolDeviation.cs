using Edc.Domain.Common;

namespace Edc.Domain.Visits;

/// <summary>A departure from the protocol, e.g. a visit completed outside its window.</summary>
public sealed class ProtocolDeviation : ITrialScoped, ISiteScoped
{
    private ProtocolDeviation()
    {
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    public Guid SiteId { get; private set; }

    public Guid ParticipantId { get; private set; }

    public Guid? VisitId { get; private set; }

    public string Kind { get; private set; } = string.Empty;

    public string Description { get; private set; } = string.Empty;

    public DateTimeOffset RecordedAt { get; private set; }

    public static ProtocolDeviation VisitOutOfWindow(ScheduledVisit visit, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid(),
        TrialId = visit.TrialId,
        SiteId = visit.SiteId,
        ParticipantId = visit.ParticipantId,
        VisitId = visit.Id,
        Kind = "VisitOutOfWindow",
        Description = $"Visit {visit.Code} done on {visit.ActualDate:yyyy-MM-dd}, outside its window {visit.WindowStart:yyyy-MM-dd} to {visit.WindowEnd:yyyy-MM-dd}.",
        RecordedAt = now,
    };
}
