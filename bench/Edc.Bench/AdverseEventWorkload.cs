using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Edc.Infrastructure.Database;
using Npgsql;

namespace Edc.Bench;

/// <summary>
/// The adverse-event list (<c>GET /api/trials/{trial}/adverse-events</c>, pages 1 and 200 of 50) on a trial with 100,000
/// adverse events, as the DSMB member (every site) and as a coordinator (one site), against the same count and page as
/// plain SQL through Npgsql on the same database. Read-only: every case runs on the same data.
/// </summary>
internal static partial class AdverseEventWorkload
{
    public const int Events = 100_000;
    public const int ParticipantCount = 2_000;
    public const int PageSize = 50;
    private const string UserPassword = "Bench-User-Password-2026";

    private static readonly int[] Pages = [1, 200];

    private static readonly char[] Whitespace = ['\n', '\r', '\t', ' '];

    /// <summary>Common adverse event terms (MedDRA preferred terms), most frequent first: the draw favours the head of the list.</summary>
    private static readonly string[] Terms =
    [
        "Headache", "Nausea", "Fatigue", "Diarrhoea", "Upper respiratory tract infection", "Nasopharyngitis", "Arthralgia",
        "Urinary tract infection", "Cough", "Back pain", "Dizziness", "Pyrexia", "Vomiting", "Rash", "Infusion related reaction",
        "Pain in extremity", "Insomnia", "Depression", "Bronchitis", "Pruritus", "Abdominal pain", "Myalgia", "Oedema peripheral",
        "Hypertension", "Dyspnoea", "Constipation", "Anaemia", "Influenza", "Sinusitis", "Gastroenteritis", "Skin ulcer",
        "Raynaud's phenomenon", "Dyspepsia", "Leukopenia", "Herpes zoster", "Pneumonia", "Cellulitis", "Hypokalaemia",
        "Interstitial lung disease", "Renal failure acute",
    ];

    private static readonly string[] Columns =
    [
        "id", "trial_id", "site_id", "participant_id", "current_version", "term", "onset_date", "end_date", "ongoing", "grade", "serious",
        "seriousness_criteria", "relatedness", "expected", "action_taken", "outcome", "aware_at", "susar", "sponsor_clock_started_at",
        "sponsor_due_at", "sponsor_report_sent_at", "regulator_clock_started_at", "regulator_due_at", "regulator_report_sent_at",
        "created_at", "updated_at",
    ];

    private sealed record Viewer(string Name, string Token, Guid[]? SiteIds);

    private sealed record Case(string Name, Viewer Viewer, int Page)
    {
        public int Offset => (Page - 1) * PageSize;
    }

    private sealed record Measured(Case Case, RunResult Api, RunResult Plain, string Check, bool Ok);

    public static async Task<int> RunAsync(
        Uri baseAddress, LocalPostgres database, string connectionString, BenchOptions options, MachineInfo machine, string root, Stopwatch total, CancellationToken ct)
    {
        var setupTime = Stopwatch.StartNew();
        var (trialId, sites, dsmb, coordinator, coordinatorId) = await UsersAndSitesAsync(baseAddress, ct);
        var participants = await InsertParticipantsAsync(connectionString, trialId, sites, ct);
        var apiEvent = await RecordOneThroughApiAsync(baseAddress, coordinator, connectionString, trialId, sites[0], ct);
        var loading = Stopwatch.StartNew();
        await BulkLoadAsync(connectionString, trialId, coordinatorId, Events - 1, ct);
        loading.Stop();
        var data = await CheckDataAsync(connectionString, trialId, apiEvent, ct);
        Console.WriteLine($"Set up: {participants} participants at {sites.Length} sites, {Events - 1} adverse events bulk-loaded in {loading.Elapsed.TotalSeconds:0.0} s; {data.Summary}");
        setupTime.Stop();

        var viewers = new[] { new Viewer("DSMB member (all sites)", dsmb, null), new Viewer("coordinator (site 1)", coordinator, [sites[0]]) };
        var cases = viewers.SelectMany(v => Pages.Select(p => new Case($"{v.Name}, page {p}", v, p))).ToList();
        var sqlLog = await CaptureApiSqlAsync(baseAddress, database, connectionString, trialId, cases, ct);

        var plans = new List<(Case Case, IReadOnlyList<string> Lines)>();
        foreach (var c in cases)
        {
            plans.Add((c, await ExplainAsync(connectionString, trialId, c, ct)));
        }

        var measured = new List<Measured>();
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = options.Clients + 4 };
        await using (var dataSource = NpgsqlDataSource.Create(builder.ConnectionString))
        {
            foreach (var c in cases)
            {
                var (check, same) = await SameAnswerAsync(baseAddress, dataSource, trialId, c, ct);
                var apiRun = await ApiAsync(baseAddress, trialId, c, options, ct);
                Console.WriteLine(apiRun.Line($"API, {c.Name}"));
                var plainRun = await PlainAsync(dataSource, trialId, c, options, ct);
                Console.WriteLine(plainRun.Line($"plain SQL, {c.Name}"));
                measured.Add(new Measured(c, apiRun, plainRun, check, same));
            }
        }

        var version = await Verification.PostgresVersionAsync(connectionString, ct);
        var report = Markdown(options, machine, version, measured, plans, sqlLog, data, participants, sites.Length, loading.Elapsed, total.Elapsed);
        var file = Path.Combine(root, "bench", "results", DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "-adverse-events.md");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, report, CancellationToken.None);
        Console.WriteLine();
        Console.WriteLine(Table(measured));
        Console.WriteLine();
        Console.WriteLine($"Written to {Path.GetRelativePath(root, file)}");

        var ok = data.Ok && measured.All(m => m.Ok && m.Api.Failures.Count == 0 && m.Plain.Failures.Count == 0);
        if (!ok)
        {
            Console.Error.WriteLine("The run is not valid: see the verification section of the results file.");
        }

        return ok ? 0 : 1;
    }

    // ---- Set-up (not measured) ----

    /// <summary>The demonstration trial with three more sites, a DSMB member and a coordinator of the first site, through the API.</summary>
    private static async Task<(Guid TrialId, Guid[] Sites, string Dsmb, string Coordinator, Guid CoordinatorId)> UsersAndSitesAsync(Uri baseAddress, CancellationToken ct)
    {
        using var admin = await Setup.SignedInClientAsync(baseAddress, ApiProcess.AdminEmail, ApiProcess.AdminPassword, ct);
        var trials = await SendAsync(admin, HttpMethod.Get, "/api/trials", null, ct);
        var trialId = trials.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("code").GetString() == "BELIMUMAB-DCSSC").GetProperty("id").GetGuid();
        var first = (await SendAsync(admin, HttpMethod.Get, $"/api/trials/{trialId}/sites", null, ct)).GetProperty("items")[0].GetProperty("id").GetGuid();
        var sites = new List<Guid> { first };
        foreach (var (code, name) in new[] { ("UCL", "Royal Free Hospital, London"), ("CHA", "Charité Berlin"), ("MUG", "Medical University of Graz") })
        {
            sites.Add((await SendAsync(admin, HttpMethod.Post, $"/api/trials/{trialId}/sites", new { code, name }, ct)).GetProperty("id").GetGuid());
        }

        var coordinatorId = (await SendAsync(admin, HttpMethod.Post, "/api/users", new
        {
            email = "bench-ae-coordinator@edc.local",
            password = UserPassword,
            displayName = "Benchmark coordinator (site 1)",
            roles = new[] { "Coordinator" },
            siteIds = new[] { first },
        }, ct)).GetProperty("id").GetGuid();
        await SendAsync(admin, HttpMethod.Post, "/api/users", new
        {
            email = "bench-ae-dsmb@edc.local",
            password = UserPassword,
            displayName = "Benchmark DSMB member",
            roles = new[] { "DsmbMember" },
            siteIds = Array.Empty<Guid>(),
        }, ct);

        using var dsmb = await Setup.SignedInClientAsync(baseAddress, "bench-ae-dsmb@edc.local", UserPassword, ct);
        using var coordinator = await Setup.SignedInClientAsync(baseAddress, "bench-ae-coordinator@edc.local", UserPassword, ct);
        return (trialId, [.. sites], dsmb.DefaultRequestHeaders.Authorization!.Parameter!, coordinator.DefaultRequestHeaders.Authorization!.Parameter!, coordinatorId);
    }

    /// <summary>
    /// Enrolled participants in SQL (registering thousands through the API would take longer than the measurement), 40/30/20/10%
    /// over the four sites, enrolled one after the other over the last two years.
    /// </summary>
    private static async Task<int> InsertParticipantsAsync(string connectionString, Guid trialId, Guid[] sites, CancellationToken ct)
    {
        await using var connection = await OpenAsync(connectionString, ct);
        await using var command = new NpgsqlCommand(
            """
            SELECT setseed(0.1121);
            INSERT INTO participants (id, trial_id, site_id, screening_number, sex, birth_year, status, registered_at, consent_date,
                                      eligibility, strata, stratum_key, enrolled_at)
            SELECT gen_random_uuid(), @trial,
                   (@sites::uuid[])[CASE WHEN r < 0.4 THEN 1 WHEN r < 0.7 THEN 2 WHEN r < 0.9 THEN 3 ELSE 4 END],
                   'AE-' || lpad(g::text, 5, '0'), CASE WHEN r2 < 0.8 THEN 'F' ELSE 'M' END, 1950 + floor(r2 * 50)::int, 'Enrolled',
                   consented - interval '1 hour', consented::date, '{}'::jsonb, '{}'::jsonb, '', consented + interval '10 days'
            FROM (SELECT g, random() AS r, random() AS r2,
                         date_trunc('second', now() - interval '730 days' + (g::float8 / @count) * interval '700 days') AS consented
                  FROM generate_series(1, @count) AS g) AS s
            """,
            connection);
        command.Parameters.AddWithValue("trial", trialId);
        command.Parameters.AddWithValue("sites", sites);
        command.Parameters.AddWithValue("count", ParticipantCount);
        await command.ExecuteNonQueryAsync(ct);
        return ParticipantCount;
    }

    /// <summary>One adverse event through the API: its version's report is the shape the bulk load must reproduce.</summary>
    private static async Task<Guid> RecordOneThroughApiAsync(Uri baseAddress, string coordinatorToken, string connectionString, Guid trialId, Guid site, CancellationToken ct)
    {
        Guid participant;
        await using (var connection = await OpenAsync(connectionString, ct))
        await using (var command = new NpgsqlCommand("SELECT id FROM participants WHERE trial_id = @trial AND site_id = @site ORDER BY screening_number LIMIT 1", connection))
        {
            command.Parameters.AddWithValue("trial", trialId);
            command.Parameters.AddWithValue("site", site);
            participant = (Guid)(await command.ExecuteScalarAsync(ct))!;
        }

        using var client = Client(baseAddress, coordinatorToken);
        var recorded = await SendAsync(client, HttpMethod.Post, $"/api/trials/{trialId}/participants/{participant}/adverse-events", new
        {
            term = "Headache",
            onsetDate = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-2)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            endDate = (string?)null,
            ongoing = true,
            grade = 1,
            serious = false,
            seriousnessCriteria = Array.Empty<string>(),
            relatedness = "Unlikely",
            expected = true,
            actionTaken = "DoseNotChanged",
            outcome = "NotRecovered",
        }, ct);
        return recorded.GetProperty("id").GetGuid();
    }

    /// <summary>
    /// The adverse events and their first versions, set-based in one transaction, then VACUUM (ANALYZE). Each event belongs to a random
    /// participant, is entered between the participant's enrolment and yesterday, its onset up to 14 days before entry (not
    /// before consent) and the site's awareness between onset and entry; grades 1 to 4 (56/33/8.5/2.5%; no fatal events, which
    /// would end the participants' schedules); about 10% serious, each with its criteria, the sponsor's clock started at the
    /// awareness and mostly reported within 24 h; SUSARs (serious, related, not expected) with the regulators' clock (7 days when
    /// life-threatening, else 15). The report JSON is the API's: web (camelCase) names, enums as strings, the computed
    /// properties included; the set-up checks its keys against the version the API wrote.
    /// </summary>
    private static async Task BulkLoadAsync(string connectionString, Guid trialId, Guid recordedBy, int count, CancellationToken ct)
    {
        await using var connection = await OpenAsync(connectionString, ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var command = new NpgsqlCommand(
            """
            SET LOCAL TIME ZONE 'UTC';
            SELECT setseed(0.2026);
            CREATE TEMP TABLE bench_ae ON COMMIT DROP AS
            WITH p AS (
                SELECT id, site_id, consent_date, enrolled_at, (row_number() OVER (ORDER BY screening_number))::int - 1 AS n
                FROM participants WHERE trial_id = @trial AND screening_number LIKE 'AE-%'),
            draw AS (
                SELECT g, floor(random() * @participants)::int AS n, random() AS r_term, random() AS r_grade, random() AS r_serious,
                       random() AS r_criteria, random() AS r_related, random() AS r_expected, random() AS r_action, random() AS r_outcome,
                       random() AS r_end, random() AS r_entry, random() AS r_onset, random() AS r_aware, random() AS r_sent
                FROM generate_series(1, @count) AS g),
            dated AS (
                SELECT d.*, p.id AS participant_id, p.site_id,
                       date_trunc('second', p.enrolled_at + d.r_entry * (now() - interval '1 day' - p.enrolled_at)) AS created_at,
                       p.consent_date,
                       CASE WHEN d.r_grade < 0.56 THEN 1 WHEN d.r_grade < 0.89 THEN 2 WHEN d.r_grade < 0.975 THEN 3 ELSE 4 END AS grade,
                       CASE WHEN d.r_related < 0.40 THEN 'NotRelated' WHEN d.r_related < 0.65 THEN 'Unlikely'
                            WHEN d.r_related < 0.85 THEN 'Possible' WHEN d.r_related < 0.95 THEN 'Probable' ELSE 'Definite' END AS relatedness,
                       CASE WHEN d.r_expected < 0.85 THEN true WHEN d.r_expected < 0.95 THEN false END AS expected
                FROM draw d JOIN p ON p.n = d.n),
            onset AS (
                SELECT x.*, greatest(x.consent_date, (x.created_at - x.r_onset * interval '14 days')::date) AS onset_date,
                       CASE x.grade WHEN 4 THEN true WHEN 3 THEN x.r_serious < 0.6 ELSE x.r_serious < 0.02 END AS serious
                FROM dated x),
            shaped AS (
                SELECT o.*,
                       date_trunc('second', o.onset_date::timestamptz + o.r_aware * (o.created_at - o.onset_date::timestamptz)) AS aware_at,
                       o.r_end < 0.25 AS ongoing,
                       CASE WHEN o.r_end >= 0.25 THEN least(o.onset_date + floor((o.r_end - 0.25) / 0.75 * 30)::int, current_date) END AS end_date,
                       CASE WHEN NOT o.serious THEN ARRAY[]::text[]
                            WHEN o.grade = 4 THEN CASE WHEN o.r_criteria < 0.7 THEN ARRAY['LifeThreatening', 'Hospitalization'] ELSE ARRAY['LifeThreatening'] END
                            WHEN o.grade = 3 THEN CASE WHEN o.r_criteria < 0.2 THEN ARRAY['Hospitalization', 'Disability'] ELSE ARRAY['Hospitalization'] END
                            WHEN o.r_criteria < 0.5 THEN ARRAY['ImportantMedicalEvent'] ELSE ARRAY['Hospitalization'] END AS criteria,
                       o.serious AND o.relatedness IN ('Possible', 'Probable', 'Definite') AND o.expected IS DISTINCT FROM true AS susar,
                       CASE WHEN o.r_action < 0.72 THEN 'DoseNotChanged' WHEN o.r_action < 0.84 THEN 'DrugInterrupted' WHEN o.r_action < 0.89 THEN 'DoseReduced'
                            WHEN o.r_action < 0.92 THEN 'DrugWithdrawn' WHEN o.r_action < 0.98 THEN 'NotApplicable' ELSE 'Unknown' END AS action_taken
                FROM onset o)
            SELECT gen_random_uuid() AS id, s.participant_id, s.site_id, @terms[1 + floor(40 * s.r_term * s.r_term)::int] AS term,
                   s.onset_date, s.end_date, s.ongoing, s.grade, s.serious, s.criteria, s.relatedness, s.expected, s.action_taken,
                   CASE WHEN s.ongoing THEN CASE WHEN s.r_outcome < 0.6 THEN 'Recovering' ELSE 'NotRecovered' END
                        WHEN s.r_outcome < 0.92 THEN 'Recovered' ELSE 'RecoveredWithSequelae' END AS outcome,
                   s.aware_at, s.susar, s.created_at,
                   CASE WHEN s.serious THEN s.aware_at END AS sponsor_started,
                   CASE WHEN s.serious THEN s.aware_at + interval '24 hours' END AS sponsor_due,
                   CASE WHEN NOT s.serious THEN NULL
                        WHEN s.r_sent < 0.93 THEN s.aware_at + s.r_sent / 0.93 * interval '20 hours'
                        WHEN s.r_sent < 0.99 AND s.aware_at + interval '72 hours' < now() THEN s.aware_at + interval '25 hours' + (s.r_sent - 0.93) / 0.06 * interval '47 hours'
                   END AS sponsor_sent,
                   CASE WHEN s.susar THEN s.aware_at END AS regulator_started,
                   CASE WHEN s.susar THEN s.aware_at + CASE WHEN 'LifeThreatening' = ANY (s.criteria) THEN interval '7 days' ELSE interval '15 days' END END AS regulator_due,
                   CASE WHEN s.susar AND s.r_sent < 0.95 AND s.aware_at + interval '6 days' < now() THEN s.aware_at + s.r_sent * interval '6 days' END AS regulator_sent
            FROM shaped s;

            INSERT INTO adverse_events (id, trial_id, site_id, participant_id, current_version, term, onset_date, end_date, ongoing, grade, serious,
                                        seriousness_criteria, relatedness, expected, action_taken, outcome, aware_at, susar,
                                        sponsor_clock_started_at, sponsor_due_at, sponsor_report_sent_at,
                                        regulator_clock_started_at, regulator_due_at, regulator_report_sent_at, created_at, updated_at)
            SELECT id, @trial, site_id, participant_id, 1, term, onset_date, end_date, ongoing, grade, serious, criteria, relatedness, expected,
                   action_taken, outcome, aware_at, susar, sponsor_started, sponsor_due, sponsor_sent, regulator_started, regulator_due, regulator_sent,
                   created_at, greatest(created_at, sponsor_sent, regulator_sent)
            FROM bench_ae ORDER BY created_at;

            INSERT INTO adverse_event_versions (id, adverse_event_id, trial_id, site_id, number, report, reason, recorded_by, recorded_at)
            SELECT gen_random_uuid(), id, @trial, site_id, 1,
                   jsonb_build_object(
                       'term', term, 'onsetDate', to_char(onset_date, 'YYYY-MM-DD'), 'endDate', to_char(end_date, 'YYYY-MM-DD'), 'ongoing', ongoing,
                       'grade', grade, 'serious', serious, 'seriousnessCriteria', to_jsonb(criteria), 'relatedness', relatedness,
                       'expected', expected, 'actionTaken', action_taken, 'outcome', outcome,
                       'awareAt', to_char(aware_at, 'YYYY-MM-DD"T"HH24:MI:SS') || '+00:00',
                       'isRelated', relatedness IN ('Possible', 'Probable', 'Definite'), 'isSusar', susar, 'isFatal', false,
                       'isFatalOrLifeThreatening', 'LifeThreatening' = ANY (criteria)),
                   NULL, @recorded_by, created_at
            FROM bench_ae ORDER BY created_at;
            """,
            connection,
            transaction))
        {
            command.CommandTimeout = 600;
            command.Parameters.AddWithValue("trial", trialId);
            command.Parameters.AddWithValue("participants", ParticipantCount);
            command.Parameters.AddWithValue("count", count);
            command.Parameters.AddWithValue("terms", Terms);
            command.Parameters.AddWithValue("recorded_by", recordedBy);
            await command.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
        // As autovacuum leaves a table after a bulk insert: statistics, and the visibility map that index-only scans need.
        await using var analyze = new NpgsqlCommand("VACUUM (ANALYZE) participants, adverse_events, adverse_event_versions", connection) { CommandTimeout = 600 };
        await analyze.ExecuteNonQueryAsync(ct);
    }

    private sealed record DataCheck(bool Ok, string Summary);

    /// <summary>The data the cases read: how many events, how they are distributed, and that every report has the API's keys.</summary>
    private static async Task<DataCheck> CheckDataAsync(string connectionString, Guid trialId, Guid apiEvent, CancellationToken ct)
    {
        await using var connection = await OpenAsync(connectionString, ct);
        await using var command = new NpgsqlCommand(
            """
            WITH api AS (SELECT array_agg(k ORDER BY k) AS keys FROM adverse_event_versions v, jsonb_object_keys(v.report) k WHERE v.adverse_event_id = @api),
                 shapes AS (SELECT (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(v.report) k) AS keys FROM adverse_event_versions v WHERE v.trial_id = @trial)
            SELECT
                (SELECT count(*) FROM adverse_events WHERE trial_id = @trial),
                (SELECT count(*) FROM adverse_event_versions WHERE trial_id = @trial),
                (SELECT count(*) FROM adverse_events WHERE trial_id = @trial AND serious),
                (SELECT count(*) FROM adverse_events WHERE trial_id = @trial AND susar),
                (SELECT count(*) FROM adverse_events WHERE trial_id = @trial AND grade <= 2),
                (SELECT count(DISTINCT term) FROM adverse_events WHERE trial_id = @trial),
                (SELECT count(*) FROM shapes, api WHERE shapes.keys IS DISTINCT FROM api.keys),
                (SELECT string_agg(n::text, '/' ORDER BY n DESC) FROM (SELECT count(*) AS n FROM adverse_events WHERE trial_id = @trial GROUP BY site_id) s),
                (SELECT count(*) FROM adverse_events a JOIN participants p ON p.id = a.participant_id
                 WHERE a.trial_id = @trial AND (a.onset_date < p.consent_date OR (a.aware_at AT TIME ZONE 'UTC')::date < a.onset_date OR a.aware_at > a.created_at
                        OR a.ongoing = (a.end_date IS NOT NULL) OR a.end_date < a.onset_date OR (a.serious <> (cardinality(a.seriousness_criteria) > 0))
                        OR (a.serious <> (a.sponsor_due_at IS NOT NULL)) OR (a.susar <> (a.regulator_due_at IS NOT NULL))))
            """,
            connection);
        command.Parameters.AddWithValue("trial", trialId);
        command.Parameters.AddWithValue("api", apiEvent);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var (events, versions, serious, susars, low, terms, otherShape, perSite, inconsistent) = (
            reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6),
            reader.GetString(7), reader.GetInt64(8));
        var ok = events == Events && versions == Events && otherShape == 0 && inconsistent == 0;
        return new DataCheck(ok, string.Create(
            CultureInfo.InvariantCulture,
            $"{(ok ? "OK" : "FAILED")}: {events} adverse events ({perSite} by site), {versions} versions, {serious} serious ({100.0 * serious / events:0.0}%), " +
            $"{susars} SUSARs, {100.0 * low / events:0}% grade 1-2, {terms} terms; {otherShape} reports whose keys differ from the one the API wrote; " +
            $"{inconsistent} events breaking the form's consistency rules or the clocks"));
    }

    // ---- What the API sends, and the plan of the plain query ----

    private sealed record SqlLog(IReadOnlyList<(string Case, IReadOnlyList<(double Ms, string Sql)> Statements)> Requests);

    /// <summary>
    /// One request per case with every statement logged (log_min_duration_statement = 0 for a moment): how many round trips
    /// the API makes per request, how long the database took for each, and the SQL EF Core sent.
    /// </summary>
    private static async Task<SqlLog> CaptureApiSqlAsync(Uri baseAddress, LocalPostgres database, string connectionString, Guid trialId, IReadOnlyList<Case> cases, CancellationToken ct)
    {
        var logFile = Path.Combine(database.DataDirectory, "server.log");
        var requests = new List<(string, IReadOnlyList<(double, string)>)>();
        await using var connection = await OpenAsync(connectionString, ct);
        await ExecuteAsync(connection, "ALTER SYSTEM SET log_min_duration_statement = 0", ct);
        await ExecuteAsync(connection, "SELECT pg_reload_conf()", ct);
        await Task.Delay(500, ct);
        try
        {
            foreach (var c in cases)
            {
                using var client = Client(baseAddress, c.Viewer.Token);
                await GetPageAsync(client, trialId, c.Page, ct); // a first request of this user, then the one logged
                await Task.Delay(200, ct);
                var start = new FileInfo(logFile).Length;
                await GetPageAsync(client, trialId, c.Page, ct);
                await Task.Delay(200, ct);
                requests.Add((c.Name, ParseLog(await ReadFromAsync(logFile, start, ct))));
            }
        }
        finally
        {
            await ExecuteAsync(connection, "ALTER SYSTEM RESET log_min_duration_statement", ct);
            await ExecuteAsync(connection, "SELECT pg_reload_conf()", ct);
        }

        return new SqlLog(requests);
    }

    private static async Task<string> ReadFromAsync(string file, long offset, CancellationToken ct)
    {
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(offset, SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(ct);
    }

    [GeneratedRegex(@"duration: (?<ms>[0-9.]+) ms\s+(?:execute [^:]*|statement): (?<sql>.*)", RegexOptions.Singleline)]
    private static partial Regex LoggedStatement();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} ", RegexOptions.Multiline)]
    private static partial Regex LogEntryStart();

    private static List<(double, string)> ParseLog(string log)
    {
        var statements = new List<(double, string)>();
        var starts = LogEntryStart().Matches(log).Select(m => m.Index).Append(log.Length).ToList();
        for (var i = 0; i + 1 < starts.Count; i++)
        {
            var entry = log[starts[i]..starts[i + 1]];
            var match = LoggedStatement().Match(entry);
            if (match.Success)
            {
                statements.Add((double.Parse(match.Groups["ms"].Value, CultureInfo.InvariantCulture), match.Groups["sql"].Value.Trim()));
            }
        }

        return statements;
    }

    private static async Task<IReadOnlyList<string>> ExplainAsync(string connectionString, Guid trialId, Case c, CancellationToken ct)
    {
        await using var connection = await OpenAsync(connectionString, ct);
        var lines = new List<string>();
        foreach (var sql in new[] { CountSql(c), PageSql(c) })
        {
            await using var command = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS) " + sql, connection);
            Bind(command.Parameters, trialId, c);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var plan = new List<string>();
            while (await reader.ReadAsync(ct))
            {
                plan.Add(reader.GetString(0));
            }

            lines.Add((sql.StartsWith("SELECT count", StringComparison.Ordinal) ? "count: " : "page: ") + plan[0].Trim());
            lines.AddRange(plan.Skip(1).Where(l => l.Contains("Scan", StringComparison.Ordinal) || l.Contains("Sort Method", StringComparison.Ordinal) || l.Contains("Heap Fetches", StringComparison.Ordinal)
                || l.Contains("Execution Time", StringComparison.Ordinal) || l.TrimStart().StartsWith("->", StringComparison.Ordinal) && l.Contains("Join", StringComparison.Ordinal)));
        }

        return lines;
    }

    // ---- The measured phase ----

    /// <summary>
    /// The plain count: the visible events, not joined to their participants (every event has one: participant_id is NOT NULL
    /// and a foreign key, so the join cannot change the count).
    /// </summary>
    private static string CountSql(Case c) =>
        $"""
        SELECT count(*)::int FROM adverse_events a
        WHERE a.trial_id = @trial{SiteFilter(c)}
        """;

    /// <summary>A coordinator's sites, as EF Core sends them: equality for one site, <c>= ANY</c> for several.</summary>
    private static string SiteFilter(Case c) => c.Viewer.SiteIds switch
    {
        null => string.Empty,
        { Length: 1 } => " AND a.site_id = @site",
        _ => " AND a.site_id = ANY (@sites)",
    };

    /// <summary>The plain page: every column of the event and the participant's screening number, newest first.</summary>
    private static string PageSql(Case c) =>
        $"""
        SELECT {string.Join(", ", Columns.Select(col => "a." + col))}, p.screening_number
        FROM adverse_events a JOIN participants p ON p.id = a.participant_id
        WHERE a.trial_id = @trial{SiteFilter(c)}
        ORDER BY a.created_at DESC, a.id DESC LIMIT @limit OFFSET @offset
        """;

    private static void Bind(NpgsqlParameterCollection parameters, Guid trialId, Case c)
    {
        parameters.AddWithValue("trial", trialId);
        if (c.Viewer.SiteIds is { Length: 1 } site)
        {
            parameters.AddWithValue("site", site[0]);
        }
        else if (c.Viewer.SiteIds is { } sites)
        {
            parameters.AddWithValue("sites", sites);
        }

        parameters.AddWithValue("limit", PageSize);
        parameters.AddWithValue("offset", c.Offset);
    }

    /// <summary>Clients GET the page, each with its own HttpClient (connection) and the viewer's token; every answer must be 200.</summary>
    private static async Task<RunResult> ApiAsync(Uri baseAddress, Guid trialId, Case c, BenchOptions options, CancellationToken ct)
    {
        var clients = Enumerable.Range(0, options.Clients).Select(_ => Client(baseAddress, c.Viewer.Token)).ToList();
        try
        {
            return await TimedAsync(options, clients, (client, token) => GetPageAsync(client, trialId, c.Page, token), ct);
        }
        finally
        {
            clients.ForEach(client => client.Dispose());
        }
    }

    /// <summary>
    /// Clients each hold one Npgsql connection and send, per request, the count and the page as one batch (one round trip),
    /// reading every value of every row.
    /// </summary>
    private static async Task<RunResult> PlainAsync(NpgsqlDataSource dataSource, Guid trialId, Case c, BenchOptions options, CancellationToken ct)
    {
        var connections = new List<NpgsqlConnection>();
        try
        {
            for (var i = 0; i < options.Clients; i++)
            {
                connections.Add(await dataSource.OpenConnectionAsync(ct));
            }

            return await TimedAsync(options, connections, async (connection, token) => await PlainPageAsync(connection, trialId, c, token), ct);
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private static async Task<(int Total, List<Guid> Ids)> PlainPageAsync(NpgsqlConnection connection, Guid trialId, Case c, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection);
        var count = new NpgsqlBatchCommand(CountSql(c));
        Bind(count.Parameters, trialId, c);
        var page = new NpgsqlBatchCommand(PageSql(c));
        Bind(page.Parameters, trialId, c);
        batch.BatchCommands.Add(count);
        batch.BatchCommands.Add(page);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var total = reader.GetInt32(0);
        await reader.NextResultAsync(ct);
        var ids = new List<Guid>(PageSize);
        var values = new object[reader.FieldCount];
        while (await reader.ReadAsync(ct))
        {
            reader.GetValues(values);
            ids.Add((Guid)values[0]);
        }

        return (total, ids);
    }

    private static async Task<(int Total, List<Guid> Ids)> GetPageAsync(HttpClient client, Guid trialId, int page, CancellationToken ct)
    {
        using var response = await client.GetAsync(new Uri($"/api/trials/{trialId}/adverse-events?page={page}&pageSize={PageSize}", UriKind.Relative), ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new BenchException($"{(int)response.StatusCode}: {body}");
        }

        using var document = JsonDocument.Parse(body);
        return (document.RootElement.GetProperty("total").GetInt32(),
            [.. document.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid())]);
    }

    /// <summary>Before measuring a case: the API and the plain query answer the same total and the same events in the same order.</summary>
    private static async Task<(string Check, bool Ok)> SameAnswerAsync(Uri baseAddress, NpgsqlDataSource dataSource, Guid trialId, Case c, CancellationToken ct)
    {
        using var client = Client(baseAddress, c.Viewer.Token);
        var (apiTotal, apiIds) = await GetPageAsync(client, trialId, c.Page, ct);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var (plainTotal, plainIds) = await PlainPageAsync(connection, trialId, c, ct);
        var ok = apiTotal == plainTotal && apiIds.Count == PageSize && apiIds.SequenceEqual(plainIds);
        return (string.Create(CultureInfo.InvariantCulture,
            $"{(ok ? "OK" : "FAILED")}: total {apiTotal} (plain {plainTotal}), {apiIds.Count} events, {(apiIds.SequenceEqual(plainIds) ? "the same ids in the same order" : "different ids")}"), ok);
    }

    /// <summary>A warm-up (not measured), then the timed phase: clients take requests until all are done; every latency is kept.</summary>
    private static async Task<RunResult> TimedAsync<TClient>(BenchOptions options, IReadOnlyList<TClient> clients, Func<TClient, CancellationToken, Task> request, CancellationToken ct)
    {
        await PhaseAsync(options.Warmup, clients, request, ct);
        var stopwatch = Stopwatch.StartNew();
        var (latencies, failures) = await PhaseAsync(options.Requests, clients, request, ct);
        stopwatch.Stop();
        Array.Sort(latencies);
        return new RunResult(latencies.Length, stopwatch.Elapsed, latencies, failures, AuditRowsAdded: 0);
    }

    private static async Task<(double[] LatenciesMs, IReadOnlyList<string> Failures)> PhaseAsync<TClient>(
        int count, IReadOnlyList<TClient> clients, Func<TClient, CancellationToken, Task> request, CancellationToken ct)
    {
        var latencies = new double[count];
        var failures = new ConcurrentQueue<string>();
        var next = -1;
        await Task.WhenAll(clients.Select(client => Task.Run(
            async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count)
                {
                    var started = Stopwatch.GetTimestamp();
                    try
                    {
                        await request(client, ct);
                    }
                    catch (Exception e) when (e is BenchException or HttpRequestException or NpgsqlException or JsonException
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

    // ---- The report ----

    private static string Table(IReadOnlyList<Measured> measured)
    {
        var inv = CultureInfo.InvariantCulture;
        var table = new StringBuilder();
        table.AppendLine("| case | side | requests | req/s | p50 (ms) | p95 (ms) | p99 (ms) |");
        table.AppendLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var m in measured)
        {
            foreach (var (side, run) in new[] { ("API (HTTP, EF Core)", m.Api), ("plain SQL (Npgsql)", m.Plain) })
            {
                table.AppendLine(inv, $"| {m.Case.Name} | {side} | {run.Requests} | {run.Throughput:0.0} | {run.Percentile(50):0.0} | {run.Percentile(95):0.0} | {run.Percentile(99):0.0} |");
            }
        }

        table.AppendLine();
        table.AppendLine("| case | API/plain throughput | API/plain p50 | API/plain p95 | API/plain p99 |");
        table.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var m in measured)
        {
            table.AppendLine(inv, $"| {m.Case.Name} | {m.Api.Throughput / m.Plain.Throughput:0.00}x | {m.Api.Percentile(50) / m.Plain.Percentile(50):0.00}x | " +
                $"{m.Api.Percentile(95) / m.Plain.Percentile(95):0.00}x | {m.Api.Percentile(99) / m.Plain.Percentile(99):0.00}x |");
        }

        return table.ToString().TrimEnd();
    }

    private static string Markdown(
        BenchOptions options, MachineInfo machine, string postgresVersion, IReadOnlyList<Measured> measured, IReadOnlyList<(Case Case, IReadOnlyList<string> Lines)> plans,
        SqlLog sqlLog, DataCheck data, int participants, int sites, TimeSpan loading, TimeSpan elapsed)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(inv, $"# Adverse-event list benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine();
        text.AppendLine(inv, $"`{options.CommandLine}`: {options.Clients} concurrent clients, {options.Warmup} warm-up requests (not measured), then " +
            $"{options.Requests} measured, per case and side; `GET /api/trials/{{trial}}/adverse-events?page=N&pageSize={PageSize}` on a trial with " +
            $"{Events:N0} adverse events ({participants:N0} participants at {sites} sites), read-only, against the same count and page in plain SQL.");
        text.AppendLine();
        text.AppendLine(Table(measured));
        text.AppendLine();
        text.AppendLine("Latency is measured by the client, per request (API) or per count-and-page batch (plain SQL); req/s is the measured count");
        text.AppendLine("over the wall time of the measured phase. Speed is reported here, never asserted by a test. The cases run one after the");
        text.AppendLine("other on the same data, each API run directly followed by its plain twin; nothing is written while they run.");
        text.AppendLine();
        Report.AppendMachine(text, machine, postgresVersion, options);
        text.AppendLine("## Workloads");
        text.AppendLine();
        text.AppendLine(inv, $"- **Set-up (not measured)**: through the API, three sites added to the demonstration trial (four in all), a DSMB member (every");
        text.AppendLine("  site) and a coordinator of the first site; one adverse event recorded through the API by the coordinator. In SQL,");
        text.AppendLine(inv, $"  {participants:N0} enrolled participants (40/30/20/10% over the sites, enrolled over two years), then {Events - 1:N0} adverse events and their");
        text.AppendLine(inv, $"  first versions in one set-based `INSERT ... SELECT` over `generate_series` ({loading.TotalSeconds:0.0} s), then `VACUUM (ANALYZE)`: a random participant each,");
        text.AppendLine("  entered between enrolment and yesterday, 40 common terms (skewed to the head of the list), grades 1-4 mostly 1-2 (no");
        text.AppendLine("  fatal events), about 10% serious with their criteria and sponsor clock, SUSARs (serious, related, not expected) with the");
        text.AppendLine("  regulators' clock, most reports sent in time; the version's report JSON shaped as the API writes it (checked below).");
        text.AppendLine("  No audit rows are written for the bulk-loaded events (the list does not read them).");
        text.AppendLine("- **API**: the API's Release build as its own process (Production environment, logging at Warning). Each client has its own");
        text.AppendLine(inv, $"  HttpClient with the viewer's bearer token and GETs the page (pageSize {PageSize}); every answer must be 200 and is read whole.");
        text.AppendLine("- **plain SQL**: each client holds one Npgsql connection and sends, per request, one batch of two statements: `SELECT count(*)`");
        text.AppendLine("  of the visible events (`WHERE trial_id = @trial`, not joined: every event has its participant, by foreign key), and the page");
        text.AppendLine("  (every event column and the participant's screening number, joined to participants, `ORDER BY created_at DESC, id DESC");
        text.AppendLine("  LIMIT 50 OFFSET n`), reading every value; the coordinator's add `AND site_id = @site`. No authentication, no access check,");
        text.AppendLine("  no JSON. Both answer the same total and the same events in the same order (checked before each case).");
        text.AppendLine();
        text.AppendLine("## What the API sends per request");
        text.AppendLine();
        text.AppendLine("One request per case with every statement logged (`log_min_duration_statement = 0`, server-side execution time):");
        text.AppendLine();
        foreach (var (name, statements) in sqlLog.Requests)
        {
            var each = string.Join("; ", statements.Select(s => string.Create(inv, $"{s.Ms:0.00} ms `{Abbreviate(s.Sql)}`")));
            text.AppendLine(inv, $"- {name}: {statements.Count} statements, {statements.Sum(s => s.Ms):0.0} ms in the database: {each}");
        }

        var listSql = sqlLog.Requests.SelectMany(r => r.Statements).Select(s => s.Sql).Where(s => s.Contains("adverse_events", StringComparison.Ordinal)).Distinct().ToList();
        if (listSql.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("The list's statements as EF Core sent them:");
            text.AppendLine();
            text.AppendLine("```sql");
            foreach (var sql in listSql)
            {
                text.AppendLine(sql.Trim());
                text.AppendLine();
            }

            text.Length -= Environment.NewLine.Length;
            text.AppendLine("```");
        }

        text.AppendLine();
        text.AppendLine("## Plans of the plain statements (EXPLAIN ANALYZE, once, before the runs; key lines)");
        text.AppendLine();
        foreach (var (c, lines) in plans)
        {
            text.AppendLine(inv, $"{c.Name}:");
            text.AppendLine();
            text.AppendLine("```");
            foreach (var line in lines)
            {
                text.AppendLine(line);
            }

            text.AppendLine("```");
            text.AppendLine();
        }

        text.AppendLine("## Verification");
        text.AppendLine();
        text.AppendLine(inv, $"- Data: {data.Summary}");
        foreach (var m in measured)
        {
            text.AppendLine(inv, $"- {m.Case.Name}: API and plain answer {m.Check}; API {m.Api.Failures.Count} failed{Report.FirstFailure(m.Api)}, " +
                $"plain {m.Plain.Failures.Count} failed{Report.FirstFailure(m.Plain)}");
        }

        text.AppendLine();
        text.AppendLine(inv, $"Set-up and all runs took {elapsed.TotalSeconds:0} s (the build not included).");
        return text.ToString();
    }

    private static string Abbreviate(string sql)
    {
        var flat = string.Join(' ', sql.Split(Whitespace, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= 90 ? flat : flat[..87] + "...";
    }

    // ---- Helpers ----

    private static HttpClient Client(Uri baseAddress, string token)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<JsonElement> SendAsync(HttpClient client, HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await client.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchException($"{method} {path} answered {(int)response.StatusCode}: {text}");
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
