using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Npgsql;

namespace Edc.Bench;

/// <summary>The timed phase of one workload: each request's latency, the wall time, and what went wrong.</summary>
internal sealed record RunResult(int Requests, TimeSpan Elapsed, double[] LatenciesMs, IReadOnlyList<string> Failures, long AuditRowsAdded)
{
    public double Throughput => Requests / Elapsed.TotalSeconds;

    /// <summary>Nearest-rank percentile of the sorted latencies.</summary>
    public double Percentile(double p) => LatenciesMs[Math.Clamp((int)Math.Ceiling(p / 100 * LatenciesMs.Length) - 1, 0, LatenciesMs.Length - 1)];

    public string Line(string name) => string.Create(
        CultureInfo.InvariantCulture,
        $"{name}: {Requests} in {Elapsed.TotalSeconds:0.00} s, {Throughput:0.0} req/s, p50 {Percentile(50):0.0} ms, p95 {Percentile(95):0.0} ms, p99 {Percentile(99):0.0} ms, {Failures.Count} failed");
}

/// <summary>The audit rows one API randomization writes, (entity type, field) in order, and who wrote them.</summary>
internal sealed record AuditShape(IReadOnlyList<(string EntityType, string Field)> Fields, Guid? UserId, string? UserEmail, string UserRoles)
{
    /// <summary>
    /// Reads what the API wrote for one operation, so the plain twin writes the same rows. <paramref name="sql"/> selects
    /// entity_type, field, user_id, user_email, user_roles in order, with <c>@participant</c> bound to the trial's first participant.
    /// </summary>
    public static async Task<AuditShape> ReadAsync(string connectionString, BenchTrial trial, string sql, string operation, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("participant", trial.Participants[0]);
        var fields = new List<(string, string)>();
        Guid? userId = null;
        string? email = null;
        var roles = string.Empty;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            fields.Add((reader.GetString(0), reader.GetString(1)));
            userId = reader.IsDBNull(2) ? null : reader.GetGuid(2);
            email = reader.IsDBNull(3) ? null : reader.GetString(3);
            roles = reader.GetString(4);
        }

        return fields.Count > 0 ? new AuditShape(fields, userId, email, roles) : throw new BenchException($"The API wrote no audit rows for {operation}.");
    }
}

internal static class Workloads
{
    /// <summary>Clients POST /randomization for distinct participants, each client its own HttpClient (connection).</summary>
    public static async Task<RunResult> ApiAsync(Uri baseAddress, string connectionString, BenchSetup setup, BenchOptions options, CancellationToken ct)
    {
        var clients = Enumerable.Range(0, options.Clients).Select(_ =>
        {
            var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", setup.CoordinatorToken);
            return client;
        }).ToList();
        try
        {
            var trial = setup.ApiTrial;
            return await TimedAsync(
                trial.Participants, options, connectionString, clients,
                async (client, participant, token) =>
                {
                    using var response = await client.PostAsync(
                        new Uri($"/api/trials/{trial.Id}/participants/{participant}/randomization", UriKind.Relative), content: null, token);
                    var body = await response.Content.ReadAsStringAsync(token);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        throw new BenchException($"{(int)response.StatusCode}: {body}");
                    }
                },
                ct);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    /// <summary>
    /// The same allocation as the API's, as one explicit transaction per participant on its own connection: read the
    /// trial holding its row shared (against the database lock) and check it is open; lock the participant and check it is enrolled; serialize the stratum with the same advisory lock; take the first free slot;
    /// update the slot and the participant, lay out the visit schedule and write the same audit rows (one batch, as EF Core
    /// sends them); commit.
    /// </summary>
    public static async Task<RunResult> PlainSqlAsync(string connectionString, BenchSetup setup, AuditShape audit, BenchOptions options, CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = options.Clients + 4 };
        await using var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        var connections = new List<NpgsqlConnection>();
        try
        {
            for (var i = 0; i < options.Clients; i++)
            {
                connections.Add(await dataSource.OpenConnectionAsync(ct));
            }

            var insertAudit = AuditInsertSql(audit.Fields.Count);
            var trial = setup.PlainTrial;
            return await TimedAsync(
                trial.Participants, options, connectionString, connections,
                (connection, participant, token) => AllocateAsync(connection, trial, participant, audit, insertAudit, token),
                ct);
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private static async Task AllocateAsync(
        NpgsqlConnection connection, BenchTrial trial, Guid participantId, AuditShape audit, string insertAudit, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var shareTrial = new NpgsqlCommand("SELECT status FROM trials WHERE id = @trial FOR SHARE", connection, transaction))
        {
            shareTrial.Parameters.AddWithValue("trial", trial.Id);
            if (await shareTrial.ExecuteScalarAsync(ct) as string != "Active")
            {
                throw new BenchException($"trial {trial.Id} is not open");
            }
        }

        string stratum;
        Guid siteId;
        await using (var lockParticipant = new NpgsqlCommand(
            "SELECT status, coalesce(stratum_key, ''), site_id, randomization_number FROM participants WHERE id = @id AND trial_id = @trial FOR UPDATE",
            connection, transaction))
        {
            lockParticipant.Parameters.AddWithValue("id", participantId);
            lockParticipant.Parameters.AddWithValue("trial", trial.Id);
            await using var reader = await lockParticipant.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                throw new BenchException($"participant {participantId} not found");
            }

            if (reader.GetString(0) != "Enrolled" || !reader.IsDBNull(3))
            {
                throw new BenchException($"participant {participantId} is not randomizable ({reader.GetString(0)})");
            }

            stratum = reader.GetString(1);
            siteId = reader.GetGuid(2);
        }

        await using (var lockStratum = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", connection, transaction))
        {
            lockStratum.Parameters.AddWithValue("key", trial.Id + "/" + stratum);
            await lockStratum.ExecuteNonQueryAsync(ct);
        }

        Guid slotId;
        string randomizationNumber, kitNumber;
        await using (var freeSlot = new NpgsqlCommand(
            """
            SELECT id, randomization_number, kit_number FROM randomization_slots
            WHERE trial_id = @trial AND stratum_key = @stratum AND participant_id IS NULL
            ORDER BY sequence LIMIT 1
            """,
            connection, transaction))
        {
            freeSlot.Parameters.AddWithValue("trial", trial.Id);
            freeSlot.Parameters.AddWithValue("stratum", stratum);
            await using var reader = await freeSlot.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                throw new BenchException("the list is used up");
            }

            (slotId, randomizationNumber, kitNumber) = (reader.GetGuid(0), reader.GetString(1), reader.GetString(2));
        }

        var now = DateTimeOffset.UtcNow;
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            var slot = new NpgsqlBatchCommand("UPDATE randomization_slots SET participant_id = @participant, allocated_at = @now WHERE id = @id");
            slot.Parameters.AddWithValue("participant", participantId);
            slot.Parameters.AddWithValue("now", now);
            slot.Parameters.AddWithValue("id", slotId);
            var participant = new NpgsqlBatchCommand(
                """
                UPDATE participants SET status = 'Randomized', randomization_number = @number, kit_number = @kit, randomized_at = @now
                WHERE id = @id
                """);
            participant.Parameters.AddWithValue("number", randomizationNumber);
            participant.Parameters.AddWithValue("kit", kitNumber);
            participant.Parameters.AddWithValue("now", now);
            participant.Parameters.AddWithValue("id", participantId);
            var rows = new NpgsqlBatchCommand(insertAudit);
            rows.Parameters.AddWithValue("user_id", (object?)audit.UserId ?? DBNull.Value);
            rows.Parameters.AddWithValue("user_email", (object?)audit.UserEmail ?? DBNull.Value);
            rows.Parameters.AddWithValue("user_roles", audit.UserRoles);
            rows.Parameters.AddWithValue("trial_id", trial.Id);
            var stamp = now.ToString("O", CultureInfo.InvariantCulture);
            for (var i = 0; i < audit.Fields.Count; i++)
            {
                var (entityType, field) = audit.Fields[i];
                var isParticipant = entityType == "Participant";
                var (oldValue, newValue) = field switch
                {
                    "Status" => ("Enrolled", "Randomized"),
                    "RandomizationNumber" => (null, randomizationNumber),
                    "KitNumber" => (null, kitNumber),
                    "ParticipantId" => (null, participantId.ToString()),
                    _ => ((string?)null, stamp),
                };
                rows.Parameters.AddWithValue($"entity_type{i}", entityType);
                rows.Parameters.AddWithValue($"entity_id{i}", (isParticipant ? participantId : slotId).ToString());
                rows.Parameters.AddWithValue($"site_id{i}", isParticipant ? siteId : DBNull.Value);
                rows.Parameters.AddWithValue($"field{i}", field);
                rows.Parameters.AddWithValue($"old_value{i}", (object?)oldValue ?? DBNull.Value);
                rows.Parameters.AddWithValue($"new_value{i}", newValue);
            }

            // The participant's visit schedule, as the API lays it out: Day 0 is the randomization date (UTC).
            var schedule = new NpgsqlBatchCommand(
                """
                INSERT INTO visits (id, trial_id, site_id, participant_id, code, name, day, target_date, window_start, window_end,
                                    procedures, status, out_of_window)
                SELECT gen_random_uuid(), d.trial_id, @site, @participant, d.code, d.name, d.day, @day0 + d.day,
                       @day0 + d.day - d.window_before, @day0 + d.day + d.window_after, d.procedures, 'Scheduled', false
                FROM visit_definitions d WHERE d.trial_id = @trial
                """);
            schedule.Parameters.AddWithValue("site", siteId);
            schedule.Parameters.AddWithValue("participant", participantId);
            schedule.Parameters.AddWithValue("day0", DateOnly.FromDateTime(now.UtcDateTime));
            schedule.Parameters.AddWithValue("trial", trial.Id);

            batch.BatchCommands.Add(slot);
            batch.BatchCommands.Add(participant);
            batch.BatchCommands.Add(schedule);
            batch.BatchCommands.Add(rows);
            await batch.ExecuteNonQueryAsync(ct);
            if (slot.RecordsAffected != 1 || participant.RecordsAffected != 1 || rows.RecordsAffected != audit.Fields.Count)
            {
                throw new BenchException("an update changed no row");
            }
        }

        await transaction.CommitAsync(ct);
    }

    private static string AuditInsertSql(int rows)
    {
        var sql = new StringBuilder(
            "INSERT INTO audit_entries (user_id, user_email, user_roles, action, entity_type, entity_id, trial_id, site_id, field, old_value, new_value) VALUES ");
        for (var i = 0; i < rows; i++)
        {
            sql.Append(CultureInfo.InvariantCulture,
                $"{(i == 0 ? "" : ", ")}(@user_id, @user_email, @user_roles, 'Update', @entity_type{i}, @entity_id{i}, @trial_id, @site_id{i}, @field{i}, @old_value{i}, @new_value{i})");
        }

        return sql.ToString();
    }

    /// <summary>The audit rows the API wrote for its first randomized participant and that participant's slot.</summary>
    public static Task<AuditShape> AuditShapeAsync(string connectionString, BenchTrial trial, CancellationToken ct) =>
        AuditShape.ReadAsync(
            connectionString,
            trial,
            """
            SELECT a.entity_type, a.field, a.user_id, a.user_email, a.user_roles
            FROM audit_entries a
            JOIN randomization_slots s ON s.participant_id = @participant
            WHERE a.action = 'Update' AND a.entity_id IN (@participant::text, s.id::text)
            ORDER BY a.seq
            """,
            "a randomization",
            ct);

    /// <summary>
    /// A warm-up (not measured), then the timed phase: each client takes the next participant in list order until all
    /// are done, and every request's latency is kept. Failures are counted, not retried.
    /// </summary>
    public static async Task<RunResult> TimedAsync<TClient>(
        IReadOnlyList<Guid> participants, BenchOptions options, string connectionString, IReadOnlyList<TClient> clients,
        Func<TClient, Guid, CancellationToken, Task> randomize, CancellationToken ct)
    {
        await PhaseAsync(participants.Take(options.Warmup).ToList(), clients, randomize, ct);
        var auditBefore = await AuditHeadAsync(connectionString, ct);
        var stopwatch = Stopwatch.StartNew();
        var (latencies, failures) = await PhaseAsync(participants.Skip(options.Warmup).ToList(), clients, randomize, ct);
        stopwatch.Stop();
        var auditAfter = await AuditHeadAsync(connectionString, ct);
        Array.Sort(latencies);
        return new RunResult(latencies.Length, stopwatch.Elapsed, latencies, failures, auditAfter - auditBefore);
    }

    private static async Task<(double[] LatenciesMs, IReadOnlyList<string> Failures)> PhaseAsync<TClient>(
        IReadOnlyList<Guid> participants, IReadOnlyList<TClient> clients, Func<TClient, Guid, CancellationToken, Task> randomize, CancellationToken ct)
    {
        var latencies = new double[participants.Count];
        var failures = new ConcurrentQueue<string>();
        var next = -1;
        await Task.WhenAll(clients.Select(client => Task.Run(
            async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < participants.Count)
                {
                    var started = Stopwatch.GetTimestamp();
                    try
                    {
                        await randomize(client, participants[i], ct);
                    }
                    catch (Exception e) when (e is BenchException or HttpRequestException or NpgsqlException
                                              || (e is TaskCanceledException && !ct.IsCancellationRequested))
                    {
                        failures.Enqueue(e.Message);
                    }

                    latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }
            },
            ct)));
        return (latencies, [.. failures]);
    }

    private static async Task<long> AuditHeadAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT coalesce(max(seq), 0) FROM audit_entries", connection);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }
}
