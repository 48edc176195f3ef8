using Edc.Domain.Unblinding;

namespace Edc.Api.Features.Unblinding;

public sealed record UnblindingRequestView(
    Guid Id, Guid TrialId, Guid RequestedBy, DateTimeOffset RequestedAt, string Justification, UnblindingRequestStatus Status,
    Guid? DecidedBy, DateTimeOffset? DecidedAt, string? DecisionComment)
{
    public static UnblindingRequestView From(UnblindingRequest r) =>
        new(r.Id, r.TrialId, r.RequestedBy, r.RequestedAt, r.Justification, r.Status, r.DecidedBy, r.DecidedAt, r.DecisionComment);
}
