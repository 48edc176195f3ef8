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
    private bool _ended;
    private bool _disposed;

    private AuditedTransaction(EdcDbContext db, string id)
    {
        _db = db;
        Id = id;
    }

    /// <summary>The transaction's id (xid8, as text): what <c>pg_xact_status</c> answers about after a lost COMMIT.</summary>
    public string Id { get; }

    public static async Task<AuditedTransaction> BeginAsync(EdcDbContext db, CancellationToken cancellationToken)
    {
        if (db.AuditedTransaction is not null || db.Database.CurrentTransaction is not null)
        {
            throw new InvalidOperationException("A transaction is already under way on this context.");
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var begin = new NpgsqlBatch(Connection(db))
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand("BEGIN ISOLATION LEVEL READ COMMITTED"),
                    new NpgsqlBatchCommand("SELECT pg_current_xact_id()::text"),
                },
            };
            var id = (string)(await begin.ExecuteScalarAsync(cancellationToken))!;
            db.Database.AutoTransactionBehavior = AutoTransactionBehavior.Never;
            return db.AuditedTransaction = new AuditedTransaction(db, id);
        }
        catch
        {
            await db.Database.CloseConnectionAsync();
            throw;
        }
    }

    internal void AddAuditRows(IEnumerable<AuditEntry> rows) => _auditRows.AddRange(rows);

    /// <summary>Sends the audit rows and the COMMIT in one batch. A failure leaves the transaction to be rolled back.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (_ended)
        {
            throw new InvalidOperationException("The transaction has already ended.");
        }

        await using var batch = new NpgsqlBatch(Connection(_db));
        if (_auditRows.Count > 0)
        {
            var insert = new NpgsqlBatchCommand(AuditRows.InsertSql);
            insert.Parameters.AddRange(AuditRows.Parameters(_auditRows));
            batch.BatchCommands.Add(insert);
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        await batch.ExecuteNonQueryAsync(cancellationToken);
        End(); // a save after this is a change of its own, audited as usual
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
            if (Connection(_db).State == ConnectionState.Open)
            {
                try
                {
                    await using var rollback = new NpgsqlCommand("ROLLBACK", Connection(_db));
                    await rollback.ExecuteNonQueryAsync(CancellationToken.None);
                }
                catch (NpgsqlException)
                {
                    // The connection broke: the server has ended the transaction, and the pool discards the connection.
                }
            }
        }

        await _db.Database.CloseConnectionAsync();
    }

    private void End()
    {
        _ended = true;
        _db.AuditedTransaction = null;
        _db.Database.AutoTransactionBehavior = AutoTransactionBehavior.WhenNeeded;
    }

    private static NpgsqlConnection Connection(EdcDbContext db) => (NpgsqlConnection)db.Database.GetDbConnection();
}
