using Edc.Api.Common;
using Edc.Domain.Blinding;
using Edc.Domain.Participants;
using Edc.Domain.Randomization;
using Edc.Domain.Security;
using Edc.Domain.Trials;
using Edc.Domain.Unblinding;
using Edc.Infrastructure.Auditing;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Blinding;

/// <summary>
/// The one way arm data (a slot's arm, the masked group key) leave the database: every feature that shows a participant,
/// a list or a closed report asks here, and an architecture test fails the build when any other type reads them. Who may
/// see what is the domain's <see cref="ArmVisibility"/>; this class applies it to the caller and audits disclosures.
/// </summary>
public sealed class AssignmentGate(EdcDbContext db, CurrentUser user)
{
    public bool MaySeeArm(Trial trial, Participant participant) => ArmVisibility.MaySeeArm(user.Viewer, trial, participant);

    /// <summary>The arms of those of <paramref name="participants"/> the caller may see; the others are absent.</summary>
    public async Task<IReadOnlyDictionary<Guid, ArmView>> VisibleArmsAsync(Trial trial, IEnumerable<Participant> participants, CancellationToken cancellationToken)
    {
        var ids = participants.Where(p => p.RandomizationNumber is not null && MaySeeArm(trial, p)).Select(p => p.Id).ToList();
        return ids.Count == 0 ? new Dictionary<Guid, ArmView>() : await ArmsAsync(trial.Id, ids, cancellationToken);
    }

    /// <summary>
    /// For a bulk export: the arms of every randomized participant of the trial at the caller's sites (all sites for
    /// roles not bound to sites), or null when the export stays blinded. An export carries arms only after the final
    /// unblinding, when this gate's rule lets every role of the trial see them; before it, even an unblinded role gets
    /// the blinded export (the statistician reads assignments from the randomization list, whose read is audited).
    /// One entry per participant, not per exported row, so the export itself still streams.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, ArmView>?> ArmsForExportAsync(Trial trial, CancellationToken cancellationToken)
    {
        if (!ArmVisibility.ExportCarriesArms(trial))
        {
            return null;
        }

        var slots = db.RandomizationSlots.Where(s => s.TrialId == trial.Id && s.ParticipantId != null);
        if (!user.SeesAllSites)
        {
            var siteIds = user.SiteIds.ToList();
            slots = slots.Where(s => db.Participants.Any(p => p.Id == s.ParticipantId && siteIds.Contains(p.SiteId)));
        }

        return await ArmsAsync(slots, cancellationToken);
    }

    /// <summary>Whether a bulk export of the trial carries arms: only after the final unblinding, as <see cref="ArmsForExportAsync(Trial, CancellationToken)"/>.</summary>
    public static bool ExportCarriesArms(Trial trial) => ArmVisibility.ExportCarriesArms(trial);

    /// <summary>
    /// The arms of one batch of an export's participants (the caller's visible ones), empty while the export stays blinded:
    /// an export that reads its participants in batches keeps its memory flat however large the trial.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, ArmView>> ArmsForExportAsync(Trial trial, IReadOnlyCollection<Guid> participantIds, CancellationToken cancellationToken) =>
        ArmVisibility.ExportCarriesArms(trial) && participantIds.Count > 0
            ? await ArmsAsync(trial.Id, participantIds, cancellationToken)
            : new Dictionary<Guid, ArmView>();

    /// <summary>
    /// Whether the caller may read a safety summary of <paramref name="trial"/> by real arm (the closed report): the
    /// unblinded statistician; a data safety board member once an unblinding request of the board (any member's) for
    /// this trial is approved; anyone after the final unblinding. Everyone else reads masked groups only.
    /// </summary>
    public async Task<bool> MayReadClosedReportAsync(Trial trial, CancellationToken cancellationToken) =>
        ArmVisibility.MayReadClosedReport(
            user.Viewer,
            trial,
            user.IsInRole(Roles.DsmbMember)
                && await db.UnblindingRequests.AnyAsync(r => r.TrialId == trial.Id && r.Status == UnblindingRequestStatus.Approved, cancellationToken));

    /// <summary>
    /// The masked group key of <paramref name="trial"/> (label to arm) for the closed report of one summary, or null
    /// when the caller may not read it (<see cref="MayReadClosedReportAsync"/>). The disclosure is audited (action
    /// <c>ClosedReportRead</c> on the summary), never with the key itself; the caller saves it with its changes.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, ArmView>?> ArmsByGroupLabelAsync(Trial trial, string entityType, Guid entityId, CancellationToken cancellationToken)
    {
        if (!await MayReadClosedReportAsync(trial, cancellationToken))
        {
            return null;
        }

        var key = await db.RandomizationLists.AsNoTracking().Where(l => l.TrialId == trial.Id).Select(l => l.GroupKey).SingleOrDefaultAsync(cancellationToken) ?? [];
        var arms = await db.Set<TrialArm>().AsNoTracking().Where(a => a.TrialId == trial.Id).ToDictionaryAsync(a => a.Code, a => a.Name, StringComparer.Ordinal, cancellationToken);
        db.AuditEntries.Add(AuditEntry.Create(
            new AuditActor(user.Id, user.Email, string.Join(',', user.Roles)), "ClosedReportRead", entityType, entityId.ToString(), trial.Id));
        return key.Where(k => arms.ContainsKey(k.Value))
            .ToDictionary(k => k.Key, k => new ArmView(k.Value, arms[k.Value]), StringComparer.Ordinal);
    }

    /// <summary>
    /// The groups of a trial's analysis: by arm for the unblinded statistician and, after the final unblinding, for every
    /// role (each such read audited, action <c>AnalysisRead</c>); by masked group for the data safety board before it; 403
    /// for anyone else. The trial comes with its arms.
    /// </summary>
    public async Task<AnalysisGroups> AnalysisGroupsAsync(Trial trial, string analysis, CancellationToken cancellationToken)
    {
        var slots = db.RandomizationSlots.AsNoTracking().Where(s => s.TrialId == trial.Id && s.ParticipantId != null);
        if (user.IsInRole(Roles.UnblindedStatistician) || trial.IsFinallyUnblinded)
        {
            var arms = trial.Arms.OrderBy(a => a.Ordinal).ToList();
            var names = arms.ToDictionary(a => a.Code, a => a.Name, StringComparer.Ordinal);
            var armOf = await slots.Select(s => new { s.ParticipantId, s.ArmCode }).ToListAsync(cancellationToken);
            db.AuditEntries.Add(AuditEntry.Create(
                new AuditActor(user.Id, user.Email, string.Join(',', user.Roles)), "AnalysisRead", nameof(Trial), trial.Id.ToString(), trial.Id,
                field: "analysis", newValue: analysis + " by arm"));
            return new AnalysisGroups(true, [.. arms.Select(a => a.Name)], armOf.ToDictionary(x => x.ParticipantId!.Value, x => names[x.ArmCode]));
        }

        if (!user.IsInRole(Roles.DsmbMember))
        {
            throw new ForbiddenException("Only the unblinded statistician and the data safety board read the analysis before the final unblinding.");
        }

        var key = await db.RandomizationLists.AsNoTracking().Where(l => l.TrialId == trial.Id).Select(l => l.GroupKey).SingleOrDefaultAsync(cancellationToken) ?? [];
        var labelOf = key.ToDictionary(k => k.Value, k => k.Key, StringComparer.Ordinal);
        var groupOf = await slots.Select(s => new { s.ParticipantId, s.ArmCode }).ToListAsync(cancellationToken);
        return new AnalysisGroups(
            false, [.. key.Keys.Order(StringComparer.Ordinal)], groupOf.Where(x => labelOf.ContainsKey(x.ArmCode)).ToDictionary(x => x.ParticipantId!.Value, x => labelOf[x.ArmCode]));
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

    /// <summary>
    /// The whole randomization list of a trial with every slot's arm and the group key, for the unblinded statistician
    /// only (403 for anyone else); the read is audited.
    /// </summary>
    public async Task<RandomizationListView> RandomizationListAsync(Guid trialId, CancellationToken cancellationToken)
    {
        if (!ArmVisibility.MayReadRandomizationList(user.Viewer))
        {
            throw new ForbiddenException("Only the unblinded statistician reads the randomization list.");
        }

        var list = await db.RandomizationLists.AsNoTracking().SingleOrDefaultAsync(l => l.TrialId == trialId, cancellationToken)
            ?? throw new NotFoundException("The randomization list");
        var slots = await db.RandomizationSlots.AsNoTracking().Where(s => s.ListId == list.Id)
            .OrderBy(s => s.StratumKey).ThenBy(s => s.Sequence)
            .Select(s => new RandomizationSlotView(
                s.StratumKey, s.Sequence, s.BlockNumber, s.BlockSize, s.RandomizationNumber, s.KitNumber, s.ArmCode, s.ParticipantId, s.AllocatedAt))
            .ToListAsync(cancellationToken);
        db.AuditEntries.Add(AuditEntry.Create(
            new AuditActor(user.Id, user.Email, string.Join(',', user.Roles)), "Read", nameof(RandomizationList), list.Id.ToString(), list.TrialId));
        return new RandomizationListView(
            list.Id, list.Algorithm, list.Seed, list.BlockSizes, list.SlotsPerStratum, list.Checksum, list.CreatedAt, list.GroupKey, slots);
    }

    /// <summary>
    /// The arm of a slot the demonstration data are being written for: synthetic values depend on the arm, as a real
    /// trial's data do. Disclosed to no one.
    /// </summary>
    public static string ArmOfSyntheticParticipant(RandomizationSlot slot) => slot.ArmCode;

    private Task<Dictionary<Guid, ArmView>> ArmsAsync(Guid trialId, IReadOnlyCollection<Guid> participantIds, CancellationToken cancellationToken) =>
        ArmsAsync(
            db.RandomizationSlots.Where(s => s.TrialId == trialId && s.ParticipantId != null && participantIds.Contains(s.ParticipantId.Value)),
            cancellationToken);

    private async Task<Dictionary<Guid, ArmView>> ArmsAsync(IQueryable<RandomizationSlot> slots, CancellationToken cancellationToken) =>
        await slots
            .Join(db.Set<TrialArm>(), s => new { s.TrialId, Code = s.ArmCode }, a => new { a.TrialId, a.Code }, (s, a) => new { s.ParticipantId, a.Code, a.Name })
            .AsNoTracking()
            .ToDictionaryAsync(x => x.ParticipantId!.Value, x => new ArmView(x.Code, x.Name), cancellationToken);
}
