using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;

namespace Edc.Bench;

/// <summary>
/// A row the API wrote, to be written again by a twin with new ids: its columns (no generated or identity column), their
/// types and values. Values found in the map (ids, as uuids or text) are replaced.
/// </summary>
internal sealed record RowTemplate(string Table, string[] Columns, string[] Types, object[] Values)
{
    public string InsertSql(int rows = 1)
    {
        var text = new StringBuilder($"INSERT INTO {Table} ({string.Join(", ", Columns)}) VALUES ");
        for (var r = 0; r < rows; r++)
        {
            text.Append(r == 0 ? "(" : ", (");
            text.Append(string.Join(", ", Columns.Select((_, i) => $"${r * Columns.Length + i + 1}::{Types[i]}")));
            text.Append(')');
        }

        return text.ToString();
    }

    public IEnumerable<NpgsqlParameter> Parameters(IReadOnlyDictionary<object, object> map) =>
        Values.Select(v => new NpgsqlParameter { Value = map.TryGetValue(v, out var mapped) ? mapped : v });

    public static async Task<IReadOnlyList<RowTemplate>> ReadAsync(NpgsqlConnection connection, string table, string where, object key, CancellationToken ct)
    {
        var columns = new List<(string Name, string Type)>();
        await using (var describe = new NpgsqlCommand(
            """
            SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute
            WHERE attrelid = @table::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '' AND attidentity = '' ORDER BY attnum
            """,
            connection))
        {
            describe.Parameters.AddWithValue("table", table);
            await using var reader = await describe.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                columns.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        // The audit chain's own columns are the trigger's to fill.
        if (table == "audit_entries")
        {
            columns.RemoveAll(c => c.Name is not ("user_id" or "user_email" or "user_roles" or "action" or "entity_type" or "entity_id" or "trial_id" or "site_id" or "field" or "old_value" or "new_value"));
        }

        var rows = new List<RowTemplate>();
        await using var select = new NpgsqlCommand($"SELECT {string.Join(", ", columns.Select(c => c.Name))} FROM {table} WHERE {where}", connection);
        select.Parameters.AddWithValue("key", key);
        await using (var reader = await select.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var values = new object[columns.Count];
                reader.GetValues(values);
                rows.Add(new RowTemplate(table, [.. columns.Select(c => c.Name)], [.. columns.Select(c => c.Type)], values));
            }
        }

        return rows.Count > 0 ? rows : throw new BenchException($"No template row in {table} where {where}");
    }

    /// <summary>All rows as one multi-row INSERT.</summary>
    public static NpgsqlBatchCommand InsertAll(IReadOnlyList<RowTemplate> rows, IReadOnlyDictionary<object, object> map)
    {
        var command = new NpgsqlBatchCommand(rows[0].InsertSql(rows.Count));
        foreach (var row in rows)
        {
            command.Parameters.AddRange(row.Parameters(map).ToArray());
        }

        return command;
    }
}

internal sealed record WriteTemplate(IReadOnlyList<RowTemplate> Main, IReadOnlyList<RowTemplate>? Second, IReadOnlyList<RowTemplate> Audit, Dictionary<string, object> Keys);

/// <summary>The plain-SQL twins: the statements the API's handlers send, through Npgsql, one connection per client.</summary>
internal static class Twin
{
    /// <summary>Closed loop for the duration: each client takes the next index (wrapping when cycling), times each operation.</summary>
    public static async Task<SideResult> RunAsync(
        string connectionString, BenchOptions options, int count, bool cycle, Func<NpgsqlConnection, int, CancellationToken, Task> operation, CancellationToken ct)
    {
        // Statements prepared as the API's connections prepare theirs (Npgsql's automatic preparation, 64 per connection).
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = options.Clients + 4, MaxAutoPrepare = 64 };
        await using var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        var connections = new List<NpgsqlConnection>();
        for (var i = 0; i < options.Clients; i++)
        {
            connections.Add(await dataSource.OpenConnectionAsync(ct));
        }

        var latencies = new ConcurrentBag<List<double>>();
        var failures = new ConcurrentQueue<string>();
        var next = -1;
        var exhausted = false;
        var duration = TimeSpan.FromSeconds(options.Duration);
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(connections.Select(connection => Task.Run(
            async () =>
            {
                var mine = new List<double>();
                latencies.Add(mine);
                while (stopwatch.Elapsed < duration)
                {
                    var i = Interlocked.Increment(ref next);
                    if (i >= count && !cycle)
                    {
                        exhausted = true;
                        break;
                    }

                    var started = Stopwatch.GetTimestamp();
                    try
                    {
                        await operation(connection, i % count, ct);
                        mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                    catch (Exception e) when (e is NpgsqlException or BenchException or InvalidOperationException)
                    {
                        failures.Enqueue(e.Message);
                    }
                }
            },
            ct)));
        var elapsed = stopwatch.Elapsed;
        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }

        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        double Percentile(double p) => all.Length == 0 ? double.NaN : all[Math.Clamp((int)Math.Ceiling(p / 100 * all.Length) - 1, 0, all.Length - 1)];
        return new SideResult(all.Length, all.Length / elapsed.TotalSeconds, Percentile(50), Percentile(99), failures.Count,
            failures.IsEmpty ? null : $"{failures.Count} failed, first: {failures.First()}", exhausted);
    }

    private static async Task DrainAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        var values = new object[reader.FieldCount];
        while (await reader.ReadAsync(ct))
        {
            reader.GetValues(values);
        }
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params object[] values)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }

    /// <summary>As GetCasebook: the trial visible through a site, the participant at the caller's sites, visits, MRSS, infusions.</summary>
    public static async Task CasebookAsync(NpgsqlConnection connection, SuiteContext ctx, Guid participant, CancellationToken ct)
    {
        await using (var trial = Command(connection, "SELECT t.* FROM trials t WHERE t.id = $1 AND EXISTS (SELECT 1 FROM sites s WHERE s.trial_id = t.id AND s.id = ANY ($2)) LIMIT 2", ctx.TrialId, ctx.Sites))
        {
            await DrainAsync(trial, ct);
        }

        await using (var row = Command(connection, "SELECT p.* FROM participants p WHERE p.trial_id = $1 AND p.site_id = ANY ($2) AND p.id = $3 LIMIT 2", ctx.TrialId, ctx.Sites, participant))
        {
            await DrainAsync(row, ct);
        }

        await using (var visits = Command(connection, "SELECT v.* FROM visits v WHERE v.participant_id = $1 ORDER BY v.day IS NULL, v.day, v.code", participant))
        {
            await DrainAsync(visits, ct);
        }

        await using (var mrss = Command(connection, "SELECT m.visit_id, m.assessed_on, m.total FROM mrss_assessments m WHERE m.participant_id = $1", participant))
        {
            await DrainAsync(mrss, ct);
        }

        await using var infusions = Command(connection, "SELECT i.* FROM infusions i WHERE i.participant_id = $1", participant);
        await DrainAsync(infusions, ct);
    }

    /// <summary>As VisitWorklist: trial visible, count, then the page ordered by urgency.</summary>
    public static async Task WorklistAsync(NpgsqlConnection connection, SuiteContext ctx, int page, int pageSize, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var horizon = today.AddDays(14);
        await using (var visible = Command(connection, "SELECT EXISTS (SELECT 1 FROM trials t WHERE t.id = $1 AND EXISTS (SELECT 1 FROM sites s WHERE s.trial_id = t.id AND s.id = ANY ($2)))", ctx.TrialId, ctx.Sites))
        {
            await visible.ExecuteScalarAsync(ct);
        }

        const string from =
            """
            FROM visits v JOIN participants p ON v.participant_id = p.id
            WHERE p.trial_id = $1 AND p.site_id = ANY ($2) AND p.status = 'Randomized' AND v.trial_id = $1 AND v.status = 'Scheduled'
              AND v.day IS NOT NULL AND v.window_start IS NOT NULL AND v.window_end IS NOT NULL AND v.window_start <= $3
            """;
        await using (var count = Command(connection, "SELECT count(*)::int " + from, ctx.TrialId, ctx.Sites, horizon))
        {
            await count.ExecuteScalarAsync(ct);
        }

        await using var rows = Command(
            connection,
            $"""
             SELECT v.participant_id, p.screening_number, v.site_id, v.code, v.name, v.target_date, v.window_start, v.window_end {from}
             ORDER BY CASE WHEN v.window_end < $4 THEN 0 WHEN v.window_start <= $4 THEN 1 ELSE 2 END,
                      CASE WHEN (CASE WHEN v.window_end < $4 THEN 0 WHEN v.window_start <= $4 THEN 1 ELSE 2 END) = 2 THEN v.window_start ELSE v.window_end END,
                      p.screening_number, v.day, v.code
             LIMIT $5 OFFSET $6
             """,
            ctx.TrialId, ctx.Sites, horizon, today, pageSize, (page - 1) * pageSize);
        await DrainAsync(rows, ct);
    }

    // ---- adverse-event entry ----

    public static async Task<WriteTemplate> AdverseEventTemplateAsync(string connectionString, SuiteContext ctx, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        Guid id;
        await using (var first = Command(connection, "SELECT id FROM adverse_events WHERE trial_id = $1 AND term = 'Headache' ORDER BY created_at LIMIT 1", ctx.TrialId))
        {
            id = (Guid)(await first.ExecuteScalarAsync(ct) ?? throw new BenchException("The API recorded no adverse event."));
        }

        var main = await RowTemplate.ReadAsync(connection, "adverse_events", "id = @key", id, ct);
        var versions = await RowTemplate.ReadAsync(connection, "adverse_event_versions", "adverse_event_id = @key", id, ct);
        var versionId = (Guid)versions[0].Values[Array.IndexOf(versions[0].Columns, "id")];
        var audit = await RowTemplate.ReadAsync(connection, "audit_entries", "entity_id = ANY (@key) ORDER BY seq", new[] { id.ToString(), versionId.ToString() }, ct);
        return new WriteTemplate(main, versions, audit, new Dictionary<string, object>
        {
            ["id"] = id,
            ["version"] = versionId,
            ["participant"] = main[0].Values[Array.IndexOf(main[0].Columns, "participant_id")],
            ["site"] = main[0].Values[Array.IndexOf(main[0].Columns, "site_id")],
        });
    }

    /// <summary>As RecordAdverseEvent: trial FOR SHARE, participant FOR UPDATE, one batch (event, first version, audit rows), COMMIT.</summary>
    public static async Task AdverseEventAsync(NpgsqlConnection connection, SuiteContext ctx, WriteTemplate template, PoolParticipant participant, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var trial = Command(connection, "SELECT * FROM trials WHERE id = $1 FOR SHARE", ctx.TrialId))
        {
            await DrainAsync(trial, ct);
        }

        await using (var row = Command(connection, "SELECT *, xmin FROM participants WHERE id = $1 AND trial_id = $2 FOR UPDATE", participant.Id, ctx.TrialId))
        {
            await DrainAsync(row, ct);
        }

        var map = Map((template.Keys["id"], Guid.NewGuid()), (template.Keys["version"], Guid.NewGuid()), (template.Keys["participant"], participant.Id), (template.Keys["site"], participant.SiteId));
        await using (var batch = new NpgsqlBatch(connection))
        {
            batch.BatchCommands.Add(RowTemplate.InsertAll(template.Main, map));
            batch.BatchCommands.Add(RowTemplate.InsertAll(template.Second!, map));
            batch.BatchCommands.Add(RowTemplate.InsertAll(template.Audit, map));
            await batch.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
    }

    // ---- MRSS entry ----

    public static async Task<WriteTemplate> MrssTemplateAsync(string connectionString, SuiteContext ctx, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        Guid id;
        await using (var first = Command(connection, "SELECT id FROM mrss_assessments WHERE trial_id = $1 AND assessor_name = 'Dr Benchmark' LIMIT 1", ctx.TrialId))
        {
            id = (Guid)(await first.ExecuteScalarAsync(ct) ?? throw new BenchException("The API saved no MRSS."));
        }

        var main = await RowTemplate.ReadAsync(connection, "mrss_assessments", "id = @key", id, ct);
        var audit = await RowTemplate.ReadAsync(connection, "audit_entries", "entity_id = @key ORDER BY seq", id.ToString(), ct);
        return new WriteTemplate(main, null, audit, new Dictionary<string, object>
        {
            ["id"] = id,
            ["participant"] = main[0].Values[Array.IndexOf(main[0].Columns, "participant_id")],
            ["visit"] = main[0].Values[Array.IndexOf(main[0].Columns, "visit_id")],
            ["site"] = main[0].Values[Array.IndexOf(main[0].Columns, "site_id")],
        });
    }

    /// <summary>As RecordMrss (first save): trial FOR SHARE, participant, visit, existing assessment, one batch (assessment, audit rows), COMMIT.</summary>
    public static async Task MrssAsync(NpgsqlConnection connection, SuiteContext ctx, WriteTemplate template, PoolVisit visit, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var trial = Command(connection, "SELECT * FROM trials WHERE id = $1 FOR SHARE", ctx.TrialId))
        {
            await DrainAsync(trial, ct);
        }

        await using (var row = Command(connection, "SELECT p.* FROM participants p WHERE p.trial_id = $1 AND p.site_id = ANY ($2) AND p.id = $3 LIMIT 2", ctx.TrialId, ctx.Sites, visit.Participant))
        {
            await DrainAsync(row, ct);
        }

        await using (var visitRow = Command(connection, "SELECT v.* FROM visits v WHERE v.participant_id = $1 AND v.code = $2 LIMIT 2", visit.Participant, visit.Code))
        {
            await DrainAsync(visitRow, ct);
        }

        await using (var existing = Command(connection, "SELECT m.* FROM mrss_assessments m WHERE m.visit_id = $1 LIMIT 2", visit.Id))
        {
            await DrainAsync(existing, ct);
        }

        var map = Map((template.Keys["id"], Guid.NewGuid()), (template.Keys["participant"], visit.Participant), (template.Keys["visit"], visit.Id), (template.Keys["site"], visit.SiteId));
        await using (var batch = new NpgsqlBatch(connection))
        {
            batch.BatchCommands.Add(RowTemplate.InsertAll(template.Main, map));
            batch.BatchCommands.Add(RowTemplate.InsertAll(template.Audit, map));
            await batch.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
    }

    // ---- randomization ----

    public static async Task<WriteTemplate> RandomizationTemplateAsync(string connectionString, Guid[] apiParticipants, CancellationToken ct)
    {
        Guid participant;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        Guid slot, site;
        string number, kit;
        await using (var first = Command(connection, "SELECT s.id, s.randomization_number, s.kit_number, p.site_id, p.id FROM randomization_slots s JOIN participants p ON p.id = s.participant_id WHERE p.id = ANY ($1) ORDER BY s.sequence LIMIT 1", apiParticipants))
        await using (var reader = await first.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct))
            {
                throw new BenchException("The API randomized no participant.");
            }

            (slot, number, kit, site, participant) = (reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetGuid(3), reader.GetGuid(4));
        }

        var audit = await RowTemplate.ReadAsync(connection, "audit_entries", "entity_id = ANY (@key) AND action = 'Update' ORDER BY seq", new[] { participant.ToString(), slot.ToString() }, ct);
        return new WriteTemplate([], null, audit, new Dictionary<string, object>
        {
            ["participant"] = participant,
            ["slot"] = slot,
            ["number"] = number,
            ["kit"] = kit,
            ["site"] = site,
        });
    }

    /// <summary>As Randomize: trial FOR SHARE, participant FOR UPDATE, the stratum's advisory lock, first free slot, one batch, COMMIT.</summary>
    public static async Task RandomizeAsync(NpgsqlConnection connection, SuiteContext ctx, WriteTemplate template, PoolParticipant participant, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var trial = Command(connection, "SELECT * FROM trials WHERE id = $1 FOR SHARE", ctx.TrialId))
        {
            await DrainAsync(trial, ct);
        }

        string stratum;
        await using (var row = Command(connection, "SELECT *, xmin FROM participants WHERE id = $1 AND trial_id = $2 FOR UPDATE", participant.Id, ctx.TrialId))
        await using (var reader = await row.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct) || reader.GetString(reader.GetOrdinal("status")) != "Enrolled")
            {
                throw new BenchException($"participant {participant.Id} is not enrolled");
            }

            stratum = reader.IsDBNull(reader.GetOrdinal("stratum_key")) ? string.Empty : reader.GetString(reader.GetOrdinal("stratum_key"));
        }

        await using (var lockStratum = Command(connection, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", ctx.TrialId + "/" + stratum))
        {
            await lockStratum.ExecuteNonQueryAsync(ct);
        }

        Guid slot;
        string number, kit;
        await using (var free = Command(connection, "SELECT * FROM randomization_slots WHERE trial_id = $1 AND stratum_key = $2 AND participant_id IS NULL ORDER BY sequence LIMIT 1", ctx.TrialId, stratum))
        await using (var reader = await free.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct))
            {
                throw new BenchException("the list is used up");
            }

            (slot, number, kit) = (reader.GetGuid(reader.GetOrdinal("id")), reader.GetString(reader.GetOrdinal("randomization_number")), reader.GetString(reader.GetOrdinal("kit_number")));
        }

        var now = DateTime.UtcNow;
        var map = Map((template.Keys["participant"], participant.Id), (template.Keys["slot"], slot), (template.Keys["number"], number), (template.Keys["kit"], kit), (template.Keys["site"], participant.SiteId));
        await using (var batch = new NpgsqlBatch(connection))
        {
            var update = new NpgsqlBatchCommand("UPDATE randomization_slots SET participant_id = $1, allocated_at = $2 WHERE id = $3");
            update.Parameters.Add(new NpgsqlParameter { Value = participant.Id });
            update.Parameters.Add(new NpgsqlParameter { Value = now });
            update.Parameters.Add(new NpgsqlParameter { Value = slot });
            var participantUpdate = new NpgsqlBatchCommand("UPDATE participants SET status = 'Randomized', randomization_number = $1, kit_number = $2, randomized_at = $3 WHERE id = $4");
            participantUpdate.Parameters.Add(new NpgsqlParameter { Value = number });
            participantUpdate.Parameters.Add(new NpgsqlParameter { Value = kit });
            participantUpdate.Parameters.Add(new NpgsqlParameter { Value = now });
            participantUpdate.Parameters.Add(new NpgsqlParameter { Value = participant.Id });
            var schedule = new NpgsqlBatchCommand(
                """
                INSERT INTO visits (id, trial_id, site_id, participant_id, code, name, day, target_date, window_start, window_end, procedures, status, out_of_window)
                SELECT gen_random_uuid(), d.trial_id, $1, $2, d.code, d.name, d.day, $3 + d.day, $3 + d.day - d.window_before, $3 + d.day + d.window_after,
                       d.procedures, 'Scheduled', false
                FROM visit_definitions d WHERE d.trial_id = $4
                """);
            schedule.Parameters.Add(new NpgsqlParameter { Value = participant.SiteId });
            schedule.Parameters.Add(new NpgsqlParameter { Value = participant.Id });
            schedule.Parameters.Add(new NpgsqlParameter { Value = DateOnly.FromDateTime(now) });
            schedule.Parameters.Add(new NpgsqlParameter { Value = ctx.TrialId });
            batch.BatchCommands.Add(update);
            batch.BatchCommands.Add(participantUpdate);
            batch.BatchCommands.Add(schedule);
            batch.BatchCommands.Add(RowTemplate.InsertAll(template.Audit, map));
            await batch.ExecuteNonQueryAsync(ct);
            if (update.RecordsAffected != 1 || participantUpdate.RecordsAffected != 1)
            {
                throw new BenchException("an update changed no row");
            }
        }

        await transaction.CommitAsync(ct);
    }

    /// <summary>Template value to new value, for each key both as itself and as text (audit rows hold ids as text).</summary>
    private static Dictionary<object, object> Map(params (object From, object To)[] pairs)
    {
        var map = new Dictionary<object, object>();
        foreach (var (from, to) in pairs)
        {
            map[from] = to;
            map[Convert.ToString(from, CultureInfo.InvariantCulture)!] = Convert.ToString(to, CultureInfo.InvariantCulture)!;
        }

        return map;
    }
}
