using Edc.Domain.Participants;
using Edc.Domain.Security;
using Edc.Domain.Trials;
using Edc.Infrastructure.Auditing;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Blinding;

public sealed record ArmView(string Code, string Name);

/// <summary>
/// The one way an assignment leaves the system. Every feature that shows a participant asks here for the arms the
/// caller may see; anything else never reads randomization_slots.arm_code. The rule, from the contract:
/// the unblinded statistician sees every arm; a pharmacist the arms of own-site participants; an investigator the
/// arm of a participant whose emergency unblinding they performed; after the final unblinding, every role of the
/// trial. Everyone else sees nothing about arms.
/// </summary>
public sealed class AssignmentGate(EdcDbContext db, CurrentUser user)
{
    public bool MaySeeArm(Trial trial, Participant participant) =>
        user.IsInRole(Roles.UnblindedStatistician)
        || trial.IsFinallyUnblinded
        || (user.IsInRole(Roles.Pharmacist) && user.SiteIds.Contains(participant.SiteId))
        || (user.IsInRole(Roles.Investigator) && user.SiteIds.Contains(participant.SiteId) && participant.EmergencyUnblindedBy == user.Id);

    /// <summary>The arms of those of <paramref name="participants"/> the caller may see; the others are absent.</summary>
    public async Task<IReadOnlyDictionary<Guid, ArmView>> VisibleArmsAsync(Trial trial, IEnumerable<Participant> participants, CancellationToken cancellationToken)
    {
        var ids = participants.Where(p => p.RandomizationNumber is not null && MaySeeArm(trial, p)).Select(p => p.Id).ToList();
        return ids.Count == 0 ? new Dictionary<Guid, ArmView>() : await ArmsAsync(trial.Id, ids, cancellationToken);
    }

    /// <summary>
    /// Emergency unblinding: reveals one participant's arm to the investigator performing it. The caller's right
    /// (role, site, password, reason) is checked by the use case; the disclosure itself is audited here, without the arm.
    /// </summary>
    public async Task<ArmView> RevealForEmergencyAsync(Participant participant, string reason, CancellationToken cancellationToken)
    {
        var arm = (await ArmsAsync(participant.TrialId, [participant.Id], cancellationToken))[participant.Id];
        db.AuditEntries.Add(AuditEntry.Create(
            new AuditActor(user.Id, user.Email, string.Join(',', user.Roles)), "EmergencyUnblinding", nameof(Participant),
            participant.Id.ToString(), participant.TrialId, participant.SiteId, reason: reason));
        return arm;
    }

    private async Task<Dictionary<Guid, ArmView>> ArmsAsync(Guid trialId, IReadOnlyCollection<Guid> participantIds, CancellationToken cancellationToken) =>
        await db.RandomizationSlots
            .Where(s => s.TrialId == trialId && s.ParticipantId != null && participantIds.Contains(s.ParticipantId.Value))
            .Join(db.Set<TrialArm>(), s => new { s.TrialId, Code = s.ArmCode }, a => new { a.TrialId, a.Code }, (s, a) => new { s.ParticipantId, a.Code, a.Name })
            .AsNoTracking()
            .ToDictionaryAsync(x => x.ParticipantId!.Value, x => new ArmView(x.Code, x.Name), cancellationToken);
}
