using Edc.Api.Common;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Trials;

/// <summary>
/// Which trials and sites the caller may see: all of them for roles not bound to sites, otherwise the trials
/// of the caller's sites. Anything else answers 404, as if it did not exist.
/// </summary>
internal static class TrialAccess
{
    public static IQueryable<Domain.Trials.Trial> VisibleTrials(EdcDbContext db, CurrentUser user) =>
        user.SeesAllSites
            ? db.Trials
            : db.Trials.Where(t => db.Sites.Any(s => s.TrialId == t.Id && user.SiteIds.Contains(s.Id)));

    public static IQueryable<Domain.Trials.Site> VisibleSites(EdcDbContext db, CurrentUser user) =>
        user.SeesAllSites ? db.Sites : db.Sites.Where(s => user.SiteIds.Contains(s.Id));

    public static async Task RequireVisibleTrialAsync(EdcDbContext db, CurrentUser user, Guid trialId, CancellationToken cancellationToken)
    {
        if (!await VisibleTrials(db, user).AnyAsync(t => t.Id == trialId, cancellationToken))
        {
            throw new NotFoundException("The trial");
        }
    }
}
