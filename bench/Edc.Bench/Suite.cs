using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Edc.Infrastructure.Database;
using Edc.Infrastructure.Safety;
using Npgsql;

namespace Edc.Bench;

/// <summary>One side of a workload: throughput and latency, and what went wrong.</summary>
internal sealed record SideResult(long Requests, double Rps, double P50, double P99, long Errors, string? ErrorDetail, bool Exhausted);

internal sealed record SuiteRow(string Name, string Request, SideResult? Api, SideResult? Twin, string Check, bool Ok, string? Skipped = null)
{
    public string? Statements { get; init; }
}

/// <summary>
/// bench/suite.sh: each workload driven by wrk (closed loop, N connections, one bearer token obtained at set-up), side by side
/// with its plain-SQL twin (the same statements through Npgsql, one connection per client, closed loop, same duration), on
/// the same database and a realistic trial; plus /health/live (no database) as the pipeline ceiling.
/// </summary>
internal static partial class Suite
{
    private const string UserPassword = "Bench-User-Password-2026";
    private const int RealisticParticipants = 400;
    private const int WorklistPageSize = 50;
    private const int CaptureRepeats = 3;
    private const string AssessorBody = "\"assessorName\":\"Dr Benchmark\"";

    public static async Task<int> RunAsync(Uri baseAddress, LocalPostgres database, string connectionString, BenchOptions options, MachineInfo machine, string root, Stopwatch total, CancellationToken ct)
    {
        var wrk = FindWrk();
        var work = Path.Combine(Path.GetTempPath(), "edc-suite-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        var lua = Path.Combine(root, "bench", "wrk", "requests.lua");
        var rows = new List<SuiteRow>();
        var setupClock = Stopwatch.StartNew();
        var ctx = await SetUpAsync(baseAddress, connectionString, ct);
        Console.WriteLine($"Set up: {RealisticParticipants} randomized participants across 2 sites, D0 MRSS and 2 adverse events each, in {setupClock.Elapsed.TotalSeconds:0} s");
        var scale = Math.Max(1.0, options.Duration / 15.0);
        var inv = CultureInfo.InvariantCulture;

        async Task<SideResult> Wrk(string name, IEnumerable<string> lines, bool walk, string? token = null)
        {
            var file = Path.Combine(work, name + ".txt");
            await File.WriteAllLinesAsync(file, lines, ct);
            var result = await RunWrkAsync(wrk, lua, baseAddress, token ?? ctx.Token, file, walk, options, ct);

            // The requests in flight when wrk stopped settle (commit or roll back) before anything is counted.
            await Task.Delay(TimeSpan.FromSeconds(3), ct);
            return result;
        }

        // Statements per request: one API request and one twin operation of each workload with every statement logged.
        async Task<string> Statements(Func<int, Task> apiRequest, Func<NpgsqlConnection, int, Task> twinOperation) =>
            await CaptureAsync(database, connectionString, apiRequest, twinOperation, ct);

        // 1. The pipeline ceiling: /health/live runs no health check (predicate false), so no database.
        var ceiling = await Wrk("ceiling", ["GET\t/health/live"], walk: false);
        rows.Add(new SuiteRow("ceiling (no database)", "GET /health/live", ceiling, null, "-", ceiling.Errors == 0));
        Print(rows[^1]);

        // 2. Casebook of a participant (reads: visits, MRSS, infusions).
        var casebookApi = await Wrk("casebook", ctx.Realistic.Select(p => $"GET\t/api/trials/{ctx.TrialId}/participants/{p.Id}/casebook"), walk: false);
        var casebookTwin = await Twin.RunAsync(connectionString, options, ctx.Realistic.Count, cycle: true, (c, i, t) => Twin.CasebookAsync(c, ctx, ctx.Realistic[i].Id, t), ct);
        var casebookStatements = await Statements(
            i => Send(ctx.Coordinator.GetAsync(new Uri($"/api/trials/{ctx.TrialId}/participants/{ctx.Realistic[i].Id}/casebook", UriKind.Relative), ct)),
            (c, i) => Twin.CasebookAsync(c, ctx, ctx.Realistic[i].Id, ct));
        rows.Add(new SuiteRow("participant casebook", "GET .../participants/{id}/casebook", casebookApi, casebookTwin, "read-only", casebookApi.Errors == 0 && casebookTwin.Errors == 0) { Statements = casebookStatements });
        Print(rows[^1]);

        // 3. Visit worklist, the first pages (50 a page).
        var worklistTotal = await ctx.Coordinator.GetFromJsonAsync<JsonElement>(new Uri($"/api/trials/{ctx.TrialId}/visit-worklist?page=1&pageSize={WorklistPageSize}", UriKind.Relative), ct);
        var pages = (int)Math.Clamp(Math.Ceiling(worklistTotal.GetProperty("total").GetInt32() / (double)WorklistPageSize), 1, 20);
        var worklistApi = await Wrk("worklist", Enumerable.Range(1, pages).Select(p => $"GET\t/api/trials/{ctx.TrialId}/visit-worklist?page={p}&pageSize={WorklistPageSize}"), walk: false);
        var worklistTwin = await Twin.RunAsync(connectionString, options, pages, cycle: true, (c, i, t) => Twin.WorklistAsync(c, ctx, i + 1, WorklistPageSize, t), ct);
        rows.Add(new SuiteRow("visit worklist", $"GET .../visit-worklist (pages 1-{pages} of 50)", worklistApi, worklistTwin,
            $"read-only ({worklistTotal.GetProperty("total").GetInt32()} open visits)", worklistApi.Errors == 0 && worklistTwin.Errors == 0)
        {
            Statements = await Statements(
                i => Send(ctx.Coordinator.GetAsync(new Uri($"/api/trials/{ctx.TrialId}/visit-worklist?page={i + 1}&pageSize={WorklistPageSize}", UriKind.Relative), ct)),
                (c, i) => Twin.WorklistAsync(c, ctx, i + 1, WorklistPageSize, ct)),
        });
        Print(rows[^1]);

        // 4. Adverse-event entry: a new non-serious AE per request, for the realistic participants in turn.
        var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", inv);
        var aeBody = $"{{\"term\":\"Headache\",\"onsetDate\":\"{today}\",\"ongoing\":true,\"grade\":1,\"serious\":false,\"relatedness\":\"Unlikely\",\"actionTaken\":\"DoseNotChanged\",\"outcome\":\"NotRecovered\"}}";
        var aeBefore = await ScalarAsync(connectionString, "SELECT count(*) FROM adverse_events", ct);
        var aeApi = await Wrk("ae", ctx.Realistic.Select(p => $"POST\t/api/trials/{ctx.TrialId}/participants/{p.Id}/adverse-events\t{aeBody}"), walk: false);
        var aeMid = await ScalarAsync(connectionString, "SELECT count(*) FROM adverse_events", ct);
        var aeTemplate = await Twin.AdverseEventTemplateAsync(connectionString, ctx, ct);
        var aeTwin = await Twin.RunAsync(connectionString, options, ctx.Realistic.Count, cycle: true, (c, i, t) => Twin.AdverseEventAsync(c, ctx, aeTemplate, ctx.Realistic[i], t), ct);
        var aeAfter = await ScalarAsync(connectionString, "SELECT count(*) FROM adverse_events", ct);
        rows.Add(WriteRow("adverse-event entry", "POST .../adverse-events", aeApi, aeTwin, aeMid - aeBefore, aeAfter - aeMid, "adverse events", options.Clients) with
        {
            Statements = await Statements(
                i => Send(ctx.Coordinator.PostAsync(new Uri($"/api/trials/{ctx.TrialId}/participants/{ctx.Realistic[i].Id}/adverse-events", UriKind.Relative), new StringContent(aeBody, Encoding.UTF8, "application/json"), ct)),
                (c, i) => Twin.AdverseEventAsync(c, ctx, aeTemplate, ctx.Realistic[i], ct)),
        });
        Print(rows[^1]);

        // 5. MRSS entry: a first save per request, each for a visit that has none (pool randomized through the API, not measured).
        var mrssPool = (int)(4000 * scale);
        var pool = await EnrollAsync(connectionString, ctx, "M", mrssPool, ct);
        await RandomizeAsync(ctx, pool, ct);
        var allMrssVisits = await MrssVisitsAsync(connectionString, pool, ct);
        var mrssVisits = allMrssVisits.SkipLast(2 * CaptureRepeats).ToList();
        var mrssCapture = allMrssVisits.TakeLast(2 * CaptureRepeats).ToList();
        var mrssApiShare = mrssVisits.Count / 2;
        var scores = "{" + string.Join(',', MrssAreas.Select((a, i) => $"\"{a}\":{i % 4}")) + "}";
        var mrssBody = $"{{\"assessedOn\":\"{today}\",{AssessorBody},\"scores\":{scores}}}";
        var mrssBefore = await ScalarAsync(connectionString, "SELECT count(*) FROM mrss_assessments", ct);
        var mrssApi = await Wrk("mrss", mrssVisits.Take(mrssApiShare).Select(v => $"PUT\t/api/trials/{ctx.TrialId}/participants/{v.Participant}/visits/{v.Code}/mrss\t{mrssBody}"), walk: true);
        var mrssMid = await ScalarAsync(connectionString, "SELECT count(*) FROM mrss_assessments", ct);
        var mrssTemplate = await Twin.MrssTemplateAsync(connectionString, ctx, ct);
        var twinVisits = mrssVisits.Skip(mrssApiShare).ToList();
        var mrssTwin = await Twin.RunAsync(connectionString, options, twinVisits.Count, cycle: false, (c, i, t) => Twin.MrssAsync(c, ctx, mrssTemplate, twinVisits[i], t), ct);
        var mrssAfter = await ScalarAsync(connectionString, "SELECT count(*) FROM mrss_assessments", ct);
        rows.Add(WriteRow("MRSS entry", "PUT .../visits/{code}/mrss (first save)", mrssApi, mrssTwin, mrssMid - mrssBefore, mrssAfter - mrssMid, "assessments", options.Clients) with
        {
            Statements = await Statements(
                i => Send(ctx.Coordinator.PutAsync(new Uri($"/api/trials/{ctx.TrialId}/participants/{mrssCapture[i].Participant}/visits/{mrssCapture[i].Code}/mrss", UriKind.Relative), new StringContent(mrssBody, Encoding.UTF8, "application/json"), ct)),
                (c, i) => Twin.MrssAsync(c, ctx, mrssTemplate, mrssCapture[CaptureRepeats + i], ct)),
        });
        Print(rows[^1]);

        // 6. Randomization of enrolled participants (the same list, stratum and advisory lock for both sides).
        var enrolled = await EnrollAsync(connectionString, ctx, "Z", (int)Math.Min(10_000 * scale, 19_500 - RealisticParticipants - mrssPool), ct);
        var randomizationPool = enrolled.SkipLast(2 * CaptureRepeats).ToList();
        var randomizationCapture = enrolled.TakeLast(2 * CaptureRepeats).ToList();
        var randomizationApiShare = randomizationPool.Count / 2;
        var randomizedBefore = await ScalarAsync(connectionString, $"SELECT count(*) FROM randomization_slots WHERE trial_id = '{ctx.TrialId}' AND participant_id IS NOT NULL", ct);
        var randomizationApi = await Wrk("randomization", randomizationPool.Take(randomizationApiShare).Select(p => $"POST\t/api/trials/{ctx.TrialId}/participants/{p.Id}/randomization"), walk: true);
        var randomizedMid = await ScalarAsync(connectionString, $"SELECT count(*) FROM randomization_slots WHERE trial_id = '{ctx.TrialId}' AND participant_id IS NOT NULL", ct);
        var randomizationTemplate = await Twin.RandomizationTemplateAsync(connectionString, [.. randomizationPool.Take(randomizationApiShare).Select(p => p.Id)], ct);
        var twinParticipants = randomizationPool.Skip(randomizationApiShare).ToList();
        var randomizationTwin = await Twin.RunAsync(connectionString, options, twinParticipants.Count, cycle: false, (c, i, t) => Twin.RandomizeAsync(c, ctx, randomizationTemplate, twinParticipants[i], t), ct);
        var randomizedAfter = await ScalarAsync(connectionString, $"SELECT count(*) FROM randomization_slots WHERE trial_id = '{ctx.TrialId}' AND participant_id IS NOT NULL", ct);
        var randomizationRow = WriteRow("randomization", "POST .../participants/{id}/randomization", randomizationApi, randomizationTwin, randomizedMid - randomizedBefore, randomizedAfter - randomizedMid, "slots allocated", options.Clients);
        var listCheck = await ScalarAsync(connectionString,
            $"""
            SELECT (SELECT count(*) FROM (SELECT participant_id FROM randomization_slots WHERE trial_id = '{ctx.TrialId}' AND participant_id IS NOT NULL GROUP BY 1 HAVING count(*) > 1) d)
                 + (SELECT count(*) FROM randomization_slots s WHERE s.trial_id = '{ctx.TrialId}' AND s.participant_id IS NULL
                    AND s.sequence < (SELECT max(sequence) FROM randomization_slots WHERE trial_id = '{ctx.TrialId}' AND participant_id IS NOT NULL))
            """, ct);
        rows.Add(randomizationRow with
        {
            Statements = await Statements(
                i => Send(ctx.Coordinator.PostAsync(new Uri($"/api/trials/{ctx.TrialId}/participants/{randomizationCapture[i].Id}/randomization", UriKind.Relative), new StringContent(string.Empty), ct)),
                (c, i) => Twin.RandomizeAsync(c, ctx, randomizationTemplate, randomizationCapture[CaptureRepeats + i], ct)),
            Check = randomizationRow.Check + (listCheck == 0 ? "; no slot twice, no gap" : $"; {listCheck} slots used twice or skipped"),
            Ok = randomizationRow.Ok && listCheck == 0,
        });
        Print(rows[^1]);

        // 7. Safety-summary generation: not in this build yet (the route answers 404); enabled as soon as it exists.
        rows.Add(await SafetySummaryAsync(ctx, baseAddress, connectionString, options, (name, lines, token) => Wrk(name, lines, walk: false, token), ct));
        Print(rows[^1]);

        // The audit chain after every write, as the API verifies it.
        var verification = await ctx.Admin.GetFromJsonAsync<JsonElement>(new Uri("/api/audit/verification", UriKind.Relative), ct);
        var intact = verification.GetProperty("intact").GetBoolean();
        var auditLine = $"audit chain {(intact ? "intact" : "BROKEN")}: {verification.GetProperty("rowsChecked").GetInt64()} rows checked (GET /api/audit/verification)";
        Console.WriteLine(auditLine);

        var version = await Verification.PostgresVersionAsync(connectionString, ct);
        var table = Table(rows);
        var markdown = Markdown(options, machine, version, table, rows, auditLine, total.Elapsed);
        var file = Path.Combine(root, "bench", "results", DateTime.UtcNow.ToString("yyyy-MM-dd", inv) + "-suite.md");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, markdown, CancellationToken.None);
        Console.WriteLine();
        Console.WriteLine(table);
        Console.WriteLine();
        Console.WriteLine($"Load average now {MachineInfo.LoadAverageNow()} (at start {machine.LoadAverageAtStart}, {machine.Cpus} CPUs)");
        Console.WriteLine($"Written to {Path.GetRelativePath(root, file)}");
        try
        {
            Directory.Delete(work, recursive: true);
        }
        catch (IOException)
        {
        }

        var ok = intact && rows.All(r => r.Ok);
        if (!ok)
        {
            Console.Error.WriteLine("The run is not valid: errors or failed checks, see the table's check column.");
        }

        return ok ? 0 : 1;
    }

    private static readonly string[] MrssAreas =
    [
        "face", "anteriorChest", "abdomen", "rightFingers", "leftFingers", "rightHand", "leftHand", "rightForearm", "leftForearm",
        "rightUpperArm", "leftUpperArm", "rightThigh", "leftThigh", "rightLowerLeg", "leftLowerLeg", "rightFoot", "leftFoot",
    ];

    private static SuiteRow WriteRow(string name, string request, SideResult api, SideResult twin, long apiRows, long twinRows, string what, int connections)
    {
        // wrk counts the answers received within the duration; the requests still in flight when it stops (at most one a
        // connection) may be committed too.
        var apiOk = apiRows >= api.Requests - api.Errors && apiRows <= api.Requests - api.Errors + connections && !api.Exhausted && api.Errors == 0;
        var twinOk = twin.Requests == twinRows && !twin.Exhausted && twin.Errors == 0;
        var check = $"{what}: API {apiRows} for {api.Requests - api.Errors} 2xx (+ at most {connections} in flight), twin {twinRows} for {twin.Requests} commits"
            + (api.Exhausted || twin.Exhausted ? " (pool EXHAUSTED: raise --duration scale or shorten)" : string.Empty);
        return new SuiteRow(name, request, api, twin, (apiOk && twinOk ? "OK " : "FAILED ") + check, apiOk && twinOk);
    }

    // Generation on demand as the statistician (the summaries' reader), every request a new snapshot of the whole trial;
    // the twin runs the same statement in the same kind of transaction and inserts the same row.
    private static async Task<SuiteRow> SafetySummaryAsync(
        SuiteContext ctx, Uri baseAddress, string connectionString, BenchOptions options, Func<string, IEnumerable<string>, string, Task<SideResult>> wrkAs, CancellationToken ct)
    {
        const string count = "SELECT count(*) FROM safety_summaries";
        using var statistician = await Setup.SignedInClientAsync(baseAddress, "bench-statistician@edc.local", UserPassword, ct);
        var before = await ScalarAsync(connectionString, count, ct);
        var api = await wrkAs("safety-summaries", [$"POST\t/api/trials/{ctx.TrialId}/safety-summaries\t{{}}"], statistician.DefaultRequestHeaders.Authorization!.Parameter!);
        var mid = await ScalarAsync(connectionString, count, ct);
        var twin = await Twin.RunAsync(connectionString, options, 1, cycle: true, (c, _, t) => SafetySummaryTwinAsync(c, ctx.TrialId, t), ct);
        var after = await ScalarAsync(connectionString, count, ct);
        return WriteRow("safety-summary generation", "POST .../safety-summaries", api, twin, mid - before, after - mid, "summaries", options.Clients);
    }

    // As the API: the figures from one REPEATABLE READ snapshot, then the insert in its own (READ COMMITTED) transaction.
    private static async Task SafetySummaryTwinAsync(NpgsqlConnection connection, Guid trialId, CancellationToken ct)
    {
        DateTimeOffset cutoff;
        string content;
        await using (var reading = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct))
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

        await using var insert = new NpgsqlCommand(
            "INSERT INTO safety_summaries (id, trial_id, data_cutoff, generated_by_job, content, content_sha256) VALUES (@id, @trial, @cutoff, 'bench-twin', @content::jsonb, @hash)",
            connection);
        insert.Parameters.AddWithValue("id", Guid.CreateVersion7());
        insert.Parameters.AddWithValue("trial", trialId);
        insert.Parameters.AddWithValue("cutoff", cutoff);
        insert.Parameters.AddWithValue("content", content);
        insert.Parameters.AddWithValue("hash", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(content))));
        await insert.ExecuteNonQueryAsync(ct);
    }

    private static void Print(SuiteRow row) =>
        Console.WriteLine(row.Skipped is not null
            ? $"{row.Name}: {row.Skipped}"
            : $"{row.Name}: API {Side(row.Api)}; twin {Side(row.Twin)}; {row.Check}{(row.Statements is null ? "" : "; statements " + row.Statements)}");

    private static string Side(SideResult? s) => s is null
        ? "-"
        : string.Create(CultureInfo.InvariantCulture, $"{s.Requests} in total, {s.Rps:0.0} req/s, p50 {s.P50:0.00} ms, p99 {s.P99:0.00} ms, {s.Errors} errors{(s.ErrorDetail is null ? "" : " (" + s.ErrorDetail + ")")}");

    private static string Table(IReadOnlyList<SuiteRow> rows)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("| workload | API req/s | p50 (ms) | p99 (ms) | errors | twin req/s | p50 (ms) | p99 (ms) | errors | API/twin | statements API/twin |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var row in rows)
        {
            if (row.Skipped is not null)
            {
                text.AppendLine(inv, $"| {row.Name} | {row.Skipped} | | | | | | | | | |");
                continue;
            }

            string Cells(SideResult? s) => s is null ? "- | - | - | -" : string.Create(inv, $"{s.Rps:0.0} | {s.P50:0.00} | {s.P99:0.00} | {s.Errors}");
            var ratio = row.Api is not null && row.Twin is not null && row.Twin.Rps > 0 ? (row.Api.Rps / row.Twin.Rps).ToString("0.00", inv) + "x" : "-";
            var statements = row.Statements is null ? "-" : row.Statements.Replace("API ", "", StringComparison.Ordinal).Replace(", twin ", "/", StringComparison.Ordinal);
            text.AppendLine(inv, $"| {row.Name} | {Cells(row.Api)} | {Cells(row.Twin)} | {ratio} | {statements} |");
        }

        return text.ToString().TrimEnd();
    }

    private static string Markdown(BenchOptions options, MachineInfo machine, string version, string table, IReadOnlyList<SuiteRow> rows, string auditLine, TimeSpan elapsed)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(inv, $"# Benchmark suite, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine();
        text.AppendLine(inv, $"`{options.CommandLine.Replace("bench/suite.sh", "bench/suite.sh", StringComparison.Ordinal)}`: each workload {options.Duration} s with wrk " +
            $"(`-c{options.Clients} -t2 --latency`, one bearer token signed in once at set-up), then its plain-SQL twin {options.Duration} s " +
            $"({options.Clients} Npgsql connections, one per client, closed loop, preparing their statements as the API's do), on the same database.");
        text.AppendLine();
        text.AppendLine(table);
        text.AppendLine();
        text.AppendLine("API figures are wrk's (Requests/sec; p50 and p99 from its Latency Distribution; errors = non-2xx answers plus socket errors and");
        text.AppendLine("timeouts). Twin figures are measured by the Npgsql client per operation (nearest-rank percentiles; req/s = completed operations over");
        text.AppendLine("the wall time); the twin is not driven by wrk. API/twin is the throughput ratio. Statements: what the database executed for one API request");
        text.AppendLine("and one twin operation (logged with log_min_duration_statement = 0 for a moment, after the timed runs): the API's count includes");
        text.AppendLine("the bearer token's session check and EF Core's one statement per audit row where the twin sends one multi-row INSERT.");
        text.AppendLine("Speed is reported here, never asserted by a test.");
        text.AppendLine();
        Report.AppendMachine(text, machine, version, options);
        text.AppendLine("## Workloads and their twins");
        text.AppendLine();
        text.AppendLine("- **Trial**: the demonstration trial with a second site, 400 participants (SQL as Enrolled, alternating sites) randomized through the API,");
        text.AppendLine("  a Day 0 MRSS and two adverse events each through the API. The coordinator (both sites) sends every request.");
        text.AppendLine("- **ceiling**: `GET /health/live`, which runs no health check: authentication, routing, middleware, no database. No twin.");
        text.AppendLine("- **casebook** (cycling over the 400): twin runs, outside a transaction, the trial (visible through a site), the participant");
        text.AppendLine("  (at the caller's sites), its visits ordered by day, its MRSS (visit, date, total) and its infusions: five round trips, as the handler.");
        text.AppendLine("- **visit worklist** (cycling over the first pages, 50 a page): twin runs the trial visibility check, the count and the page query");
        text.AppendLine("  (scheduled visits of randomized participants at the caller's sites, window start before today + 14, ordered by urgency).");
        text.AppendLine("- **adverse-event entry** (a non-serious event per request): twin runs one transaction: the trial `FOR SHARE`, the participant");
        text.AppendLine("  `FOR UPDATE`, then one batch inserting the event, its first version and the audit rows the API wrote for its first event");
        text.AppendLine("  (copied column by column from that event, with the new ids), `COMMIT`.");
        text.AppendLine("- **MRSS entry** (a first save per request, each for a distinct visit with MRSS; half of the pool for the API, half for the");
        text.AppendLine("  twin): twin runs the trial `FOR SHARE`, the participant, the visit, the existing assessment (none), then one batch inserting the");
        text.AppendLine("  assessment (copied from one the API saved, new ids) and the same audit rows, `COMMIT`.");
        text.AppendLine("- **randomization** (distinct enrolled participants, the same list and stratum): twin runs the trial `FOR SHARE`, the participant");
        text.AppendLine("  `FOR UPDATE`, the stratum's advisory lock, the first free slot, then one batch (slot, participant, visit schedule, the same");
        text.AppendLine("  audit rows), `COMMIT`.");
        text.AppendLine("- **safety-summary generation**: measured when `POST /api/trials/{id}/safety-summaries` exists (probed at the start), otherwise SKIPPED.");
        text.AppendLine();
        text.AppendLine("## Verification");
        text.AppendLine();
        foreach (var row in rows)
        {
            text.AppendLine(inv, $"- {row.Name}: {row.Skipped ?? row.Check}{(row.Statements is null ? "" : "; statements per request/operation: " + row.Statements)}{(row.Api?.ErrorDetail is { } d ? "; API errors: " + d : "")}{(row.Twin?.ErrorDetail is { } e ? "; twin: " + e : "")}");
        }

        text.AppendLine(inv, $"- {auditLine}");
        text.AppendLine();
        text.AppendLine(inv, $"Set-up and all runs took {elapsed.TotalSeconds:0} s (the build not included).");
        if (options.Note is not null)
        {
            text.AppendLine();
            text.AppendLine(options.Note);
        }

        return text.ToString();
    }

    // ---- wrk ----

    private static string FindWrk()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
        {
            var candidate = Path.Combine(directory, "wrk");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new BenchException("wrk is not installed: apt-get install -y wrk (bench/suite.sh installs it when run as root).");
    }

    private static async Task<SideResult> RunWrkAsync(string wrk, string lua, Uri baseAddress, string token, string file, bool walk, BenchOptions options, CancellationToken ct)
    {
        const int threads = 2;
        var start = new ProcessStartInfo(wrk) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
                 {
                     "-c", options.Clients.ToString(CultureInfo.InvariantCulture), "-t", threads.ToString(CultureInfo.InvariantCulture),
                     "-d", options.Duration.ToString(CultureInfo.InvariantCulture) + "s", "--timeout", "10s", "--latency",
                     "-H", "Authorization: Bearer " + token, "-s", lua, baseAddress.ToString().TrimEnd('/'),
                     "--", file, walk ? "walk" : "cycle", threads.ToString(CultureInfo.InvariantCulture),
                 })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new BenchException("wrk did not start");
        var output = await process.StandardOutput.ReadToEndAsync(ct);
        var error = await process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new BenchException($"wrk exited with {process.ExitCode}: {error}{output}");
        }

        return ParseWrk(output);
    }

    /// <summary>Requests/sec, the 50% and 99% lines of the Latency Distribution, non-2xx answers and socket errors.</summary>
    public static SideResult ParseWrk(string output)
    {
        static double Ms(Match m) => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * m.Groups[2].Value switch
        {
            "us" => 0.001,
            "ms" => 1,
            "s" => 1000,
            "m" => 60_000,
            _ => throw new BenchException("unknown wrk unit " + m.Groups[2].Value),
        };

        var p50 = P50Regex().Match(output);
        var p99 = P99Regex().Match(output);
        var rps = RpsRegex().Match(output);
        var total = TotalRegex().Match(output);
        if (!p50.Success || !p99.Success || !rps.Success || !total.Success)
        {
            throw new BenchException("Could not read wrk's output:\n" + output);
        }

        var non2xx = Non2xxRegex().Match(output);
        var socket = SocketRegex().Match(output);
        long errors = 0;
        var details = new List<string>();
        if (non2xx.Success)
        {
            errors += long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture);
            details.Add(non2xx.Groups[1].Value + " non-2xx");
        }

        if (socket.Success)
        {
            var counts = socket.Groups.Values.Skip(1).Select(g => long.Parse(g.Value, CultureInfo.InvariantCulture)).ToArray();
            errors += counts.Sum();
            details.Add($"socket errors: connect {counts[0]}, read {counts[1]}, write {counts[2]}, timeout {counts[3]}");
        }

        return new SideResult(
            long.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(rps.Groups[1].Value, CultureInfo.InvariantCulture),
            Ms(p50), Ms(p99), errors, details.Count == 0 ? null : string.Join("; ", details), output.Contains("EXHAUSTED", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^\s+50%\s+([\d.]+)(us|ms|s|m)\s*$", RegexOptions.Multiline)]
    private static partial Regex P50Regex();

    [GeneratedRegex(@"^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$", RegexOptions.Multiline)]
    private static partial Regex P99Regex();

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RpsRegex();

    [GeneratedRegex(@"(\d+) requests in ")]
    private static partial Regex TotalRegex();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex Non2xxRegex();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketRegex();

    // ---- set-up ----

    private static async Task<SuiteContext> SetUpAsync(Uri baseAddress, string connectionString, CancellationToken ct)
    {
        var admin = await Setup.SignedInClientAsync(baseAddress, ApiProcess.AdminEmail, ApiProcess.AdminPassword, ct);
        var trials = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/trials", UriKind.Relative), ct);
        var trialId = trials.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("code").GetString() == "BELIMUMAB-DCSSC").GetProperty("id").GetGuid();
        var sites = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/trials/{trialId}/sites", UriKind.Relative), ct);
        var site1 = sites.GetProperty("items")[0].GetProperty("id").GetGuid();
        var site2 = (await PostAsync(admin, $"/api/trials/{trialId}/sites", new { code = "BENCH2", name = "Benchmark second site" }, ct)).GetProperty("id").GetGuid();
        await PostAsync(admin, "/api/users", new
        {
            email = "bench-coordinator@edc.local",
            password = UserPassword,
            displayName = "Benchmark coordinator",
            roles = new[] { "Coordinator" },
            siteIds = new[] { site1, site2 },
        }, ct);
        await PostAsync(admin, "/api/users", new
        {
            email = "bench-statistician@edc.local",
            password = UserPassword,
            displayName = "Benchmark statistician",
            roles = new[] { "UnblindedStatistician" },
            siteIds = Array.Empty<Guid>(),
        }, ct);
        using (var statistician = await Setup.SignedInClientAsync(baseAddress, "bench-statistician@edc.local", UserPassword, ct))
        {
            await PostAsync(statistician, $"/api/trials/{trialId}/randomization-list", new { seed = 20261121, blockSizes = new[] { 2, 4 }, slotsPerStratum = 10_000 }, ct);

            // Extended once (10,000 slots a request at most): the MRSS and randomization pools outgrew one list.
            await PostAsync(statistician, $"/api/trials/{trialId}/randomization-list/extension", new { slots = 10_000 }, ct);
        }

        var coordinator = await Setup.SignedInClientAsync(baseAddress, "bench-coordinator@edc.local", UserPassword, ct);
        var token = coordinator.DefaultRequestHeaders.Authorization!.Parameter!;
        var ctx = new SuiteContext(trialId, [site1, site2], admin, coordinator, token, []);
        var realistic = await EnrollAsync(connectionString, ctx, "R", RealisticParticipants, ct);
        await RandomizeAsync(ctx, realistic, ct);
        var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await ParallelAsync(realistic.Count, i => coordinator.PutAsJsonAsync(
            new Uri($"/api/trials/{trialId}/participants/{realistic[i].Id}/visits/D0/mrss", UriKind.Relative),
            new { assessedOn = today, assessorName = "Dr Setup", scores = MrssAreas.ToDictionary(a => a, a => (a.Length + i) % 4) }, ct), "D0 MRSS");
        await ParallelAsync(realistic.Count * 2, i => coordinator.PostAsJsonAsync(
            new Uri($"/api/trials/{trialId}/participants/{realistic[i / 2].Id}/adverse-events", UriKind.Relative),
            new { term = i % 2 == 0 ? "Nausea" : "Fatigue", onsetDate = today, ongoing = true, grade = 1 + (i % 2), serious = false, relatedness = "Possible", actionTaken = "DoseNotChanged", outcome = "Recovering" }, ct),
            "adverse event");
        return ctx with { Realistic = realistic };
    }

    private static async Task ParallelAsync(int count, Func<int, Task<HttpResponseMessage>> send, string what)
    {
        var next = -1;
        var failures = new ConcurrentQueue<string>();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                using var response = await send(i);
                if (!response.IsSuccessStatusCode)
                {
                    failures.Enqueue($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
        })));
        if (!failures.IsEmpty)
        {
            throw new BenchException($"Set-up: {failures.Count} of {count} {what} requests failed, first: {failures.First()}");
        }
    }

    private static Task RandomizeAsync(SuiteContext ctx, IReadOnlyList<PoolParticipant> participants, CancellationToken ct) =>
        ParallelAsync(participants.Count, i => ctx.Coordinator.PostAsync(
            new Uri($"/api/trials/{ctx.TrialId}/participants/{participants[i].Id}/randomization", UriKind.Relative), null, ct), "randomization");

    /// <summary>Enrolled participants in SQL, sites alternating (not measured).</summary>
    private static async Task<IReadOnlyList<PoolParticipant>> EnrollAsync(string connectionString, SuiteContext ctx, string prefix, int count, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO participants (id, trial_id, site_id, screening_number, sex, birth_year, status, registered_at, consent_date,
                                      eligibility, strata, stratum_key, enrolled_at)
            SELECT gen_random_uuid(), @trial, CASE WHEN g % 2 = 0 THEN @site1 ELSE @site2 END, @prefix || '-' || lpad(g::text, 6, '0'),
                   CASE WHEN g % 5 = 0 THEN 'M' ELSE 'F' END, 1950 + g % 40, 'Enrolled', now(), current_date, '{}'::jsonb, '{}'::jsonb, '', now()
            FROM generate_series(1, @count) AS g
            RETURNING id, site_id, screening_number
            """,
            connection);
        command.Parameters.AddWithValue("trial", ctx.TrialId);
        command.Parameters.AddWithValue("site1", ctx.Sites[0]);
        command.Parameters.AddWithValue("site2", ctx.Sites[1]);
        command.Parameters.AddWithValue("prefix", "BENCH-" + prefix);
        command.Parameters.AddWithValue("count", count);
        var rows = new List<(string Number, PoolParticipant P)>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                rows.Add((reader.GetString(2), new PoolParticipant(reader.GetGuid(0), reader.GetGuid(1))));
            }
        }

        return [.. rows.OrderBy(r => r.Number, StringComparer.Ordinal).Select(r => r.P)];
    }

    /// <summary>The pool's visits with MRSS (6 a participant), by participant then day.</summary>
    private static async Task<IReadOnlyList<PoolVisit>> MrssVisitsAsync(string connectionString, IReadOnlyList<PoolParticipant> pool, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            "SELECT participant_id, code, id, site_id FROM visits WHERE participant_id = ANY (@ids) AND 'Mrss' = ANY (procedures) ORDER BY day",
            connection);
        command.Parameters.AddWithValue("ids", pool.Select(p => p.Id).ToArray());
        var byParticipant = new Dictionary<Guid, List<PoolVisit>>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var visit = new PoolVisit(reader.GetGuid(0), reader.GetString(1), reader.GetGuid(2), reader.GetGuid(3));
                if (!byParticipant.TryGetValue(visit.Participant, out var list))
                {
                    byParticipant[visit.Participant] = list = [];
                }

                list.Add(visit);
            }
        }

        return [.. pool.SelectMany(p => byParticipant.GetValueOrDefault(p.Id) ?? [])];
    }

    private static async Task Send(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchException($"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>
    /// Statements the database executed for one API request and for one twin operation (log_min_duration_statement = 0 for
    /// a moment; simple statements and executes of the extended protocol counted), as "API n, twin m".
    /// </summary>
    private static async Task<string> CaptureAsync(LocalPostgres database, string connectionString, Func<int, Task> apiRequest, Func<NpgsqlConnection, int, Task> twinOperation, CancellationToken ct)
    {
        var log = Path.Combine(database.DataDirectory, "server.log");
        await using var admin = new NpgsqlConnection(connectionString);
        await admin.OpenAsync(ct);
        await using var twin = new NpgsqlConnection(connectionString);
        await twin.OpenAsync(ct);
        async Task Execute(string sql)
        {
            await using var command = new NpgsqlCommand(sql, admin);
            await command.ExecuteNonQueryAsync(ct);
        }

        async Task<int> Count(Func<Task> action)
        {
            await Task.Delay(300, ct);
            var start = new FileInfo(log).Length;
            await action();
            await Task.Delay(300, ct);
            await using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            stream.Seek(start, SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            return StatementRegex().Count(await reader.ReadToEndAsync(ct));
        }

        await Execute("ALTER SYSTEM SET log_min_duration_statement = 0");
        await Execute("SELECT pg_reload_conf()");
        try
        {
            // The fewest of a few: the API's background jobs or autovacuum may log statements in the same moment.
            var (api, plain) = (int.MaxValue, int.MaxValue);
            for (var i = 0; i < CaptureRepeats; i++)
            {
                api = Math.Min(api, await Count(() => apiRequest(i)));
                plain = Math.Min(plain, await Count(() => twinOperation(twin, i)));
            }

            return $"API {api}, twin {plain}";
        }
        finally
        {
            await Execute("ALTER SYSTEM RESET log_min_duration_statement");
            await Execute("SELECT pg_reload_conf()");
        }
    }

    [GeneratedRegex(@"duration: [\d.]+ ms  (statement|execute [^:]*):")]
    private static partial Regex StatementRegex();

    private static async Task<long> ScalarAsync(string connectionString, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    private static async Task<JsonElement> PostAsync<T>(HttpClient client, string path, T body, CancellationToken ct)
    {
        using var response = await client.PostAsJsonAsync(new Uri(path, UriKind.Relative), body, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchException($"POST {path} answered {(int)response.StatusCode}: {text}");
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}

internal sealed record PoolParticipant(Guid Id, Guid SiteId);

internal sealed record PoolVisit(Guid Participant, string Code, Guid Id, Guid SiteId);

internal sealed record SuiteContext(Guid TrialId, Guid[] Sites, HttpClient Admin, HttpClient Coordinator, string Token, IReadOnlyList<PoolParticipant> Realistic);
