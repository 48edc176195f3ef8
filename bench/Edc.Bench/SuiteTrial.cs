using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Edc.Bench;

/// <summary>
/// The suite's trial (the demonstration trial with a second site, 400 participants randomized through the API, each with its
/// visit schedule, a Day 0 MRSS and two adverse events) and the workloads on it, each defined once for both sides. A write's
/// template is one request of the workload sent to the API before the runs: the twin copies the rows the API wrote for it.
/// </summary>
internal sealed partial class SuiteTrial
{
    public const string UserPassword = "Bench-User-Password-2026";
    private const int RealisticParticipants = 400;
    private const int WorklistPageSize = 50;

    // The first-save pools hold, per side, this many requests a second over the warm-up and the timed run (fewer: EXHAUSTED).
    private const int MrssPerSecond = 1000;
    private const int RandomizationsPerSecond = 400;

    private static readonly string[] MrssAreas =
    [
        "face", "anteriorChest", "abdomen", "rightFingers", "leftFingers", "rightHand", "leftHand", "rightForearm", "leftForearm",
        "rightUpperArm", "leftUpperArm", "rightThigh", "leftThigh", "rightLowerLeg", "leftLowerLeg", "rightFoot", "leftFoot",
    ];

    private readonly string _connectionString;
    private readonly BenchOptions _options;
    private readonly Suite _suite;
    private readonly HttpClient _coordinator;
    private readonly HttpClient _statistician;
    private readonly Guid _trial;
    private readonly string _today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private readonly Place _demo;
    private IReadOnlyList<Guid> _realistic = [];

    private SuiteTrial(string connectionString, BenchOptions options, Suite suite, HttpClient coordinator, HttpClient statistician, Guid trial, Guid[] sites)
    {
        (_connectionString, _options, _suite, _coordinator, _statistician, _trial) = (connectionString, options, suite, coordinator, statistician, trial);
        _demo = new Place(trial, sites, coordinator);
    }

    /// <summary>A trial the suite writes to: the sites its participants are enrolled at, and the coordinator of those sites who sends its requests.</summary>
    private sealed record Place(Guid Trial, Guid[] Sites, HttpClient Coordinator)
    {
        public string Path => $"/api/trials/{Trial}";

        public string Token => Coordinator.DefaultRequestHeaders.Authorization!.Parameter!;

        /// <summary>The twin's context: the coordinator's sites, and the row a write copies.</summary>
        public Dictionary<string, string> TwinHeaders(Guid? template = null)
        {
            var headers = new Dictionary<string, string> { ["X-Twin-Sites"] = string.Join(',', Sites) };
            if (template is { } key)
            {
                headers["X-Twin-Template"] = key.ToString();
            }

            return headers;
        }
    }

    /// <summary>The trials the workloads ran on: the demonstration trial, and the forms trial when a forms workload set it up.</summary>
    public IReadOnlyList<string> Descriptions => _formsTrial is null ? [Description] : [Description, FormsDescription];

    private static string Description =>
        $"**Trial**: the demonstration trial with a second site, {RealisticParticipants} participants (inserted in SQL as Enrolled, sites alternating) " +
        "randomized through the API, a Day 0 MRSS and two adverse events each through the API. The coordinator (both sites) sends every request " +
        "but the safety summaries' (the statistician). Each write's template is one request of the workload sent to the API before the runs; " +
        "the twin copies the rows and audit rows the API wrote for it, column by column with new ids. Each write of the twin is one transaction, " +
        "its BEGIN sent with its first statement and its COMMIT with its last batch, as the API's (AuditedTransaction): neither holds the audit " +
        "chain's lock while an answer travels back.";

    private string Trial => $"/api/trials/{_trial}";

    private string CoordinatorToken => _coordinator.DefaultRequestHeaders.Authorization!.Parameter!;

    /// <summary>The coordinator's sites, as the twin's context.</summary>
    private Dictionary<string, string> Sites(Guid? template = null) => _demo.TwinHeaders(template);

    public IEnumerable<(string Key, Func<CancellationToken, Task<Workload>> Prepare)> Workloads =>
    [
        ("ceiling", _ => Task.FromResult(Ceiling())),
        ("casebook", _ => Task.FromResult(Casebook())),
        ("worklist", WorklistAsync),
        ("adverse-event-entry", AdverseEventEntryAsync),
        ("mrss", MrssAsync),
        ("randomization", RandomizationAsync),
        ("safety-summary", _ => Task.FromResult(SafetySummary())),
        ("casebook-page", CasebookPageAsync),
        ("mrss-form", MrssFormAsync),
        ("grid", GridAsync),
        ("form-save", FormSaveAsync),
        ("form-edit", FormEditAsync),
    ];

    public static async Task<SuiteTrial> SetUpAsync(Uri baseAddress, string connectionString, BenchOptions options, Suite suite, CancellationToken ct)
    {
        using var admin = await Http.SignedInClientAsync(baseAddress, ApiProcess.AdminEmail, ApiProcess.AdminPassword, ct);
        var trials = await Http.SendAsync(admin, HttpMethod.Get, "/api/trials", null, ct);
        var trialId = trials.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("code").GetString() == "BELIMUMAB-DCSSC").GetProperty("id").GetGuid();
        var site1 = (await Http.SendAsync(admin, HttpMethod.Get, $"/api/trials/{trialId}/sites", null, ct)).GetProperty("items")[0].GetProperty("id").GetGuid();
        var site2 = (await Http.SendAsync(admin, HttpMethod.Post, $"/api/trials/{trialId}/sites", new { code = "BENCH2", name = "Benchmark second site" }, ct)).GetProperty("id").GetGuid();
        foreach (var (email, name, role, sites) in new[] { ("bench-coordinator@edc.local", "Benchmark coordinator", "Coordinator", new[] { site1, site2 }), ("bench-statistician@edc.local", "Benchmark statistician", "UnblindedStatistician", Array.Empty<Guid>()) })
        {
            await Http.SendAsync(admin, HttpMethod.Post, "/api/users", new { email, password = UserPassword, displayName = name, roles = new[] { role }, siteIds = sites }, ct);
        }

        var statistician = await Http.SignedInClientAsync(baseAddress, "bench-statistician@edc.local", UserPassword, ct);
        await Http.SendAsync(statistician, HttpMethod.Post, $"/api/trials/{trialId}/randomization-list", new { seed = 20261121, blockSizes = new[] { 2, 4 }, slotsPerStratum = 10_000 }, ct);
        var coordinator = await Http.SignedInClientAsync(baseAddress, "bench-coordinator@edc.local", UserPassword, ct);
        var trial = new SuiteTrial(connectionString, options, suite, coordinator, statistician, trialId, [site1, site2]);

        var realistic = await trial.EnrollAsync(trial._demo, "R", RealisticParticipants, ct);
        await trial.RandomizeAsync(trial._demo, realistic, ct);
        await ParallelAsync(realistic.Count, i => coordinator.PutAsJsonAsync(
            new Uri($"{trial.Trial}/participants/{realistic[i]}/visits/D0/mrss", UriKind.Relative),
            new { assessedOn = trial._today, assessorName = "Dr Setup", scores = MrssAreas.ToDictionary(a => a, a => (a.Length + i) % 4) }, ct), "D0 MRSS");
        await ParallelAsync(realistic.Count * 2, i => coordinator.PostAsJsonAsync(
            new Uri($"{trial.Trial}/participants/{realistic[i / 2]}/adverse-events", UriKind.Relative),
            new { term = i % 2 == 0 ? "Nausea" : "Fatigue", onsetDate = trial._today, ongoing = true, grade = 1 + (i % 2), serious = false, relatedness = "Possible", actionTaken = "DoseNotChanged", outcome = "Recovering" }, ct),
            "adverse event");
        trial._realistic = realistic;
        return trial;
    }

    // ---- the workloads ----

    private Workload Ceiling() => new(
        "ceiling (pipeline only)",
        "GET /health/live",
        "the API runs no health check there, only its pipeline (authentication: the bearer token, then its session, read once and kept by the instance; routing, middleware); the twin answers `Healthy` from a bare endpoint.",
        Workload.Same([Workload.Line("GET", "/health/live")]))
    {
        Token = CoordinatorToken,
    };

    private Workload Casebook() => new(
        "participant casebook",
        "GET .../participants/{id}/casebook",
        $"cycling over the {RealisticParticipants}; two statements, as the handler's: the participant (at the caller's sites) with its trial " +
        "and its visits ordered by day, each with its MRSS (date, total) and its infusion (left joins), then its adverse events; answered as JSON.",
        Workload.Same([.. _realistic.Select(p => Workload.Line("GET", $"{Trial}/participants/{p}/casebook"))]))
    {
        Token = CoordinatorToken,
        Headers = Sites(),
        // The API lists the MRSS and the infusions apart; the twin answers them on their visits' rows.
        Answer = e =>
        {
            var visits = e.GetProperty("visits").EnumerateArray().ToList();
            var (mrss, infusions) = e.TryGetProperty("mrss", out var apart)
                ? (apart.GetArrayLength(), e.GetProperty("infusions").GetArrayLength())
                : (visits.Count(v => v.GetProperty("mrssTotal").ValueKind != JsonValueKind.Null), visits.Count(v => v.GetProperty("infusion").ValueKind != JsonValueKind.Null));
            return $"{visits.Count} visits, {mrss} MRSS, {infusions} infusions, {e.GetProperty("adverseEvents").GetArrayLength()} adverse events";
        },
    };

    private async Task<Workload> WorklistAsync(CancellationToken ct)
    {
        var first = await Http.SendAsync(_coordinator, HttpMethod.Get, $"{Trial}/visit-worklist?page=1&pageSize={WorklistPageSize}", null, ct);
        var total = first.GetProperty("total").GetInt32();
        var pages = (int)Math.Clamp(Math.Ceiling(total / (double)WorklistPageSize), 1, 20);
        return new Workload(
            "visit worklist",
            $"GET .../visit-worklist (pages 1-{pages} of {WorklistPageSize}, {total} open visits)",
            "cycling over the pages; one statement, as the handler's: the page (scheduled visits of randomized participants at the caller's sites, " +
            "window start before today + 14, ordered by urgency) with its total on every row (count(*) OVER ()); the page answered as JSON.",
            Workload.Same([.. Enumerable.Range(1, pages).Select(p => Workload.Line("GET", $"{Trial}/visit-worklist?page={p}&pageSize={WorklistPageSize}"))]))
        {
            Token = CoordinatorToken,
            Headers = Sites(),
            Answer = e => $"total {e.GetProperty("total").GetInt32()}, {Workload.Digest(e.GetProperty("items"), "participantId", "visitCode")}",
        };
    }

    private async Task<Workload> AdverseEventEntryAsync(CancellationToken ct)
    {
        var body = $"{{\"term\":\"Headache\",\"onsetDate\":\"{_today}\",\"ongoing\":true,\"grade\":1,\"serious\":false,\"relatedness\":\"Unlikely\",\"actionTaken\":\"DoseNotChanged\",\"outcome\":\"NotRecovered\"}}";
        var lines = _realistic.Select(p => Workload.Line("POST", $"{Trial}/participants/{p}/adverse-events", body)).ToList();
        using var template = JsonDocument.Parse(await Suite.SendAsync(_coordinator, lines[0], ct));
        return new Workload(
            "adverse-event entry",
            "POST .../adverse-events",
            $"a non-serious event per request, for the {RealisticParticipants} participants in turn; one transaction: the trial `FOR SHARE`, the participant `FOR UPDATE`, " +
            "then one batch inserting the event, its first version and the audit rows (the template's), ending with the `COMMIT`.",
            Workload.Same(lines))
        {
            Token = CoordinatorToken,
            Headers = Sites(template.RootElement.GetProperty("id").GetGuid()),
            Rows = "SELECT count(*) FROM adverse_events",
            RowsName = "adverse events",
        };
    }

    private async Task<Workload> MrssAsync(CancellationToken ct)
    {
        // Six visits with MRSS a participant: a pool randomized through the API (not measured), a first save per visit.
        var perSide = Suite.CaptureRepeats + MrssPerSecond * (_options.WarmupSeconds + _options.Duration);
        var pool = await EnrollAsync(_demo, "M", (2 * perSide / 6) + 2, ct);
        await RandomizeAsync(_demo, pool, ct);
        var scores = "{" + string.Join(',', MrssAreas.Select((a, i) => $"\"{a}\":{i % 4}")) + "}";
        var body = $"{{\"assessedOn\":\"{_today}\",\"assessorName\":\"Dr Benchmark\",\"scores\":{scores}}}";
        var lines = (await VisitsAsync(pool, MrssVisits, ct)).Select(v => Workload.Line("PUT", $"{Trial}/participants/{v.Participant}/visits/{v.Code}/mrss", body)).ToList();
        await Suite.SendAsync(_coordinator, lines[0], ct);
        return new Workload(
            "MRSS entry",
            "PUT .../visits/{code}/mrss (first save)",
            "a first save per request, each for a distinct visit with MRSS, half of the pool a side; one transaction: the trial `FOR SHARE`, the participant, " +
            "the visit, the existing assessment (none), then one batch inserting the assessment and the audit rows (the template's), ending with the `COMMIT`.",
            Workload.Split([.. lines.Skip(1)], MrssPerSecond * _options.WarmupSeconds))
        {
            Walk = true,
            Token = CoordinatorToken,
            Headers = Sites(await GuidAsync("SELECT id FROM mrss_assessments WHERE assessor_name = 'Dr Benchmark'", ct)),
            Rows = "SELECT count(*) FROM mrss_assessments",
            RowsName = "assessments",
        };
    }

    private async Task<Workload> RandomizationAsync(CancellationToken ct)
    {
        var perSide = Suite.CaptureRepeats + RandomizationsPerSecond * (_options.WarmupSeconds + _options.Duration);
        var enrolled = await EnrollAsync(_demo, "Z", 2 * perSide + 1, ct);
        await EnsureSlotsAsync(_trial, enrolled.Count, ct);
        var lines = enrolled.Select(p => Workload.Line("POST", $"{Trial}/participants/{p}/randomization")).ToList();
        await Suite.SendAsync(_coordinator, lines[0], ct);
        var allocated = $"SELECT count(*) FROM randomization_slots WHERE trial_id = '{_trial}' AND participant_id IS NOT NULL";
        return new Workload(
            "randomization",
            "POST .../participants/{id}/randomization",
            "distinct enrolled participants, half a side, from the same list and stratum; one transaction: the trial `FOR SHARE`, the participant `FOR UPDATE`, " +
            "the stratum's advisory lock, the first free slot, then one batch (the slot, the participant, the visit schedule in one `INSERT ... SELECT` from " +
            "the visit definitions, the audit rows: the template's, the `COMMIT`).",
            Workload.Split([.. lines.Skip(1)], RandomizationsPerSecond * _options.WarmupSeconds))
        {
            Walk = true,
            Token = CoordinatorToken,
            Headers = Sites(enrolled[0]),
            Rows = allocated,
            RowsName = "slots allocated",
            After = async token =>
            {
                var wrong = await _suite.ScalarAsync(
                    $"""
                    SELECT (SELECT count(*) FROM (SELECT participant_id FROM randomization_slots WHERE trial_id = '{_trial}' AND participant_id IS NOT NULL GROUP BY 1 HAVING count(*) > 1) d)
                         + (SELECT count(*) FROM randomization_slots s WHERE s.trial_id = '{_trial}' AND s.participant_id IS NULL
                            AND s.sequence < (SELECT max(sequence) FROM randomization_slots WHERE trial_id = '{_trial}' AND participant_id IS NOT NULL))
                         + (SELECT count(*) FROM randomization_slots s JOIN participants p ON p.id = s.participant_id
                            WHERE s.trial_id = '{_trial}' AND (p.randomization_number IS DISTINCT FROM s.randomization_number OR p.kit_number IS DISTINCT FROM s.kit_number))
                    """,
                    token);
                return (wrong == 0, wrong == 0 ? "OK list: no slot used twice, none skipped, every participant's number its slot's" : $"FAILED list: {wrong} slots used twice, skipped or not the participant's");
            },
        };
    }

    private Workload SafetySummary() => new(
        "safety-summary generation",
        "POST .../safety-summaries",
        "as the statistician, every request a new snapshot of the whole trial: the API's summary statement (SafetySummarySql) in a REPEATABLE READ " +
        "transaction, then the summary's row inserted in a transaction of its own (the API's also writes its audit row and notifies the readers).",
        Workload.Same([Workload.Line("POST", $"{Trial}/safety-summaries", "{}")]))
    {
        Token = _statistician.DefaultRequestHeaders.Authorization!.Parameter!,
        Rows = "SELECT count(*) FROM safety_summaries",
        RowsName = "summaries",
    };

    // ---- the web pages, each beside the API's endpoint for the same use case ----

    private async Task<Workload> CasebookPageAsync(CancellationToken ct)
    {
        using var web = await WebSession.SignInAsync(_coordinator.BaseAddress!, "bench-coordinator@edc.local", UserPassword, ct);
        return new Workload(
            "casebook page (web)",
            "GET /trials/{t}/participants/{id} (HTML), the coordinator's cookie session",
            $"the API's GET .../casebook (JSON) for the same {RealisticParticipants} participants with the same cookie session: the page's cost over its data's.",
            (side, _) => side == Side.Api
                ? [.. _realistic.Select(p => Workload.Line("GET", $"/trials/{_trial}/participants/{p}"))]
                : [.. _realistic.Select(p => Workload.Line("GET", $"{Trial}/participants/{p}/casebook"))])
        {
            TwinIsApi = true,
            Headers = new Dictionary<string, string> { ["Cookie"] = web.Cookie },
        };
    }

    private async Task<Workload> MrssFormAsync(CancellationToken ct)
    {
        var perSide = Suite.CaptureRepeats + MrssPerSecond * (_options.WarmupSeconds + _options.Duration);
        var pool = await EnrollAsync(_demo, "W", (2 * perSide / 6) + 2, ct);
        await RandomizeAsync(_demo, pool, ct);
        var visits = await VisitsAsync(pool, MrssVisits, ct);
        using var web = await WebSession.SignInAsync(_coordinator.BaseAddress!, "bench-coordinator@edc.local", UserPassword, ct);

        // The form as the page gives it (its hidden fields and anti-forgery token), filled as a person fills it.
        var first = $"/trials/{_trial}/participants/{visits[0].Participant}/visits/{visits[0].Code}/mrss";
        var html = await web.HtmlAsync(first, ct);
        var form = await web.FormAsync(first, ct);
        foreach (var (name, i) in WebSession.NamesOfType(html, "number").Select((n, i) => (n, i)))
        {
            form[name] = (i % 4).ToString(CultureInfo.InvariantCulture);
        }

        foreach (var name in WebSession.NamesOfType(html, "date"))
        {
            form[name] = _today;
        }

        foreach (var name in WebSession.NamesOfType(html, "text"))
        {
            form[name] = "Dr Benchmark";
        }

        var page = await new FormUrlEncodedContent(form).ReadAsStringAsync(ct);
        var scores = "{" + string.Join(',', MrssAreas.Select((a, i) => $"\"{a}\":{i % 4}")) + "}";
        var json = $"{{\"assessedOn\":\"{_today}\",\"assessorName\":\"Dr Benchmark\",\"scores\":{scores}}}";
        var warmup = MrssPerSecond * _options.WarmupSeconds;
        var pagePosts = Workload.Split([.. visits.Select(v => Workload.Line("POST", $"/trials/{_trial}/participants/{v.Participant}/visits/{v.Code}/mrss", page))], warmup);
        var apiPuts = Workload.Split([.. visits.Select(v => Workload.Line("PUT", $"{Trial}/participants/{v.Participant}/visits/{v.Code}/mrss", json))], warmup);
        return new Workload(
            "MRSS form post (web)",
            "POST /trials/{t}/participants/{id}/visits/{code}/mrss (the form, urlencoded, anti-forgery token), the coordinator's cookie session (first save)",
            "the API's PUT .../visits/{code}/mrss (JSON) with the same cookie session, the other half of the pool's visits (first save): the page's cost over the API's.",
            (side, phase) => side == Side.Api ? pagePosts(side, phase) : apiPuts(side, phase))
        {
            Walk = true,
            TwinIsApi = true,
            Headers = new Dictionary<string, string> { ["Cookie"] = web.Cookie },
            Rows = "SELECT count(*) FROM mrss_assessments",
            RowsName = "assessments",
        };
    }

    // ---- set-up helpers (not measured) ----

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

    private async Task RandomizeAsync(Place place, IReadOnlyList<Guid> participants, CancellationToken ct)
    {
        await EnsureSlotsAsync(place.Trial, participants.Count, ct);
        await ParallelAsync(participants.Count, i => place.Coordinator.PostAsync(new Uri($"{place.Path}/participants/{participants[i]}/randomization", UriKind.Relative), null, ct), "randomization");
    }

    /// <summary>Extends the list (10,000 slots a request, the API's limit) until it has this many free slots.</summary>
    private async Task EnsureSlotsAsync(Guid trial, int needed, CancellationToken ct)
    {
        var free = await _suite.ScalarAsync($"SELECT count(*) FROM randomization_slots WHERE trial_id = '{trial}' AND participant_id IS NULL", ct);
        for (; free < needed; free += 10_000)
        {
            await Http.SendAsync(_statistician, HttpMethod.Post, $"/api/trials/{trial}/randomization-list/extension", new { slots = 10_000 }, ct);
        }
    }

    /// <summary>Enrolled participants in SQL, the place's sites in turn, in screening-number order (not measured).</summary>
    private async Task<IReadOnlyList<Guid>> EnrollAsync(Place place, string prefix, int count, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO participants (id, trial_id, site_id, screening_number, sex, birth_year, status, registered_at, consent_date,
                                      eligibility, strata, stratum_key, enrolled_at)
            SELECT gen_random_uuid(), @trial, (@sites::uuid[])[1 + g % cardinality(@sites::uuid[])], @prefix || '-' || lpad(g::text, 6, '0'),
                   CASE WHEN g % 5 = 0 THEN 'M' ELSE 'F' END, 1950 + g % 40, 'Enrolled', now(), current_date, '{}'::jsonb, '{}'::jsonb, '', now()
            FROM generate_series(1, @count) AS g
            RETURNING id, screening_number
            """,
            connection);
        command.Parameters.AddWithValue("trial", place.Trial);
        command.Parameters.AddWithValue("sites", place.Sites);
        command.Parameters.AddWithValue("prefix", "BENCH-" + prefix);
        command.Parameters.AddWithValue("count", count);
        var rows = new List<(string Number, Guid Id)>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                rows.Add((reader.GetString(1), reader.GetGuid(0)));
            }
        }

        return [.. rows.OrderBy(r => r.Number, StringComparer.Ordinal).Select(r => r.Id)];
    }

    private const string MrssVisits = "'Mrss' = ANY (procedures)";

    /// <summary>The pool's visits that meet the condition, by participant then day.</summary>
    private async Task<IReadOnlyList<(Guid Participant, string Code)>> VisitsAsync(IReadOnlyList<Guid> pool, string condition, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand($"SELECT participant_id, code FROM visits WHERE participant_id = ANY (@ids) AND {condition} ORDER BY day", connection);
        command.Parameters.AddWithValue("ids", pool.ToArray());
        var byParticipant = new Dictionary<Guid, List<string>>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var participant = reader.GetGuid(0);
                if (!byParticipant.TryGetValue(participant, out var codes))
                {
                    byParticipant[participant] = codes = [];
                }

                codes.Add(reader.GetString(1));
            }
        }

        return [.. pool.SelectMany(p => (byParticipant.GetValueOrDefault(p) ?? []).Select(code => (p, code)))];
    }

    private async Task<Guid> GuidAsync(string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return (Guid)(await command.ExecuteScalarAsync(ct) ?? throw new BenchException("No row: " + sql));
    }
}

/// <summary>Set-up requests to the API.</summary>
internal static class Http
{
    public static async Task<HttpClient> SignedInClientAsync(Uri baseAddress, string email, string password, CancellationToken ct)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var token = (await SendAsync(client, HttpMethod.Post, "/api/auth/login", new { email, password }, ct)).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static async Task<JsonElement> SendAsync(HttpClient client, HttpMethod method, string path, object? body, CancellationToken ct)
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
