using Edc.Api.Common;
using Edc.Domain.Trials;
using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Edc.Api.Features.Trials;

/// <summary>
/// The transaction of a change to a trial's clinical data. It reads the trial holding its row shared until it ends:
/// the database lock (an update of that row) waits for changes under way, and a change after it sees the trial
/// locked. Who may see the trial is the caller's to check.
/// </summary>
internal sealed class TrialWrite : IAsyncDisposable
{
    private readonly EdcDbContext _db;
    private readonly IDbContextTransaction _transaction;

    private TrialWrite(EdcDbContext db, IDbContextTransaction transaction, Trial trial)
    {
        _db = db;
        _transaction = transaction;
        Trial = trial;
    }

    public Trial Trial { get; }

    public static async Task<TrialWrite> BeginAsync(EdcDbContext db, Guid trialId, CancellationToken cancellationToken)
    {
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var trial = await db.Trials.FromSql($"SELECT * FROM trials WHERE id = {trialId} FOR SHARE").SingleOrDefaultAsync(cancellationToken);
        if (trial is null)
        {
            await transaction.DisposeAsync();
            throw new NotFoundException("The trial");
        }

        // A failed save ends the write (the transaction is rolled back, nothing is retried in it), so SaveChanges needs no
        // savepoint to roll back to: two round trips fewer per save.
        db.Database.AutoSavepointsEnabled = false;
        return new TrialWrite(db, transaction, trial);
    }

    public Task CommitAsync(CancellationToken cancellationToken) => _transaction.CommitAsync(cancellationToken);

    public ValueTask DisposeAsync()
    {
        _db.Database.AutoSavepointsEnabled = true;
        return _transaction.DisposeAsync();
    }
}
