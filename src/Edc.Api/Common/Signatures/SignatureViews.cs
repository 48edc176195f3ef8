using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Common.Signatures;

/// <summary>
/// Signatures as views show them, each read in one statement with the invalidator's name: a participant's (casebook,
/// forms, the list), or those of every participant of a trial the caller may see (exports), oldest first.
/// </summary>
public sealed class SignatureViews(EdcDbContext db, VisibleData visible)
{
    public async Task<List<SignatureView>> OfParticipantAsync(Guid participantId, CancellationToken cancellationToken) =>
        await Project(db.Signatures.Where(s => s.ParticipantId == participantId)).ToListAsync(cancellationToken);

    /// <summary>Every signature of the trial's participants the caller may see, by participant.</summary>
    public async Task<Dictionary<Guid, List<SignatureView>>> OfTrialAsync(Guid trialId, CancellationToken cancellationToken)
    {
        var rows = await (
                from s in db.Signatures
                join p in visible.Participants(trialId) on s.ParticipantId equals p.Id
                where s.TrialId == trialId
                join u in db.Users on s.InvalidatedBy equals (Guid?)u.Id into invalidators
                from u in invalidators.DefaultIfEmpty()
                orderby s.SignedAt, s.Id
                select new
                {
                    s.ParticipantId,
                    View = new SignatureView(
                        s.Id, s.Scope, s.VisitCode, s.Meaning, s.SignerName, s.SignedAt, s.ContentHash, s.InvalidatedAt == null, s.InvalidatedAt,
                        u.DisplayName, s.InvalidationReason, null),
                })
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.ParticipantId).ToDictionary(g => g.Key, g => g.Select(r => r.View).ToList());
    }

    private IQueryable<SignatureView> Project(IQueryable<Domain.DataManagement.Signature> signatures) =>
        from s in signatures.AsNoTracking()
        join u in db.Users on s.InvalidatedBy equals (Guid?)u.Id into invalidators
        from u in invalidators.DefaultIfEmpty()
        orderby s.SignedAt, s.Id
        select new SignatureView(
            s.Id, s.Scope, s.VisitCode, s.Meaning, s.SignerName, s.SignedAt, s.ContentHash, s.InvalidatedAt == null, s.InvalidatedAt,
            u.DisplayName, s.InvalidationReason, null);
}
