using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Common.Signatures;

/// <summary>
/// Signatures as views show them, each read in one statement with the invalidator's name: a participant's (casebook,
/// forms, the list), those of a batch of participants, or those of every participant of a trial the caller may see
/// (exports), oldest first.
/// </summary>
public sealed class SignatureViews(EdcDbContext db, VisibleData visible)
{
    public async Task<List<SignatureView>> OfParticipantAsync(Guid participantId, CancellationToken cancellationToken) =>
        await Rows(db.Signatures.Where(s => s.ParticipantId == participantId)).Select(r => r.View).ToListAsync(cancellationToken);

    /// <summary>The signatures of the given participants, with who signed (an ODM signature names its user).</summary>
    public async Task<List<SignatureRow>> OfParticipantsAsync(IReadOnlyCollection<Guid> participantIds, CancellationToken cancellationToken) =>
        await Rows(db.Signatures.Where(s => participantIds.Contains(s.ParticipantId))).ToListAsync(cancellationToken);

    /// <summary>Every signature of the trial's participants the caller may see, by participant.</summary>
    public async Task<Dictionary<Guid, List<SignatureView>>> OfTrialAsync(Guid trialId, CancellationToken cancellationToken)
    {
        var rows = await Rows(
                from s in db.Signatures
                join p in visible.Participants(trialId) on s.ParticipantId equals p.Id
                where s.TrialId == trialId
                select s)
            .ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.ParticipantId).ToDictionary(g => g.Key, g => g.Select(r => r.View).ToList());
    }

    private IQueryable<SignatureRow> Rows(IQueryable<Domain.DataManagement.Signature> signatures) =>
        from s in signatures.AsNoTracking()
        join u in db.Users on s.InvalidatedBy equals (Guid?)u.Id into invalidators
        from u in invalidators.DefaultIfEmpty()
        orderby s.SignedAt, s.Id
        select new SignatureRow(
            s.ParticipantId,
            s.SignerId,
            new SignatureView(
                s.Id, s.Scope, s.VisitCode, s.Meaning, s.SignerName, s.SignedAt, s.ContentHash, s.InvalidatedAt == null, s.InvalidatedAt,
                u.DisplayName, s.InvalidationReason, null));
}
