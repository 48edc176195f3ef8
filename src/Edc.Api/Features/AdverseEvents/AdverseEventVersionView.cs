using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.AdverseEvents;

/// <summary>One version as it was entered: who, when, why, and the whole form.</summary>
public sealed record AdverseEventVersionView(int Version, DateTimeOffset RecordedAt, Guid RecordedBy, string? RecordedByEmail, string? Reason, AdverseEventForm Report)
{
    /// <summary>Every version of an adverse event, the first first.</summary>
    internal static Task<List<AdverseEventVersionView>> ListAsync(EdcDbContext db, Guid adverseEventId, CancellationToken cancellationToken) =>
        db.AdverseEventVersions.AsNoTracking()
            .Where(v => v.AdverseEventId == adverseEventId)
            .OrderBy(v => v.Number)
            .GroupJoin(db.Users, v => v.RecordedBy, u => u.Id, (v, users) => new { v, users })
            .SelectMany(x => x.users.DefaultIfEmpty(), (x, u) => new AdverseEventVersionView(x.v.Number, x.v.RecordedAt, x.v.RecordedBy, u!.Email, x.v.Reason, AdverseEventForm.From(x.v.Report)))
            .ToListAsync(cancellationToken);
}
