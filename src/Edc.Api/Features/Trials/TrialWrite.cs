using Edc.Api.Common;
using Edc.Domain.Trials;
using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

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
    private readonly string _transactionId;

    private TrialWrite(EdcDbContext db, IDbContextTransaction transaction, string transactionId, Trial trial)
    {
        _db = db;
        _transaction = transaction;
        _transactionId = transactionId;
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

        // Read now, not before the COMMIT: by then the audit chain's lock is held, which other writes wait for.
        var transactionId = await db.Database.SqlQueryRaw<string>("SELECT pg_current_xact_id()::text AS \"Value\"").SingleAsync(cancellationToken);

        // A failed save ends the write (the transaction is rolled back, nothing is retried in it), so SaveChanges needs no
        // savepoint to roll back to: two round trips fewer per save.
        db.Database.AutoSavepointsEnabled = false;
        return new TrialWrite(db, transaction, transactionId, trial);
    }

    /// <summary>
    /// Commits. A connection lost before the COMMIT saved nothing (the error goes on, 503 "unavailable"). One lost
    /// during the COMMIT is settled by asking the database, on a new connection, what became of this transaction
    /// (its id was read at the start): aborted, the error goes on; committed or not to be found out, it is a
    /// <see cref="CommitOutcomeUnknownException"/> (the change may be saved: its idempotency key is kept).
    /// </summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        // A transaction without its connection was ended by a connection lost before: the commit below says so
        // (ObjectDisposedException holding the cause) and nothing was saved.
        var connectionLostBefore = _transaction.GetDbTransaction().Connection is null;
        try
        {
            await _transaction.CommitAsync(cancellationToken);
        }
        catch (Exception exception) when (ProblemMapping.IsDatabaseUnavailable(exception))
        {
            if (connectionLostBefore || await StatusAsync(_db.Database.GetConnectionString()!, _transactionId) == "aborted")
            {
                throw;
            }

            throw new CommitOutcomeUnknownException(exception);
        }
    }

    /// <summary>pg_xact_status of the transaction ("committed", "aborted"), or null when the database cannot say now.</summary>
    private static async Task<string?> StatusAsync(string connectionString, string xid)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(CancellationToken.None);
                await using var command = new NpgsqlCommand("SELECT pg_xact_status(@xid::xid8)", connection);
                command.Parameters.AddWithValue("xid", xid);
                var status = (string?)await command.ExecuteScalarAsync(CancellationToken.None);
                if (status is not "in progress")
                {
                    return status;
                }
            }
            catch (Exception exception) when (ProblemMapping.IsDatabaseUnavailable(exception))
            {
                return null;
            }

            await Task.Delay(100, CancellationToken.None); // the terminated backend is still ending its transaction
        }

        return null;
    }

    public ValueTask DisposeAsync()
    {
        _db.Database.AutoSavepointsEnabled = true;
        return _transaction.DisposeAsync();
    }
}
