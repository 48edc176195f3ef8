using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Edc.Api.Features.Trials;

internal static class TrialWrite
{
    /// <summary>
    /// Opens the transaction of a change to a trial's clinical data and holds the trial's row shared until it ends:
    /// the database lock (an update of that row) waits for changes under way, and a change after it sees the trial locked.
    /// </summary>
    public static async Task<IDbContextTransaction> BeginAsync(EdcDbContext db, Guid trialId, CancellationToken cancellationToken)
    {
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM trials WHERE id = {trialId} FOR SHARE", cancellationToken);
        return transaction;
    }
}
