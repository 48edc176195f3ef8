using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Npgsql;

namespace Edc.Bench;

/// <summary>
/// bench/adverse-events.sh: the adverse-event list (<c>GET /api/trials/{trial}/adverse-events</c>, pages 1 and 200 of 50) on a
/// trial with 100,000 adverse events, as the DSMB member (every site) and as a coordinator (one site), each case a read workload
/// of the suite, driven against the API and its twin. Read-only: every case runs on the same data.
/// </summary>
internal static class AdverseEventList
{
    public const int Events = 100_000;
    public const int ParticipantCount = 2_000;
    public const int PageSize = 50;

    private static readonly int[] Pages = [1, 200];

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

    /// <summary>The data (not measured), then one workload per viewer and page; the set-up's description for the results.</summary>
    public static async Task<(IReadOnlyList<Workload> Workloads, string Description)> SetUpAsync(Uri baseAddress, string connectionString, CancellationToken ct)
    {
        var (trialId, sites, dsmb, coordinator, coordinatorId) = await UsersAndSitesAsync(baseAddress, ct);
        await InsertParticipantsAsync(connectionString, trialId, sites, ct);
        var apiEvent = await RecordOneThroughApiAsync(baseAddress, coordinator, connectionString, trialId, sites[0], ct);
        var loading = Stopwatch.StartNew();
        await BulkLoadAsync(connectionString, trialId, coordinatorId, Events - 1, ct);
        loading.Stop();
        var data = await CheckDataAsync(connectionString, trialId, apiEvent, ct);
        Console.WriteLine($"Set up: {ParticipantCount} participants at {sites.Length} sites, {Events - 1} adverse events bulk-loaded in {loading.Elapsed.TotalSeconds:0.0} s; {data.Summary}");
        if (!data.Ok)
        {
            throw new BenchException("The bulk-loaded adverse events are not as the API writes them: " + data.Summary);
        }

        var viewers = new[] { ("DSMB member (all sites)", dsmb, new Dictionary<string, string>()), ("coordinator (site 1)", coordinator, new Dictionary<string, string> { ["X-Twin-Sites"] = sites[0].ToString() }) };
        var workloads = viewers.SelectMany(v => Pages.Select(page => new Workload(
            $"adverse-event list, {v.Item1}, page {page}",
            $"GET .../adverse-events?page={page}&pageSize={PageSize}",
            "one batch of two statements: the count of the visible events (not joined: every event has its participant, by foreign key) and the page " +
            "(every event column and the participant's screening number, newest first); a coordinator's site compared with `=`, as EF Core sends it; the page answered as JSON.",
            Workload.Same([Workload.Line("GET", $"/api/trials/{trialId}/adverse-events?page={page}&pageSize={PageSize}")]))
        {
            Token = v.Item2,
            Headers = v.Item3,
            Answer = e => $"total {e.GetProperty("total").GetInt32()}, {Workload.Digest(e.GetProperty("items"), "id")}",
        })).ToList();
        var description = string.Create(
            CultureInfo.InvariantCulture,
            $"**Trial**: the demonstration trial with three more sites; through the API a DSMB member (every site), a coordinator of the first site and one adverse event; " +
            $"in SQL {ParticipantCount:N0} enrolled participants (40/30/20/10% over the sites, enrolled over two years) and {Events - 1:N0} adverse events with their first " +
            $"versions, set-based ({loading.Elapsed.TotalSeconds:0.0} s), then `VACUUM (ANALYZE)`: 40 common terms, grades 1-4 mostly 1-2, about 10% serious with their " +
            $"criteria and clocks, SUSARs with the regulators' clock; the version's report JSON shaped as the API writes it. Data: {data.Summary}.");
        return (workloads, description);
    }


    // ---- Set-up (not measured) ----

    /// <summary>The demonstration trial with three more sites, a DSMB member and a coordinator of the first site, through the API.</summary>
    private static async Task<(Guid TrialId, Guid[] Sites, string Dsmb, string Coordinator, Guid CoordinatorId)> UsersAndSitesAsync(Uri baseAddress, CancellationToken ct)
    {
        using var admin = await Http.SignedInClientAsync(baseAddress, ApiProcess.AdminEmail, ApiProcess.AdminPassword, ct);
        var trials = await Http.SendAsync(admin, HttpMethod.Get, "/api/trials", null, ct);
        var trialId = trials.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("code").GetString() == "BELIMUMAB-DCSSC").GetProperty("id").GetGuid();
        var first = (await Http.SendAsync(admin, HttpMethod.Get, $"/api/trials/{trialId}/sites", null, ct)).GetProperty("items")[0].GetProperty("id").GetGuid();
        var sites = new List<Guid> { first };
        foreach (var (code, name) in new[] { ("UCL", "Royal Free Hospital, London"), ("CHA", "Charité Berlin"), ("MUG", "Medical University of Graz") })
        {
            sites.Add((await Http.SendAsync(admin, HttpMethod.Post, $"/api/trials/{trialId}/sites", new { code, name }, ct)).GetProperty("id").GetGuid());
        }

        var coordinatorId = (await Http.SendAsync(admin, HttpMethod.Post, "/api/users", new
        {
            email = "bench-ae-coordinator@edc.local",
            password = SuiteTrial.UserPassword,
            displayName = "Benchmark coordinator (site 1)",
            roles = new[] { "Coordinator" },
            siteIds = new[] { first },
        }, ct)).GetProperty("id").GetGuid();
        await Http.SendAsync(admin, HttpMethod.Post, "/api/users", new
        {
            email = "bench-ae-dsmb@edc.local",
            password = SuiteTrial.UserPassword,
            displayName = "Benchmark DSMB member",
            roles = new[] { "DsmbMember" },
            siteIds = Array.Empty<Guid>(),
        }, ct);

        using var dsmb = await Http.SignedInClientAsync(baseAddress, "bench-ae-dsmb@edc.local", SuiteTrial.UserPassword, ct);
        using var coordinator = await Http.SignedInClientAsync(baseAddress, "bench-ae-coordinator@edc.local", SuiteTrial.UserPassword, ct);
        return (trialId, [.. sites], dsmb.DefaultRequestHeaders.Authorization!.Parameter!, coordinator.DefaultRequestHeaders.Authorization!.Parameter!, coordinatorId);
    }

    /// <summary>
    /// Enrolled participants in SQL (registering thousands through the API would take longer than the measurement), 40/30/20/10%
    /// over the four sites, enrolled one after the other over the last two years.
    /// </summary>
    private static async Task InsertParticipantsAsync(string connectionString, Guid trialId, Guid[] sites, CancellationToken ct)
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

        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", coordinatorToken);
        var recorded = await Http.SendAsync(client, HttpMethod.Post, $"/api/trials/{trialId}/participants/{participant}/adverse-events", new
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

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

}
