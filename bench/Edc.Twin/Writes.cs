using System.Data;
using System.Security.Cryptography;
using System.Text;
using Edc.Infrastructure.Safety;
using Npgsql;

namespace Edc.Twin;

/// <summary>
/// The write endpoints: one transaction each, the reads and locks the API's handlers take, then one batch writing the rows
/// the API wrote for the same request (the template, with new ids) and the same audit rows, chained by the same trigger,
/// with the COMMIT (<see cref="Transaction"/>).
/// </summary>
internal static partial class Writes
{
    /// <summary>As RecordAdverseEvent: trial FOR SHARE, participant FOR UPDATE, one batch (event, first version, audit rows), COMMIT.</summary>
    public static async Task<IResult> AdverseEventAsync(NpgsqlDataSource db, WriteTemplate template, Guid trialId, Guid participantId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = new Transaction(connection);
        if (await transaction.ReadAsync("SELECT * FROM trials WHERE id = $1 FOR SHARE", ct, trialId) is null
            || await transaction.ReadAsync("SELECT *, xmin FROM participants WHERE id = $1 AND trial_id = $2 FOR UPDATE", ct, participantId, trialId) is not { } participant)
        {
            return Results.NotFound();
        }

        var (id, main, version) = (Guid.NewGuid(), template.Main[0], template.Second[0]);
        var map = RowTemplate.Map((main.Value("id"), id), (version.Value("id"), Guid.NewGuid()), (main.Value("participant_id"), participantId), (main.Value("site_id"), participant["site_id"]));
        await using (var batch = new NpgsqlBatch(connection))
        {
            batch.BatchCommands.Add(RowTemplate.InsertAll(template.Main, map));
            batch.BatchCommands.Add(RowTemplate.InsertAll(template.Second, map));
            batch.BatchCommands.Add(RowTemplate.InsertAll(template.Audit, map));
            await transaction.CommitAsync(batch, ct);
        }

        return Created("id", id);
    }

    /// <summary>As RecordMrss (first save): trial FOR SHARE, participant, visit, existing assessment, one batch (assessment, audit rows), COMMIT.</summary>
    public static async Task<IResult> MrssAsync(
        NpgsqlDataSource db, WriteTemplate template, Guid trialId, Guid participantId, string visitCode, Guid[]? sites, CancellationToken ct)
    {
        if (sites is null)
        {
            return Results.BadRequest();
        }

        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = new Transaction(connection);
        if (await transaction.ReadAsync("SELECT * FROM trials WHERE id = $1 FOR SHARE", ct, trialId) is null
            || await transaction.ReadAsync("SELECT p.* FROM participants p WHERE p.trial_id = $1 AND p.site_id = ANY ($2) AND p.id = $3 LIMIT 2", ct, trialId, sites, participantId) is null
            || await transaction.ReadAsync("SELECT v.* FROM visits v WHERE v.participant_id = $1 AND v.code = $2 LIMIT 2", ct, participantId, visitCode) is not { } visit)
        {
            return Results.NotFound();
        }

        if (await transaction.ReadAsync("SELECT m.*, m.xmin FROM mrss_assessments m WHERE m.visit_id = $1 LIMIT 2", ct, visit["id"]) is not null)
        {
            return Results.Conflict();
        }

        var (id, main) = (Guid.NewGuid(), template.Main[0]);
        var map = RowTemplate.Map((main.Value("id"), id), (main.Value("participant_id"), participantId), (main.Value("visit_id"), visit["id"]), (main.Value("site_id"), visit["site_id"]));
        await using (var batch = new NpgsqlBatch(connection))
        {
            batch.BatchCommands.Add(RowTemplate.InsertAll(template.Main, map));
            batch.BatchCommands.Add(RowTemplate.InsertAll(template.Audit, map));
            await transaction.CommitAsync(batch, ct);
        }

        return Created("id", id);
    }

    /// <summary>
    /// As RandomizeParticipant: trial FOR SHARE, participant FOR UPDATE (must be enrolled), the stratum's advisory lock, the
    /// first free slot, then one batch (slot, participant, the visit schedule in one INSERT, the audit rows), COMMIT.
    /// </summary>
    public static async Task<IResult> RandomizeAsync(NpgsqlDataSource db, WriteTemplate template, Guid trialId, Guid participantId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = new Transaction(connection);
        if (await transaction.ReadAsync("SELECT * FROM trials WHERE id = $1 FOR SHARE", ct, trialId) is null
            || await transaction.ReadAsync("SELECT *, xmin FROM participants WHERE id = $1 AND trial_id = $2 FOR UPDATE", ct, participantId, trialId) is not { } participant)
        {
            return Results.NotFound();
        }

        if ((string)participant["status"] != "Enrolled")
        {
            return Results.Conflict();
        }

        var stratum = participant["stratum_key"] as string ?? string.Empty;
        await using (var lockStratum = Json.Command(connection, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", trialId + "/" + stratum))
        {
            await lockStratum.ExecuteNonQueryAsync(ct);
        }

        if (await transaction.ReadAsync("SELECT * FROM randomization_slots WHERE trial_id = $1 AND stratum_key = $2 AND participant_id IS NULL ORDER BY sequence LIMIT 1", ct, trialId, stratum) is not { } slot)
        {
            return Results.Conflict();
        }

        var now = DateTime.UtcNow;
        var (number, kit, site) = ((string)slot["randomization_number"], (string)slot["kit_number"], (Guid)participant["site_id"]);
        var (was, wasSite) = (template.Main[0], template.Second[0].Value("site_id"));
        var map = RowTemplate.Map(
            (was.Value("participant_id"), participantId), (was.Value("id"), slot["id"]), (was.Value("randomization_number"), number), (was.Value("kit_number"), kit), (wasSite, site));
        await using (var batch = new NpgsqlBatch(connection))
        {
            batch.BatchCommands.Add(Json.BatchCommand("UPDATE randomization_slots SET participant_id = $1, allocated_at = $2 WHERE id = $3", participantId, now, slot["id"]));
            batch.BatchCommands.Add(Json.BatchCommand(
                "UPDATE participants SET status = 'Randomized', randomization_number = $1, kit_number = $2, randomized_at = $3 WHERE id = $4", number, kit, now, participantId));
            batch.BatchCommands.Add(Json.BatchCommand(
                """
                INSERT INTO visits (id, trial_id, site_id, participant_id, code, name, day, target_date, window_start, window_end, procedures, status, out_of_window)
                SELECT gen_random_uuid(), d.trial_id, $1, $2, d.code, d.name, d.day, $3 + d.day, $3 + d.day - d.window_before, $3 + d.day + d.window_after,
                       d.procedures, 'Scheduled', false
                FROM visit_definitions d WHERE d.trial_id = $4
                """,
                site, participantId, DateOnly.FromDateTime(now), trialId));
            batch.BatchCommands.Add(RowTemplate.InsertAll(template.Audit, map));
            await transaction.CommitAsync(batch, ct);
            if (batch.BatchCommands[0].RecordsAffected != 1 || batch.BatchCommands[1].RecordsAffected != 1)
            {
                throw new InvalidOperationException("An update changed no row.");
            }
        }

        return Created("randomizationNumber", number);
    }

    /// <summary>As GenerateSafetySummary: the figures from one REPEATABLE READ snapshot, then the insert in its own transaction.</summary>
    public static async Task<IResult> SafetySummaryAsync(NpgsqlDataSource db, Guid trialId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        DateTimeOffset cutoff;
        string content;
        await using (var reading = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct))
        {
            await using (var settings = new NpgsqlCommand(SafetySummarySql.SessionSettings, connection, reading))
            {
                await settings.ExecuteNonQueryAsync(ct);
            }

            await using var compute = new NpgsqlCommand(SafetySummarySql.Statement, connection, reading) { CommandTimeout = 600 };
            compute.Parameters.AddWithValue("trial_id", trialId);
            await using (var reader = await compute.ExecuteReaderAsync(ct))
            {
                await reader.ReadAsync(ct);
                (cutoff, content) = (reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1));
            }

            await reading.CommitAsync(ct);
        }

        var id = Guid.CreateVersion7();
        await using var insert = Json.Command(
            connection,
            "INSERT INTO safety_summaries (id, trial_id, data_cutoff, generated_by_job, content, content_sha256) VALUES ($1, $2, $3, 'bench-twin', $4::jsonb, $5)",
            id, trialId, cutoff, content, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content))));
        await insert.ExecuteNonQueryAsync(ct);
        return Created("id", id);
    }

    /// <summary>
    /// A transaction as the API's AuditedTransaction runs one: BEGIN sent with the first statement, COMMIT with the last batch,
    /// so that the audit chain's lock, taken by the first audit row, is not held while an answer travels back; otherwise
    /// rolled back when disposed.
    /// </summary>
    private sealed class Transaction(NpgsqlConnection connection) : IAsyncDisposable
    {
        private bool _begun;
        private bool _ended;

        /// <summary>The first row of the query, every column read (by name), or null.</summary>
        public async Task<Dictionary<string, object>?> ReadAsync(string sql, CancellationToken ct, params object[] values)
        {
            await using var batch = new NpgsqlBatch(connection);
            if (!_begun)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN ISOLATION LEVEL READ COMMITTED"));
                _begun = true;
            }

            batch.BatchCommands.Add(Json.BatchCommand(sql, values));
            await using var reader = await batch.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                return null;
            }

            var row = new Dictionary<string, object>(reader.FieldCount, StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.GetValue(i);
            }

            while (await reader.ReadAsync(ct))
            {
            }

            return row;
        }

        /// <summary>One statement in a round trip of its own (begun with it if first); the rows it changed.</summary>
        public async Task<int> ExecuteAsync(NpgsqlBatchCommand command, CancellationToken ct)
        {
            await using var batch = new NpgsqlBatch(connection);
            if (!_begun)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN ISOLATION LEVEL READ COMMITTED"));
                _begun = true;
            }

            batch.BatchCommands.Add(command);
            await batch.ExecuteNonQueryAsync(ct);
            return command.RecordsAffected;
        }

        public async Task CommitAsync(NpgsqlBatch batch, CancellationToken ct)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
            await batch.ExecuteNonQueryAsync(ct);
            _ended = true;
        }

        public async ValueTask DisposeAsync()
        {
            if (_begun && !_ended && connection.State == ConnectionState.Open)
            {
                try
                {
                    await using var rollback = new NpgsqlCommand("ROLLBACK", connection);
                    await rollback.ExecuteNonQueryAsync(CancellationToken.None);
                }
                catch (NpgsqlException)
                {
                    // The connection broke: the server has ended the transaction, and the pool discards the connection.
                }
            }
        }
    }

    private static IResult Created(string name, object value)
    {
        using var answer = new JsonAnswer();
        answer.Json.WriteStartObject();
        answer.Json.WriteString(name, value.ToString());
        answer.Json.WriteEndObject();
        return answer.Result(StatusCodes.Status201Created);
    }
}
