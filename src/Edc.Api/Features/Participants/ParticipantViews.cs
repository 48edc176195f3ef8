using Edc.Api.Blinding;
using Edc.Domain.Participants;
using Edc.Domain.Trials;

namespace Edc.Api.Features.Participants;

/// <summary>Participants as the caller may see them: arms only through the gate.</summary>
internal sealed class ParticipantViews(AssignmentGate gate)
{
    public async Task<ParticipantView> ViewAsync(Trial trial, Participant participant, CancellationToken cancellationToken) =>
        (await ViewsAsync(trial, [participant], cancellationToken))[0];

    public async Task<IReadOnlyList<ParticipantView>> ViewsAsync(Trial trial, IReadOnlyList<Participant> participants, CancellationToken cancellationToken)
    {
        var arms = await gate.VisibleArmsAsync(trial, participants, cancellationToken);
        return [.. participants.Select(p => new ParticipantView(
            p.Id, p.TrialId, p.SiteId, p.ScreeningNumber, p.Status, p.Sex, p.BirthYear, p.ConsentDate, p.EnrolledAt, p.Strata,
            p.RandomizationNumber, p.KitNumber, p.RandomizedAt,
            p.WithdrawnOn is { } date ? new WithdrawalView(date, p.WithdrawalReason!) : null,
            p.DiedOn,
            p.CompletedOn,
            p.EmergencyUnblindedAt is { } at ? new EmergencyUnblindingView(p.EmergencyUnblindedBy!.Value, at, p.EmergencyUnblindingReason!) : null,
            p.LockedAt,
            arms.GetValueOrDefault(p.Id)))];
    }
}
