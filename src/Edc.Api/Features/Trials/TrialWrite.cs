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
    private readonly IDbContextTransaction _transaction;

    private TrialWrite(IDbContextTransaction transaction, Trial trial)
    {
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

        return new TrialWrite(transaction, trial);
    }

    public Task CommitAsync(CancellationToken cancellationToken) => _transaction.CommitAsync(cancellationToken);

    public ValueTask DisposeAsync() => _transaction.DisposeAsync();
}
