using System.Data;
using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Edc.Infrastructure.Auditing;

/// <summary>
/// A READ COMMITTED transaction on the context's connection whose audit rows are sent together with its COMMIT, in one
/// round trip. The first audit row takes the audit chain's lock, held until the transaction ends: sent this way, no
/// other write waits on it for an answer to travel back to the API and the COMMIT to follow. The context's saves
/// run inside it (EF begins no transaction of its own); the audit interceptor hands it their rows.
/// Ended without <see cref="CommitAsync"/>, it is rolled back.
/// </summary>
public sealed class AuditedTransaction : IAsyncDisposable
{
    private readonly EdcDbContext _db;
    private readonly List<AuditEntry> _auditRows = [];
    private readonly List<NpgsqlBatchCommand> _withCommit = [];
    private bool _ended;
    private bool _disposed;

    private AuditedTransaction(EdcDbContext db, string id, string? reason)
    {
        _db = db;
        Id = id;
        Reason = reason;
    }

    /// <summary>The transaction's id (xid8, as text): what <c>pg_xact_status</c> answers about after a lost COMMIT.</summary>
    public string Id { get; }

    /// <summary>The reason the caller gave for the change; every audit row of the transaction carries it.</summary>
    public string? Reason { get; }

    /// <summary>Begins a change that is not bound to one trial's data (accounts, the trial row itself).</summary>
    public static async Task<AuditedTransaction> BeginAsync(EdcDbContext db, string? reason, CancellationToken cancellationToken) =>
        await BeginAsync(db, [new NpgsqlBatchCommand("SELECT pg_current_xact_id()::text")], heldTrialId: null, reason, cancellationToken)
        ?? throw new InvalidOperationException("The transaction answered no id.");

    /// <summary>
    /// Begins a change to one trial's data holding the trial's row shared until the transaction ends, in the round
    /// trip that begins it: the database lock (an update of that row) waits for the changes under way, and a change
    /// begun after it sees the trial locked. Given a participant of the trial, holds its row shared too, in the same
    /// round trip: a casebook lock, freeze, verification or signing (which hold it exclusively) then comes wholly before
    /// or wholly after the change, and what the change reads next is read after it. Null, and nothing begun, when there
    /// is no such trial.
    /// </summary>
    public static Task<AuditedTransaction?> BeginHoldingTrialRowAsync(
        EdcDbContext db, Guid trialId, Guid? participantId, string? reason, CancellationToken cancellationToken)
    {
        var statements = new List<NpgsqlBatchCommand>
        {
            new("SELECT pg_current_xact_id()::text, forms_revision FROM trials WHERE id = $1 FOR SHARE") { Parameters = { new() { Value = trialId } } },
        };
        if (participantId is { } participant)
        {
            statements.Add(new("SELECT id, locked_at IS NOT NULL FROM participants WHERE id = $1 AND trial_id = $2 FOR SHARE")
            {
                Parameters = { new() { Value = participant }, new() { Value = trialId } },
            });
        }

        return BeginAsync(db, statements, trialId, reason, cancellationToken);
    }

    /// <summary>The trial whose row this transaction holds shared, as it read it: its forms stay at this revision until the end.</summary>
    public HeldTrial? Trial { get; private init; }

    /// <summary>The participant whose row this transaction holds shared from its first round trip, as it read it.</summary>
    public HeldParticipant? Participant { get; private init; }

    /// <summary>
    /// Begins with <paramref name="statements"/> in the same round trip. The first answers the transaction's id
    /// (<c>pg_current_xact_id()::text</c>), e.g. from a row it locks, and the forms revision of the trial whose row it holds
    /// (<paramref name="heldTrialId"/>); a second, a participant's row it locks (id, locked). When the first answers no
    /// row, the transaction is rolled back and the answer is null.
    /// </summary>
    private static async Task<AuditedTransaction?> BeginAsync(
        EdcDbContext db, List<NpgsqlBatchCommand> statements, Guid? heldTrialId, string? reason, CancellationToken cancellationToken)
    {
        if (db.AuditedTransaction is not null || db.Database.CurrentTransaction is not null)
        {
            throw new InvalidOperationException("A transaction is already under way on this context.");
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var begin = new NpgsqlBatch(Connection(db)) { BatchCommands = { new NpgsqlBatchCommand("BEGIN ISOLATION LEVEL READ COMMITTED") } };
            statements.ForEach(begin.BatchCommands.Add);
            var (id, trial, participant) = await ReadBeginningAsync(begin, heldTrialId, cancellationToken);
            if (id is null)
            {
                await RollbackAsync(db);
                await db.Database.CloseConnectionAsync();
                return null;
            }

            db.Database.AutoTransactionBehavior = AutoTransactionBehavior.Never;
            return db.AuditedTransaction = new AuditedTransaction(db, id, reason) { Trial = trial, Participant = participant };
        }
        catch
        {
            await db.Database.CloseConnectionAsync();
            throw;
        }
    }

    private static async Task<(string? Id, HeldTrial? Trial, HeldParticipant? Participant)> ReadBeginningAsync(
        NpgsqlBatch begin, Guid? heldTrialId, CancellationToken cancellationToken)
    {
        await using var reader = await begin.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return (null, null, null);
        }

        var id = reader.GetString(0);
        var trial = heldTrialId is { } trialId ? new HeldTrial(trialId, reader.GetInt32(1)) : null;
        var participant = await reader.NextResultAsync(cancellationToken) && await reader.ReadAsync(cancellationToken)
            ? new HeldParticipant(reader.GetGuid(0), reader.GetBoolean(1))
            : null;
        return (id, trial, participant);
    }

    internal void AddAuditRows(IEnumerable<AuditEntry> rows) => _auditRows.AddRange(rows);

    /// <summary>
    /// A statement to send with the COMMIT, in its batch, after the saves and before the audit rows: rows the context does
    /// not track and the trail does not copy (<see cref="Persistence.ScheduleRows"/>), written without a round trip of their own.
    /// </summary>
    internal void SendWithCommit(NpgsqlBatchCommand command) => _withCommit.Add(command);

    /// <summary>
    /// Sends the statements queued for the commit, the audit rows and the COMMIT in one batch. A failure leaves the
    /// transaction to be rolled back. A connection lost during the COMMIT is settled by asking the database, on a new connection, what became of this
    /// transaction: aborted (a connection lost before, too), the error goes on (503 "unavailable"); committed or not to
    /// be found out, it is a <see cref="CommitOutcomeUnknownException"/> (the change may be saved).
    /// </summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (_ended)
        {
            throw new InvalidOperationException("The transaction has already ended.");
        }

        try
        {
            await using var batch = new NpgsqlBatch(Connection(_db));
            foreach (var command in _withCommit)
            {
                batch.BatchCommands.Add(command);
            }

            if (_auditRows.Count > 0)
            {
                var insert = new NpgsqlBatchCommand(AuditRows.InsertSql);
                insert.Parameters.AddRange(AuditRows.Parameters(_auditRows));
                batch.BatchCommands.Add(insert);
            }

            batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception exception) when (DatabaseFailures.IsUnavailable(exception))
        {
            if (await StatusAsync(_db.Database.GetConnectionString()!, Id) == "aborted")
            {
                throw;
            }

            throw new CommitOutcomeUnknownException(exception);
        }

        End(); // a save after this is a change of its own, audited as usual
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
            catch (Exception exception) when (DatabaseFailures.IsUnavailable(exception))
            {
                return null;
            }

            await Task.Delay(100, CancellationToken.None); // the terminated backend is still ending its transaction
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_ended)
        {
            End();
            await RollbackAsync(_db);
        }

        await _db.Database.CloseConnectionAsync();
    }

    private static async Task RollbackAsync(EdcDbContext db)
    {
        if (Connection(db).State == ConnectionState.Open)
        {
            try
            {
                await using var rollback = new NpgsqlCommand("ROLLBACK", Connection(db));
                await rollback.ExecuteNonQueryAsync(CancellationToken.None);
            }
            catch (NpgsqlException)
            {
                // The connection broke: the server has ended the transaction, and the pool discards the connection.
            }
        }
    }

    private void End()
    {
        _ended = true;
        _db.AuditedTransaction = null;
        _db.Database.AutoTransactionBehavior = AutoTransactionBehavior.WhenNeeded;
    }

    private static NpgsqlConnection Connection(EdcDbContext db) => (NpgsqlConnection)db.Database.GetDbConnection();
}
