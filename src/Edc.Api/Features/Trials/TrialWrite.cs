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

    private TrialWrite(EdcDbContext db, AuditedTransaction transaction, Trial trial)
    {
        _db = db;
        _transaction = transaction;
        Trial = trial;
    }

    public Trial Trial { get; }

    public static async Task<TrialWrite> BeginAsync(EdcDbContext db, Guid trialId, CancellationToken cancellationToken)
    {
        var transaction = await AuditedTransaction.BeginAsync(db, cancellationToken);
        try
        {
            var trial = await db.Trials.FromSql($"SELECT * FROM trials WHERE id = {trialId} FOR SHARE").SingleOrDefaultAsync(cancellationToken)
                ?? throw new NotFoundException("The trial");
            return new TrialWrite(db, transaction, trial);
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
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
