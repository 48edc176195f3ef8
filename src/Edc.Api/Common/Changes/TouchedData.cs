using Edc.Domain.DataManagement;
using Edc.Domain.Visits;
using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Common.Changes;

/// <summary>
/// What a change to clinical data can touch, tracked: the verified or frozen reviews of the changed forms, the valid
/// signatures of their visits and of the casebook, the automatic queries of the changed forms and visits (with their
/// messages), and the codes of the visits changed or whose forms changed.
/// </summary>
public sealed record TouchedData(
    IReadOnlyList<FormReview> Reviews, IReadOnlyList<Signature> Signatures, IReadOnlyList<DataQuery> AutomaticQueries, IReadOnlyDictionary<Guid, string> VisitCodes)
{
    /// <summary>
    /// Reads it in one round trip, after the participants' rows are held (so a freeze, verification or signing committed
    /// meanwhile is seen). Each participant's few rows of each kind come joined, a handful of rows in all.
    /// </summary>
    public static async Task<TouchedData> ReadAsync(EdcDbContext db, IReadOnlyList<ChangedData> changed, Guid[] participantIds, CancellationToken cancellationToken)
    {
        var visitIds = changed.Where(c => c.VisitId is not null).Select(c => c.VisitId!.Value).Distinct().ToArray();
        var formCodes = changed.Where(c => c.FormCode is not null).Select(c => c.FormCode!).Distinct().ToArray();
        var changedVisitCodes = changed.Select(c => c.Entity).OfType<ScheduledVisit>().Select(v => v.Code).Distinct().ToArray();
        var found = await db.Participants
            .Where(p => participantIds.Contains(p.Id))
            .Select(p => new
            {
                Reviews = db.FormReviews
                    .Where(r => r.ParticipantId == p.Id && visitIds.Contains(r.VisitId) && formCodes.Contains(r.FormCode) && (r.FrozenAt != null || r.VerifiedAt != null))
                    .ToList(),
                Signatures = db.Signatures
                    .Where(s => s.ParticipantId == p.Id && s.InvalidatedAt == null && (s.Scope == SignatureScope.Casebook || (s.VisitId != null && visitIds.Contains(s.VisitId.Value))))
                    .ToList(),
                Queries = db.Queries.Include(q => q.Messages)
                    .Where(q => q.ParticipantId == p.Id && q.Automatic != null
                        && (formCodes.Contains(q.FormCode) || (q.VisitCode != null && changedVisitCodes.Contains(q.VisitCode))))
                    .ToList(),
                Visits = db.Visits.Where(v => v.ParticipantId == p.Id && visitIds.Contains(v.Id)).Select(v => new { v.Id, v.Code }).ToList(),
            })
            .ToListAsync(cancellationToken);
        return new TouchedData(
            [.. found.SelectMany(f => f.Reviews)],
            [.. found.SelectMany(f => f.Signatures)],
            [.. found.SelectMany(f => f.Queries)],
            found.SelectMany(f => f.Visits).Select(v => (v.Id, v.Code))
                .Concat(changed.Select(c => c.Entity).OfType<ScheduledVisit>().Select(v => (v.Id, v.Code))) // an unscheduled visit being added
                .DistinctBy(v => v.Id)
                .ToDictionary(v => v.Id, v => v.Code));
    }
}
