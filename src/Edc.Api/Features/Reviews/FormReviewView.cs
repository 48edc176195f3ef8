using Edc.Domain.DataManagement;
using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Reviews;

/// <summary>The data-management state of one form of one visit: verified (by whom, when) and frozen (by whom, when).</summary>
public sealed record FormReviewView(
    string VisitCode,
    string FormCode,
    bool Verified,
    string? VerifiedBy,
    DateTimeOffset? VerifiedAt,
    bool Frozen,
    string? FrozenBy,
    DateTimeOffset? FrozenAt)
{
    /// <summary>The review as it stands, with the names of the monitor and data manager who made it.</summary>
    public static async Task<FormReviewView> OfAsync(EdcDbContext db, string visitCode, FormReview review, CancellationToken cancellationToken)
    {
        Guid[] ids = [.. new[] { review.VerifiedBy, review.FrozenBy }.OfType<Guid>()];
        var names = ids.Length == 0
            ? []
            : await db.Users.Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        return new(
            visitCode, review.FormCode, review.IsVerified, review.VerifiedBy is { } verifier ? names.GetValueOrDefault(verifier) : null, review.VerifiedAt,
            review.IsFrozen, review.FrozenBy is { } freezer ? names.GetValueOrDefault(freezer) : null, review.FrozenAt);
    }
}
