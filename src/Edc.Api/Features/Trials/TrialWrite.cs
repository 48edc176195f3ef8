using Edc.Api.Common;
using Edc.Domain.Trials;
using Edc.Infrastructure.Auditing;
using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
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
    private readonly AuditedTransaction _transaction;
    private Trial? _trial;

    private TrialWrite(EdcDbContext db, AuditedTransaction transaction, Guid trialId)
    {
        _db = db;
        _transaction = transaction;
        TrialId = trialId;
    }

    public Guid TrialId { get; }

    /// <summary>The trial, tracked: loaded by <see cref="BeginAsync"/>, not by <see cref="LockAsync"/>.</summary>
    public Trial Trial => _trial ?? throw new InvalidOperationException("This write locked the trial without loading it.");

    public static async Task<TrialWrite> BeginAsync(EdcDbContext db, Guid trialId, CancellationToken cancellationToken)
    {
        var write = await LockAsync(db, trialId, cancellationToken);
        try
        {
            write._trial = await db.Trials.SingleAsync(t => t.Id == trialId, cancellationToken);
            return write;
        }
        catch
        {
            await write.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Begins the transaction holding the trial's row shared, in the round trip that begins it, without loading the
    /// trial: for a write that reads the trial along with what it changes, in one query.
    /// </summary>
    public static async Task<TrialWrite> LockAsync(EdcDbContext db, Guid trialId, CancellationToken cancellationToken)
    {
        var lockTrial = new NpgsqlBatchCommand("SELECT pg_current_xact_id()::text FROM trials WHERE id = $1 FOR SHARE") { Parameters = { new() { Value = trialId } } };
        var transaction = await AuditedTransaction.BeginAsync(db, lockTrial, cancellationToken) ?? throw new NotFoundException("The trial");
        return new TrialWrite(db, transaction, trialId);
    }

    /// <summary>
    /// Commits. A connection lost during the COMMIT is settled by asking the database, on a new connection, what
    /// became of this transaction: aborted (a connection lost before, too), the error goes on (503 "unavailable");
    /// committed or not to be found out, it is a <see cref="CommitOutcomeUnknownException"/> (the change may be saved:
    /// its idempotency key is kept).
    /// </summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _transaction.CommitAsync(cancellationToken);
        }
        catch (Exception exception) when (ProblemMapping.IsDatabaseUnavailable(exception))
        {
            if (await StatusAsync(_db.Database.GetConnectionString()!, _transaction.Id) == "aborted")
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

    public ValueTask DisposeAsync() => _transaction.DisposeAsync();
}
