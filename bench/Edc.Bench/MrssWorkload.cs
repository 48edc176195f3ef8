using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Npgsql;

namespace Edc.Bench;

/// <summary>
/// MRSS first saves: the API's <c>PUT .../visits/D0/mrss</c> against one plain Npgsql transaction that inserts the same
/// <c>mrss_assessments</c> row and the same audit rows, for distinct randomized participants.
/// </summary>
internal static class MrssWorkload
{
    public const string VisitCode = "D0";

    private static readonly string[] Areas =
    [
        "face", "anteriorChest", "abdomen", "rightFingers", "leftFingers", "rightHand", "leftHand", "rightForearm", "leftForearm",
        "rightUpperArm", "leftUpperArm", "rightThigh", "leftThigh", "rightLowerLeg", "leftLowerLeg", "rightFoot", "leftFoot",
    ];

    private static readonly string[] Columns =
    [
        "face", "anterior_chest", "abdomen", "right_fingers", "left_fingers", "right_hand", "left_hand", "right_forearm", "left_forearm",
        "right_upper_arm", "left_upper_arm", "right_thigh", "left_thigh", "right_lower_leg", "left_lower_leg", "right_foot", "left_foot",
    ];

    private const string Assessor = "Dr Benchmark";

    /// <summary>Scores of the n-th participant: a fixed, varied pattern (each 0 to 3).</summary>
    private static int[] ScoresFor(Guid participant)
    {
        var seed = participant.GetHashCode() & 0x7fffffff;
        return [.. Areas.Select((_, i) => (seed >> (i % 16)) & 3)];
    }

    /// <summary>Set-up, not measured: randomizes every enrolled participant of both trials through the API (visits laid out).</summary>
    public static async Task RandomizeAllAsync(Uri baseAddress, BenchSetup setup, BenchOptions options, CancellationToken ct)
    {
        var clients = Clients(baseAddress, setup, options);
        try
        {
            foreach (var trial in new[] { setup.ApiTrial, setup.PlainTrial })
            {
                var next = -1;
                var failures = 0;
                await Task.WhenAll(clients.Select(client => Task.Run(
                    async () =>
                    {
                        int i;
                        while ((i = Interlocked.Increment(ref next)) < trial.Participants.Count)
                        {
                            using var response = await client.PostAsync(
                                new Uri($"/api/trials/{trial.Id}/participants/{trial.Participants[i]}/randomization", UriKind.Relative), null, ct);
                            if (response.StatusCode != HttpStatusCode.OK)
                            {
                                Interlocked.Increment(ref failures);
                            }
                        }
                    },
                    ct)));
                if (failures > 0)
                {
                    throw new BenchException($"Set-up: {failures} randomizations failed in trial {trial.Id}.");
                }
            }
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    /// <summary>Clients PUT the Day 0 MRSS of distinct participants (a first save: no reason, no If-Match); every answer must be 200.</summary>
    public static async Task<RunResult> ApiAsync(Uri baseAddress, string connectionString, BenchSetup setup, BenchOptions options, CancellationToken ct)
    {
        var clients = Clients(baseAddress, setup, options);
        try
        {
            var trial = setup.ApiTrial;
            var assessedOn = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            return await Workloads.TimedAsync(
                trial.Participants, options, connectionString, clients,
                async (client, participant, token) =>
                {
                    var scores = ScoresFor(participant);
                    var body = new
                    {
                        assessedOn,
                        assessorName = Assessor,
                        scores = Areas.Select((a, i) => (a, i)).ToDictionary(x => x.a, x => scores[x.i], StringComparer.Ordinal),
                    };
                    using var response = await client.PutAsJsonAsync(
                        new Uri($"/api/trials/{trial.Id}/participants/{participant}/visits/{VisitCode}/mrss", UriKind.Relative), body, token);
                    var text = await response.Content.ReadAsStringAsync(token);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        throw new BenchException($"{(int)response.StatusCode}: {text}");
                    }
                },
                ct);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    /// <summary>The audit rows the API wrote for the first participant's assessment, in order, and who wrote them.</summary>
    public static Task<AuditShape> AuditShapeAsync(string connectionString, BenchTrial trial, CancellationToken ct) =>
        AuditShape.ReadAsync(
            connectionString,
            trial,
            """
            SELECT a.entity_type, a.field, a.user_id, a.user_email, a.user_roles
            FROM audit_entries a JOIN mrss_assessments m ON a.entity_id = m.id::text
            WHERE m.participant_id = @participant
            ORDER BY a.seq
            """,
            "an MRSS",
            ct);

    /// <summary>
    /// The same first save as one explicit transaction per participant on its own connection: the trial FOR SHARE (must
    /// be Active); the participant (must be Randomized) with its Day 0 visit (must include Mrss); then one batch
    /// (INSERT of the assessment at version 1, INSERT of the same audit rows, chained by the same trigger); COMMIT.
    /// Run for <paramref name="participants"/>, with Npgsql's defaults (every statement planned on every run) or, when
    /// <paramref name="prepared"/>, with the automatic preparation the API's connections use (64 statements per connection).
    /// </summary>
    public static async Task<RunResult> PlainSqlAsync(
        string connectionString, BenchTrial trial, IReadOnlyList<Guid> participants, bool prepared, AuditShape audit, BenchOptions options, CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = options.Clients + 4, MaxAutoPrepare = prepared ? 64 : 0 };
        await using var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        var connections = new List<NpgsqlConnection>();
        try
        {
            for (var i = 0; i < options.Clients; i++)
            {
                connections.Add(await dataSource.OpenConnectionAsync(ct));
            }

            var insertAudit = AuditInsertSql(audit.Fields.Count);
            var insertAssessment = AssessmentInsertSql();
            return await Workloads.TimedAsync(
                participants, options, connectionString, connections,
                (connection, participant, token) => SaveAsync(connection, trial, participant, audit, insertAssessment, insertAudit, token),
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

    private static async Task SaveAsync(
        NpgsqlConnection connection, BenchTrial trial, Guid participantId, AuditShape audit, string insertAssessment, string insertAudit, CancellationToken ct)
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

        Guid siteId, visitId;
        await using (var visit = new NpgsqlCommand(
            """
            SELECT p.status, p.site_id, v.id, 'Mrss' = ANY (v.procedures)
            FROM participants p JOIN visits v ON v.participant_id = p.id AND v.code = @code
            WHERE p.id = @id AND p.trial_id = @trial
            """,
            connection, transaction))
        {
            visit.Parameters.AddWithValue("id", participantId);
            visit.Parameters.AddWithValue("trial", trial.Id);
            visit.Parameters.AddWithValue("code", VisitCode);
            await using var reader = await visit.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                throw new BenchException($"participant {participantId} or its visit not found");
            }

            if (reader.GetString(0) != "Randomized" || !reader.GetBoolean(3))
            {
                throw new BenchException($"participant {participantId} is {reader.GetString(0)}, or the visit has no MRSS");
            }

            (siteId, visitId) = (reader.GetGuid(1), reader.GetGuid(2));
        }

        var id = Guid.NewGuid();
        var scores = ScoresFor(participantId);
        var assessedOn = DateOnly.FromDateTime(DateTime.UtcNow);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Id"] = id.ToString(),
            ["TrialId"] = trial.Id.ToString(),
            ["SiteId"] = siteId.ToString(),
            ["ParticipantId"] = participantId.ToString(),
            ["VisitId"] = visitId.ToString(),
            ["AssessedOn"] = assessedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["AssessorName"] = Assessor,
            ["Total"] = scores.Sum().ToString(CultureInfo.InvariantCulture),
            ["Version"] = "0",
        };
        for (var i = 0; i < Areas.Length; i++)
        {
            values[char.ToUpperInvariant(Areas[i][0]) + Areas[i][1..]] = scores[i].ToString(CultureInfo.InvariantCulture);
        }

        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            var assessment = new NpgsqlBatchCommand(insertAssessment);
            assessment.Parameters.AddWithValue("id", id);
            assessment.Parameters.AddWithValue("trial_id", trial.Id);
            assessment.Parameters.AddWithValue("site_id", siteId);
            assessment.Parameters.AddWithValue("participant_id", participantId);
            assessment.Parameters.AddWithValue("visit_id", visitId);
            assessment.Parameters.AddWithValue("assessed_on", assessedOn);
            assessment.Parameters.AddWithValue("assessor_name", Assessor);
            for (var i = 0; i < Columns.Length; i++)
            {
                assessment.Parameters.AddWithValue(Columns[i], scores[i]);
            }

            assessment.Parameters.AddWithValue("total", scores.Sum());
            var rows = new NpgsqlBatchCommand(insertAudit);
            rows.Parameters.AddWithValue("user_id", (object?)audit.UserId ?? DBNull.Value);
            rows.Parameters.AddWithValue("user_email", (object?)audit.UserEmail ?? DBNull.Value);
            rows.Parameters.AddWithValue("user_roles", audit.UserRoles);
            rows.Parameters.AddWithValue("entity_id", id.ToString());
            rows.Parameters.AddWithValue("trial_id", trial.Id);
            rows.Parameters.AddWithValue("site_id", siteId);
            for (var i = 0; i < audit.Fields.Count; i++)
            {
                var (entityType, field) = audit.Fields[i];
                rows.Parameters.AddWithValue($"entity_type{i}", entityType);
                rows.Parameters.AddWithValue($"field{i}", field);
                rows.Parameters.AddWithValue($"new_value{i}", values.TryGetValue(field, out var value) ? value : throw new BenchException($"no value for audited field {field}"));
            }

            batch.BatchCommands.Add(assessment);
            batch.BatchCommands.Add(rows);
            await batch.ExecuteNonQueryAsync(ct);
            if (assessment.RecordsAffected != 1)
            {
                throw new BenchException("the assessment was not inserted");
            }

            if (rows.RecordsAffected != audit.Fields.Count)
            {
                throw new BenchException("the audit rows were not all written");
            }
        }

        await transaction.CommitAsync(ct);
    }

    private static string AssessmentInsertSql() =>
        $"INSERT INTO mrss_assessments (id, trial_id, site_id, participant_id, visit_id, assessed_on, assessor_name, {string.Join(", ", Columns)}, total, version) " +
        $"VALUES (@id, @trial_id, @site_id, @participant_id, @visit_id, @assessed_on, @assessor_name, {string.Join(", ", Columns.Select(c => "@" + c))}, @total, 1)";

    private static string AuditInsertSql(int rows)
    {
        var sql = new StringBuilder(
            "INSERT INTO audit_entries (user_id, user_email, user_roles, action, entity_type, entity_id, trial_id, site_id, field, old_value, new_value) VALUES ");
        for (var i = 0; i < rows; i++)
        {
            sql.Append(CultureInfo.InvariantCulture,
                $"{(i == 0 ? "" : ", ")}(@user_id, @user_email, @user_roles, 'Insert', @entity_type{i}, @entity_id, @trial_id, @site_id, @field{i}, NULL, @new_value{i})");
        }

        return sql.ToString();
    }

    /// <summary>After a run: one assessment per participant at its Day 0 visit, each total the sum of its areas.</summary>
    public static async Task<VerificationResult> CheckAsync(string connectionString, BenchTrial trial, int expected, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"""
            SELECT
                (SELECT count(*) FROM mrss_assessments WHERE trial_id = @trial),
                (SELECT count(DISTINCT m.participant_id) FROM mrss_assessments m JOIN visits v ON v.id = m.visit_id
                 WHERE m.trial_id = @trial AND v.code = @code AND v.participant_id = m.participant_id),
                (SELECT count(*) FROM mrss_assessments WHERE trial_id = @trial AND total <> {string.Join(" + ", Columns)})
            """,
            connection);
        command.Parameters.AddWithValue("trial", trial.Id);
        command.Parameters.AddWithValue("code", VisitCode);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var (rows, participants, wrongTotals) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        var ok = rows == expected && participants == expected && wrongTotals == 0;
        return new VerificationResult(
            ok,
            $"{(ok ? "OK" : "FAILED")}: {rows}/{expected} assessments, for {participants} distinct participants at {VisitCode}, {wrongTotals} totals not the sum of the areas");
    }

    private static List<HttpClient> Clients(Uri baseAddress, BenchSetup setup, BenchOptions options) =>
        [.. Enumerable.Range(0, options.Clients).Select(_ =>
        {
            var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", setup.CoordinatorToken);
            return client;
        })];

    public const string ApiName = "API: PUT /visits/D0/mrss (HTTP, EF Core)";

    public static string Markdown(
        BenchOptions options, MachineInfo machine, string postgresVersion, RunResult api, RunResult plain, RunResult preparedPlain,
        VerificationResult apiCheck, VerificationResult plainCheck, double auditPerSave, AuditShape audit, TimeSpan elapsed)
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(inv, $"# MRSS benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine();
        text.AppendLine(inv, $"`{options.CommandLine}`: {options.Clients} concurrent clients, {options.Warmup} warm-up first saves (not measured), " +
            $"then {options.Requests} measured, per workload; each save for a distinct randomized participant's {VisitCode} visit.");
        text.AppendLine();
        text.AppendLine(Report.Table(api, plain, ApiName, preparedPlain));
        text.AppendLine();
        text.AppendLine(inv, $"Aim of the issue: API throughput at least 0.75x the plain insert's; measured {api.Throughput / plain.Throughput:0.00}x against " +
            $"the plain insert with Npgsql's defaults and {api.Throughput / preparedPlain.Throughput:0.00}x against the same insert preparing its statements as the API does.");
        text.AppendLine();
        text.AppendLine("Latency is measured by the client, per request (API) or per transaction (plain SQL); req/s is the measured count over the");
        text.AppendLine("wall time of the measured phase. Speed is reported here, never asserted by a test. Every workload serializes on the audit");
        text.AppendLine("chain's advisory lock, taken by the first audit insert and held until COMMIT (a WAL flush when durable). The API sends its");
        text.AppendLine("audit rows (one multi-row INSERT) and the COMMIT in one batch; the plain transaction sends its inserts in one batch, then");
        text.AppendLine("commits through `NpgsqlTransaction`, as plain Npgsql code does. The API's connections prepare the statements they repeat");
        text.AppendLine("(Npgsql's automatic preparation, on by default in the API). The plain transaction runs twice, on distinct participants:");
        text.AppendLine("with Npgsql's defaults (every statement planned on every run), then with the same automatic preparation as the API (64");
        text.AppendLine("statements per connection), so the second ratio shows what is left once both sides plan their statements once. The");
        text.AppendLine("warm-up lets .NET's tiered JIT reach optimized code: with 50 warm-up saves, a profile of the API during the measured");
        text.AppendLine("phase found a quarter of its CPU in the JIT compiler; with 500, three runs measured 0.55-0.59x the prepared twin while");
        text.AppendLine("the JIT still compiled, against 0.81x after 2000 (the default).");
        text.AppendLine();
        Report.AppendMachine(text, machine, postgresVersion, options);
        text.AppendLine("## Workloads");
        text.AppendLine();
        text.AppendLine("- **Set-up (not measured)**: participants inserted in SQL as Enrolled, then randomized through the API (visit schedules laid out),");
        text.AppendLine("  in both trials; users, trials and lists go through the API.");
        text.AppendLine("- **API**: the API's Release build as its own process (Production environment, logging at Warning). Each client has its own");
        text.AppendLine("  HttpClient with the coordinator's bearer token and PUTs `/api/trials/{trial}/participants/{id}/visits/D0/mrss` (17 areas,");
        text.AppendLine("  assessor, date; a first save) for distinct participants of the demonstration trial; every answer must be 200.");
        text.AppendLine("- **plain SQL**: a second trial with the same definition, on the same database; each client holds one Npgsql connection and");
        text.AppendLine("  runs, per participant, one transaction: the trial `FOR SHARE` (must be Active), the participant (must be Randomized) joined");
        text.AppendLine("  with its D0 visit (must include Mrss), then one batch (`INSERT` of the assessment at version 1, `INSERT` of the same");
        text.AppendLine("  audit rows the API writes, chained by the same trigger), `COMMIT`.");
        text.AppendLine(inv, $"- Audit rows per save written by the API in the measured phase: {auditPerSave:0.##} " +
            $"({string.Join(", ", audit.Fields.Select(f => f.Field))}); plain SQL wrote {(double)plain.AuditRowsAdded / plain.Requests:0.##}, " +
            $"prepared {(double)preparedPlain.AuditRowsAdded / preparedPlain.Requests:0.##}.");
        text.AppendLine();
        text.AppendLine("## Verification");
        text.AppendLine();
        text.AppendLine(inv, $"- API: {api.Failures.Count} failed requests{Report.FirstFailure(api)}; {apiCheck.Summary}");
        text.AppendLine(inv, $"- plain SQL: {plain.Failures.Count} failed transactions{Report.FirstFailure(plain)}, prepared " +
            $"{preparedPlain.Failures.Count}{Report.FirstFailure(preparedPlain)}; both runs: {plainCheck.Summary}");
        text.AppendLine();
        text.AppendLine(inv, $"Set-up and the three runs took {elapsed.TotalSeconds:0} s (the build not included).");
        return text.ToString();
    }
}
