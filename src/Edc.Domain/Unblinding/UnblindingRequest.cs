using Edc.Domain.Common;

namespace Edc.Domain.Unblinding;

/// <summary>The data safety board asks to see data by real arm; the unblinded statistician decides.</summary>
public sealed class UnblindingRequest : ITrialScoped
{
    private UnblindingRequest()
    {
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    public Guid RequestedBy { get; private set; }

    public DateTimeOffset RequestedAt { get; private set; }

    public string Justification { get; private set; } = string.Empty;

    public UnblindingRequestStatus Status { get; private set; }

    public Guid? DecidedBy { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    public string? DecisionComment { get; private set; }

    public uint Version { get; private set; }

    public static UnblindingRequest Submit(Guid trialId, Guid requestedBy, string justification, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid(),
        TrialId = trialId,
        RequestedBy = requestedBy,
        RequestedAt = now,
        Justification = justification,
        Status = UnblindingRequestStatus.Pending,
    };

    public void Decide(bool approve, string comment, Guid decidedBy, DateTimeOffset now)
    {
        if (Status != UnblindingRequestStatus.Pending)
        {
            throw new RuleViolationException(RuleCodes.RequestAlreadyDecided, $"The request was already {Status.ToString().ToLowerInvariant()}.");
        }

        Status = approve ? UnblindingRequestStatus.Approved : UnblindingRequestStatus.Rejected;
        DecidedBy = decidedBy;
        DecidedAt = now;
        DecisionComment = comment;
    }
}
