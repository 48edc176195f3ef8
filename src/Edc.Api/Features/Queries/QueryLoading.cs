using Edc.Api.Common;
using Edc.Domain.Common;
using Edc.Domain.DataManagement;
using Edc.Domain.Trials;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Queries;

/// <summary>How the query's steps load it: with its thread, at a site the caller may see (404 otherwise), with its participant's screening number.</summary>
internal static class QueryLoading
{
    /// <summary>
    /// For a step of its thread: tracked, its trial open (409 TrialLocked after the database lock, which freezes
    /// everything, queries included). A step made meanwhile fails the save on the query's version (409 StaleEdit).
    /// </summary>
    public static async Task<(DataQuery Query, string ScreeningNumber)> ForChangeAsync(
        EdcDbContext db, CurrentUser user, Guid trialId, Guid queryId, CancellationToken cancellationToken)
    {
        var found = await (
                from q in db.Queries.Include(q => q.Messages).Where(q => q.Id == queryId && q.TrialId == trialId)
                join p in db.Participants on q.ParticipantId equals p.Id
                join t in db.Trials on q.TrialId equals t.Id
                select new { Query = q, p.ScreeningNumber, t.Status })
            .SingleOrDefaultAsync(cancellationToken);
        var query = (found?.Query).VisibleOr404(user, "The query");
        if (found!.Status != TrialStatus.Active)
        {
            throw new RuleViolationException(RuleCodes.TrialLocked, "The trial's database is locked: its queries no longer change.");
        }

        return (query, found.ScreeningNumber);
    }
}
