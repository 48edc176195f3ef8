using System.Text.Json.Serialization;
using Edc.Api.Blinding;
using Edc.Domain.Participants;
using Edc.Domain.Trials;

namespace Edc.Api.Features.Participants;

public sealed record WithdrawalView(DateOnly Date, string Reason);

/// <summary>That the blind was broken for this participant, by whom, when and why: shown to everyone, never the arm.</summary>
public sealed record EmergencyUnblindingView(Guid By, DateTimeOffset At, string Reason);

public sealed record ParticipantView(
    Guid Id,
    Guid TrialId,
    Guid SiteId,
    string ScreeningNumber,
    string Status,
    string? Sex,
    int? BirthYear,
    DateOnly? ConsentDate,
    DateTimeOffset? EnrolledAt,
    IReadOnlyDictionary<string, string> Strata,
    string? RandomizationNumber,
    string? KitNumber,
    DateTimeOffset? RandomizedAt,
    WithdrawalView? Withdrawal,
    DateOnly? DiedOn,
    DateOnly? CompletedOn,
    EmergencyUnblindingView? EmergencyUnblinding,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ArmView? Arm)
{
    /// <summary>Where the rest of the participant's record is: the casebook (visits, MRSS, infusions), the visits and the adverse events.</summary>
    public ParticipantLinks Links => new(
        $"/api/trials/{TrialId}/participants/{Id}/casebook", $"/api/trials/{TrialId}/participants/{Id}/visits",
        $"/api/trials/{TrialId}/adverse-events?participantId={Id}");
}

public sealed record ParticipantLinks(string Casebook, string Visits, string AdverseEvents);

/// <summary>Participants as the caller may see them: arms only through the gate.</summary>
internal sealed class ParticipantViews(AssignmentGate gate)
{
    public async Task<ParticipantView> ViewAsync(Trial trial, Participant participant, CancellationToken cancellationToken) =>
        (await ViewsAsync(trial, [participant], cancellationToken))[0];

    public async Task<IReadOnlyList<ParticipantView>> ViewsAsync(Trial trial, IReadOnlyList<Participant> participants, CancellationToken cancellationToken)
    {
        var arms = await gate.VisibleArmsAsync(trial, participants, cancellationToken);
        return [.. participants.Select(p => new ParticipantView(
            p.Id, p.TrialId, p.SiteId, p.ScreeningNumber, p.Status.ToString(), p.Sex, p.BirthYear, p.ConsentDate, p.EnrolledAt, p.Strata,
            p.RandomizationNumber, p.KitNumber, p.RandomizedAt,
            p.WithdrawnOn is { } date ? new WithdrawalView(date, p.WithdrawalReason!) : null,
            p.DiedOn,
            p.CompletedOn,
            p.EmergencyUnblindedAt is { } at ? new EmergencyUnblindingView(p.EmergencyUnblindedBy!.Value, at, p.EmergencyUnblindingReason!) : null,
            arms.GetValueOrDefault(p.Id)))];
    }
}
