using Edc.Domain.Common;
using Edc.Domain.Participants;

namespace Edc.Domain.Visits;

/// <summary>
/// Study treatment given (or not, with the reason) at a visit whose procedures include an infusion. Made by
/// <see cref="For"/> and given its first version by <see cref="Administer"/> or <see cref="NotAdministered"/>.
/// </summary>
public sealed class InfusionRecord : VersionedRecord, ITrialScoped, ISiteScoped
{
    private InfusionRecord()
    {
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    public Guid SiteId { get; private set; }

    public Guid ParticipantId { get; private set; }

    public Guid VisitId { get; private set; }

    public DateTimeOffset? AdministeredAt { get; private set; }

    public string? KitNumber { get; private set; }

    public string? NotAdministeredReason { get; private set; }

    public bool Administered => AdministeredAt is not null;

    public static InfusionRecord For(ScheduledVisit visit)
    {
        if (!visit.HasProcedure("Infusion"))
        {
            throw new RuleViolationException(RuleCodes.InfusionNotAtThisVisit, $"Visit {visit.Code} does not include an infusion.");
        }

        return new InfusionRecord { Id = Guid.NewGuid(), TrialId = visit.TrialId, SiteId = visit.SiteId, ParticipantId = visit.ParticipantId, VisitId = visit.Id };
    }

    /// <summary>
    /// The kit must be the participant's own. The refusal names neither the kit's owner nor its arm: only that it is
    /// not this participant's kit.
    /// </summary>
    public void Administer(Participant participant, ScheduledVisit visit, DateTimeOffset administeredAt, string kitNumber, DateTimeOffset now)
    {
        ScheduledVisit.RequireOnStudy(participant, DateOnly.FromDateTime(administeredAt.UtcDateTime));
        if (visit.Status == VisitStatus.Missed)
        {
            throw new RuleViolationException(RuleCodes.VisitMissed, $"Visit {visit.Code} is recorded as missed: no infusion was given at it.");
        }

        if (!string.Equals(participant.KitNumber, kitNumber, StringComparison.Ordinal))
        {
            throw new RuleViolationException(RuleCodes.KitNotParticipants, "This kit is not the one allocated to this participant.");
        }

        if (administeredAt > now)
        {
            throw new RuleViolationException(RuleCodes.InfusionInFuture, "An infusion cannot be recorded in the future.");
        }

        AdministeredAt = administeredAt;
        KitNumber = kitNumber;
        NotAdministeredReason = null;
        CountVersion();
    }

    /// <summary>Like a missed visit: recordable after withdrawal or death if the visit's window closed before.</summary>
    public void NotAdministered(Participant participant, ScheduledVisit visit, string reason)
    {
        ScheduledVisit.RequireOnStudy(participant, visit.WindowEnd);
        AdministeredAt = null;
        KitNumber = null;
        NotAdministeredReason = reason;
        CountVersion();
    }
}
