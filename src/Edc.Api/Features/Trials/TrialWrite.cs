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

    /// <summary>
    /// Commits. The transaction's id is read just before: a connection lost up to then saved nothing (the error goes
    /// on, 503 "unavailable"). One lost during the COMMIT is settled by asking the database, on a new connection, what
    /// became of that transaction: aborted, the error goes on; committed or not to be found out, it is a
    /// <see cref="CommitOutcomeUnknownException"/> (the change may be saved: its idempotency key is kept).
    /// </summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        // A transaction without its connection was ended by a connection lost before: the commit below says so
        // (ObjectDisposedException holding the cause) and nothing was saved.
        string? xid = null;
        if (_transaction.GetDbTransaction() is { Connection: not null } transaction)
        {
            await using var command = _db.Database.GetDbConnection().CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT pg_current_xact_id()::text";
            xid = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        try
        {
            await _transaction.CommitAsync(cancellationToken);
        }
        catch (Exception exception) when (ProblemMapping.IsDatabaseUnavailable(exception))
        {
            if (xid is null || await StatusAsync(_db.Database.GetConnectionString()!, xid) == "aborted")
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
