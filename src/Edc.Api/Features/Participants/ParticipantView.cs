using System.Text.Json.Serialization;
using Edc.Api.Blinding;
using Edc.Domain.Participants;

namespace Edc.Api.Features.Participants;

public sealed record ParticipantView(
    Guid Id,
    Guid TrialId,
    Guid SiteId,
    string ScreeningNumber,
    ParticipantStatus Status,
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
    DateTimeOffset? LockedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ArmView? Arm)
{
    /// <summary>Whether a data manager locked the casebook: every form of it refuses changes until it is unlocked.</summary>
    public bool Locked => LockedAt is not null;

    /// <summary>Where the rest of the participant's record is: the casebook (visits, MRSS, infusions), the visits and the adverse events.</summary>
    public ParticipantLinks Links => new(
        $"/api/trials/{TrialId}/participants/{Id}/casebook", $"/api/trials/{TrialId}/participants/{Id}/visits",
        $"/api/trials/{TrialId}/adverse-events?participantId={Id}");
}
