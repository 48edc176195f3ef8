using System.Data;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Edc.Bench;
using Edc.Infrastructure.Database;
using Edc.Infrastructure.Safety;
using Npgsql;

// Safety summary generation time against trial size: see README.md, "Benchmarks". Options (all optional):
//   --sizes 1000,10000,100000  --repeats 5  --fast (fsync off)  --keep-report (write the 10,000 trial's closed report)  --note "text"
var sizes = new List<int> { 1_000, 10_000, 100_000 };
var repeats = 5;
var fast = false;
string? note = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--sizes":
            sizes = [.. args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
            break;
        case "--repeats":
            repeats = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--fast":
            fast = true;
            break;
        case "--note":
            note = args[++i];
            break;
        default:
            Console.Error.WriteLine($"Unknown option {args[i]}. Options: --sizes 1000,10000,100000 --repeats 5 --fast --note \"text\"");
            return 2;
    }
}

var total = Stopwatch.StartNew();
using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(30));
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
var ct = stop.Token;
var root = FindRoot();
var machine = await MachineInfo.SampleAsync(ct);
Console.WriteLine($"Machine: {machine.Cpus} CPUs, {machine.MemoryGiB:0.0} GiB, CPU busy before start {machine.BusyBeforeStartPercent:0}%");

var folder = Path.Combine(Path.GetTempPath(), "edc-summary-bench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(folder);
LocalPostgres? database = null;
ApiProcess? api = null;
try
{
    database = await LocalPostgres.StartAsync(folder, LocalPostgres.FindFreePort(), durable: !fast, cancellationToken: ct);
    await database.CreateDatabaseIfMissingAsync("edc_bench", ct);
    var connectionString = database.ConnectionString("edc_bench");
    api = await ApiProcess.StartAsync(root, connectionString, "edc-summary-bench-api", null, ct);
    Console.WriteLine($"PostgreSQL {folder} ({(fast ? "fsync off" : "durable")}); API {api.BaseAddress}");

    var admin = await LoginAsync(api.BaseAddress, ApiProcess.AdminEmail, ApiProcess.AdminPassword, ct);
    var statistician = await UserAsync(api.BaseAddress, admin, "UnblindedStatistician", ct);
    var board = await UserAsync(api.BaseAddress, admin, "DsmbMember", ct);

    // Every trial is loaded first, then each is timed: the database holds all of them, as a real one holds many trials.
    var trials = new List<Trial>();
    foreach (var size in sizes)
    {
        var trial = await CreateTrialAsync(admin, statistician, size, ct);
        var loading = Stopwatch.StartNew();
        var rows = await LoadAsync(connectionString, trial, size, ct);
        Console.WriteLine($"Loaded trial of {size:N0} participants in {loading.Elapsed.TotalSeconds:0.0} s: {rows}");
        trials.Add(trial with { Rows = rows });
    }

    await ExecuteAsync(connectionString, "VACUUM ANALYZE", ct);

    var results = new List<Result>();
    foreach (var trial in trials)
    {
        // One warm-up of each path, then the repeats; the median is reported.
        await PostAsync(board, trial, ct);
        await SqlOnlyAsync(connectionString, trial, ct);
        var apiTimes = new List<double>();
        var sqlTimes = new List<double>();
        for (var r = 0; r < repeats; r++)
        {
            apiTimes.Add(await PostAsync(board, trial, ct));
            sqlTimes.Add(await SqlOnlyAsync(connectionString, trial, ct));
        }

        var result = new Result(trial, Median(apiTimes), apiTimes.Min(), apiTimes.Max(), Median(sqlTimes), sqlTimes.Min(), sqlTimes.Max());
        results.Add(result);
        Console.WriteLine(F($"{trial.Size,9:N0} participants: POST {result.ApiMedian,8:0.0} ms (min {result.ApiMin:0.0}, max {result.ApiMax:0.0}); SQL statement {result.SqlMedian,8:0.0} ms"));
    }

    // The 10,000 trial's report, open and closed, for a look in a browser (bench/results is kept small: not written there).
    var middle = trials.FirstOrDefault(t => t.Size == 10_000) ?? trials[0];
    var list = await board.GetFromJsonAsync<JsonElement>($"/api/trials/{middle.Id}/safety-summaries?pageSize=1", ct);
    var latest = list.GetProperty("items")[0].GetProperty("id").GetString();
    foreach (var (client, view) in new[] { (board, "open"), (statistician, "closed") })
    {
        var html = await client.GetStringAsync($"/api/trials/{middle.Id}/safety-summaries/{latest}/report?view={view}", ct);
        var file = Path.Combine(Path.GetTempPath(), $"edc-safety-summary-{middle.Size}-{view}.html");
        await File.WriteAllTextAsync(file, html, ct);
        Console.WriteLine($"Report ({view}): {file}");
    }

    var version = await ScalarAsync<string>(connectionString, "SHOW server_version", ct);
    var markdown = Markdown(results, machine, version, fast, repeats, note, total.Elapsed);
    var resultsFile = Path.Combine(root, "bench", "results", DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "-safety-summary.md");
    Directory.CreateDirectory(Path.GetDirectoryName(resultsFile)!);
    await File.WriteAllTextAsync(resultsFile, markdown, CancellationToken.None);
    Console.WriteLine();
    Console.WriteLine(markdown);
    Console.WriteLine($"Written to {resultsFile}");
    return 0;
}
catch (Exception e) when (e is BenchException or ApiProcessException or LocalPostgresException or HttpRequestException or NpgsqlException)
{
    Console.Error.WriteLine(e.Message);
    if (api is not null)
    {
        Console.Error.WriteLine(api.OutputTail());
    }

    return 1;
}
finally
{
    if (api is not null)
    {
        await api.DisposeAsync();
    }

    if (database is not null)
    {
        await database.DisposeAsync();
    }

    try
    {
        Directory.Delete(folder, recursive: true);
    }
    catch (IOException)
    {
    }
    catch (UnauthorizedAccessException)
    {
    }
}

static string FindRoot()
{
    var directory = new DirectoryInfo(AppContext.BaseDirectory);
    while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Edc.sln")))
    {
        directory = directory.Parent;
    }

    return directory?.FullName ?? throw new BenchException("Run from the repository (no Edc.sln above the binary).");
}

static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static async Task<HttpClient> LoginAsync(Uri baseAddress, string email, string password, CancellationToken ct)
{
    var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(10) };
    var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password }, ct);
    response.EnsureSuccessStatusCode();
    var token = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("accessToken").GetString();
    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    return client;
}

static async Task<HttpClient> UserAsync(Uri baseAddress, HttpClient admin, string role, CancellationToken ct)
{
    var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@bench.local";
    const string password = "Bench-User-Password-2026";
    var created = await admin.PostAsJsonAsync("/api/users", new { email, password, displayName = "Bench " + role, roles = new[] { role }, siteIds = Array.Empty<Guid>() }, ct);
    await EnsureAsync(created, "create a user");
    return await LoginAsync(baseAddress, email, password, ct);
}

static async Task EnsureAsync(HttpResponseMessage response, string what)
{
    if (!response.IsSuccessStatusCode)
    {
        throw new BenchException($"Could not {what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}

// The trial and its list through the API (so the definition, the list and its group key are the product's own);
// the participants and their data in SQL, below.
static async Task<Trial> CreateTrialAsync(HttpClient admin, HttpClient statistician, int size, CancellationToken ct)
{
    var code = $"BENCH-SS-{size}-{Guid.NewGuid().ToString("N")[..4].ToUpperInvariant()}";
    var created = await admin.PostAsJsonAsync("/api/trials", new
    {
        code,
        title = $"Safety summary benchmark, {size:N0} participants",
        arms = new[] { new { code = "ACT", name = "Active 10 mg/kg", ratio = 1 }, new { code = "PBO", name = "Placebo", ratio = 1 } },
        visitDefinitions = Visits.Select(v => new { code = v.Code, name = v.Name, day = v.Day, windowBefore = 3, windowAfter = 3, procedures = v.Procedures }).ToArray(),
        eligibilityCriteria = new[] { new { code = "INC_ADULT", kind = "Inclusion", text = "Aged 18 or older" } },
        stratificationFactors = Array.Empty<object>(),
        sites = new[] { new { code = "B1", name = "Bench site" } },
    }, ct);
    await EnsureAsync(created, "create a trial");
    var id = (await created.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid();
    var sites = await admin.GetFromJsonAsync<JsonElement>($"/api/trials/{id}/sites", ct);
    var siteId = sites.GetProperty("items")[0].GetProperty("id").GetGuid();
    var list = await statistician.PostAsJsonAsync($"/api/trials/{id}/randomization-list", new { blockSizes = new[] { 2, 4 }, slotsPerStratum = 4 }, ct);
    await EnsureAsync(list, "create the randomization list");
    return new Trial(id, siteId, size, string.Empty);
}

static async Task<double> PostAsync(HttpClient board, Trial trial, CancellationToken ct)
{
    var watch = Stopwatch.StartNew();
    var response = await board.PostAsync($"/api/trials/{trial.Id}/safety-summaries", null, ct);
    watch.Stop();
    if (response.StatusCode != HttpStatusCode.Created)
    {
        throw new BenchException($"POST safety-summaries answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
    }

    return watch.Elapsed.TotalMilliseconds;
}

// The same statement the API runs, alone: REPEATABLE READ, computed and discarded.
static async Task<double> SqlOnlyAsync(string connectionString, Trial trial, CancellationToken ct)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync(ct);
    await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
    await using (var settings = new NpgsqlCommand(SafetySummarySql.SessionSettings, connection, transaction))
    {
        await settings.ExecuteNonQueryAsync(ct);
    }

    await using var command = new NpgsqlCommand(SafetySummarySql.Statement, connection, transaction) { CommandTimeout = 600 };
    command.Parameters.AddWithValue("trial_id", trial.Id);
    var watch = Stopwatch.StartNew();
    await using (var reader = await command.ExecuteReaderAsync(ct))
    {
        await reader.ReadAsync(ct);
        _ = reader.GetString(1);
    }

    watch.Stop();
    await transaction.RollbackAsync(ct);
    return watch.Elapsed.TotalMilliseconds;
}

static async Task ExecuteAsync(string connectionString, string sql, CancellationToken ct)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync(ct);
    await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 1800 };
    await command.ExecuteNonQueryAsync(ct);
}

static async Task<T> ScalarAsync<T>(string connectionString, string sql, CancellationToken ct)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync(ct);
    await using var command = new NpgsqlCommand(sql, connection);
    return (T)(await command.ExecuteScalarAsync(ct))!;
}

// Bulk load in one transaction with generate_series: the randomized participants (their slots continue the list, arms
// alternating), 5% more who never were randomized, four visits each, MRSS at three, infusions at three, and on average
// 1.5 adverse events each (about 6% serious, with reporting clocks; SUSARs; a fatal event for each death).
static async Task<string> LoadAsync(string connectionString, Trial trial, int size, CancellationToken ct)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync(ct);
    await using var transaction = await connection.BeginTransactionAsync(ct);
    await using (var command = new NpgsqlCommand(LoadSql, connection, transaction) { CommandTimeout = 1800 })
    {
        command.Parameters.AddWithValue("trial", trial.Id);
        command.Parameters.AddWithValue("site", trial.SiteId);
        command.Parameters.AddWithValue("n", size);
        await command.ExecuteNonQueryAsync(ct);
    }

    await transaction.CommitAsync(ct);
    var counts = new StringBuilder();
    foreach (var table in new[] { "participants", "visits", "mrss_assessments", "infusions", "adverse_events" })
    {
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM {table} WHERE trial_id = @trial", connection);
        count.Parameters.AddWithValue("trial", trial.Id);
        counts.Append(counts.Length == 0 ? string.Empty : ", ").Append(table).Append(' ').Append(((long)(await count.ExecuteScalarAsync(ct))!).ToString("N0", CultureInfo.InvariantCulture));
    }

    return counts.ToString();
}

static string Markdown(List<Result> results, MachineInfo machine, string version, bool fast, int repeats, string? note, TimeSpan elapsed)
{
    var text = new StringBuilder();
    text.AppendLine(F($"# Safety summary generation, {DateTime.UtcNow:yyyy-MM-dd}"));
    text.AppendLine();
    text.AppendLine("`bench/safety-summary.sh`: one database holding every trial below (loaded in SQL with generate_series), the Release API as its own");
    text.AppendLine(F($"process. Each trial: one warm-up, then {repeats} times `POST /api/trials/{{id}}/safety-summaries` (HTTP, the REPEATABLE READ transaction,"));
    text.AppendLine("the one set-based statement, the insert of the snapshot and its audit rows) and the statement alone over Npgsql. Medians (min–max).");
    text.AppendLine();
    text.AppendLine("| participants | rows of the trial | POST, ms | statement alone, ms | ms per 1,000 participants (POST) | time ratio to previous size | size ratio |");
    text.AppendLine("|---:|---|---:|---:|---:|---:|---:|");
    Result? previous = null;
    foreach (var r in results)
    {
        var ratio = previous is null ? "—" : F($"{r.ApiMedian / previous.ApiMedian:0.0}× (statement {r.SqlMedian / previous.SqlMedian:0.0}×)");
        var sizeRatio = previous is null ? "—" : F($"{(double)r.Trial.Size / previous.Trial.Size:0}×");
        text.AppendLine(F($"| {r.Trial.Size:N0} | {r.Trial.Rows} | {r.ApiMedian:0.0} ({r.ApiMin:0.0}–{r.ApiMax:0.0}) | {r.SqlMedian:0.0} ({r.SqlMin:0.0}–{r.SqlMax:0.0}) | {r.ApiMedian / r.Trial.Size * 1000:0.00} | {ratio} | {sizeRatio} |"));
        previous = r;
    }

    if (results.Count >= 2)
    {
        // Growth exponent from the two largest sizes: time ∝ size^k; k = 1 is linear.
        var (a, b) = (results[^2], results[^1]);
        var k = Math.Log(b.SqlMedian / a.SqlMedian) / Math.Log((double)b.Trial.Size / a.Trial.Size);
        var kApi = Math.Log(b.ApiMedian / a.ApiMedian) / Math.Log((double)b.Trial.Size / a.Trial.Size);
        text.AppendLine();
        text.AppendLine(F($"Growth between the two largest sizes: time ∝ size^{k:0.00} for the statement, size^{kApi:0.00} for the POST (1.00 is linear)."));
    }

    text.AppendLine();
    text.AppendLine(F($"Machine: {machine.Cpus} CPUs ({machine.CpuModel}), {machine.MemoryGiB:0.0} GiB, {machine.Os}, {machine.Runtime}; CPU busy before start {machine.BusyBeforeStartPercent:0}% (load average {machine.LoadAverageAtStart})."));
    text.AppendLine(F($"PostgreSQL {version}, private cluster, {(fast ? "fsync off (--fast)" : "durable (fsync on)")}, default settings. Run took {elapsed.TotalMinutes:0.0} min."));
    if (note is not null)
    {
        text.AppendLine();
        text.AppendLine("Note: " + note);
    }

    return text.ToString();
}

internal sealed record Trial(Guid Id, Guid SiteId, int Size, string Rows);

internal sealed record Result(Trial Trial, double ApiMedian, double ApiMin, double ApiMax, double SqlMedian, double SqlMin, double SqlMax);

internal partial class Program
{
    private static readonly (string Code, string Name, int Day, string[] Procedures)[] Visits =
    [
        ("D0", "Day 0", 0, ["Mrss", "Infusion"]),
        ("W4", "Week 4", 28, ["Infusion"]),
        ("W12", "Week 12", 84, ["Mrss", "Infusion"]),
        ("W24", "Week 24", 168, ["Mrss"]),
    ];

    private const string LoadSql = """
        CREATE TEMP TABLE bench_p ON COMMIT DROP AS
        SELECT gen_random_uuid() AS id, i,
               i % 2 = 0 AS arm_a,
               CASE WHEN r < 0.01 THEN 'Deceased' WHEN r < 0.035 THEN 'Withdrawn' WHEN r < 0.145 THEN 'Completed' ELSE 'Randomized' END AS status,
               floor(random() * 4)::int AS events,
               date '2025-06-01' + (i % 365) AS day0
        FROM generate_series(1, @n) AS i
        CROSS JOIN LATERAL (SELECT random() + i * 0 AS r) AS x;

        INSERT INTO participants (id, trial_id, site_id, screening_number, sex, birth_year, status, registered_at, consent_date, eligibility,
                                  strata, stratum_key, enrolled_at, randomization_number, kit_number, randomized_at, withdrawn_on,
                                  withdrawal_reason, died_on, status_before_death)
        SELECT p.id, @trial, @site, 'B' || lpad(p.i::text, 7, '0'), CASE WHEN p.i % 2 = 0 THEN 'F' ELSE 'M' END, 1950 + p.i % 50, p.status,
               (p.day0 - 20)::timestamptz, p.day0 - 14, '{}'::jsonb, '{}'::jsonb, s.stratum_key, (p.day0 - 10)::timestamptz,
               'BR' || lpad(p.i::text, 7, '0'), 'BK' || lpad(p.i::text, 7, '0'), p.day0::timestamptz,
               CASE WHEN p.status = 'Withdrawn' THEN p.day0 + 100 END, CASE WHEN p.status = 'Withdrawn' THEN 'Bench withdrawal' END,
               CASE WHEN p.status = 'Deceased' THEN p.day0 + 60 END, CASE WHEN p.status = 'Deceased' THEN 'Randomized' END
        FROM bench_p p
        CROSS JOIN (SELECT stratum_key FROM randomization_slots WHERE trial_id = @trial LIMIT 1) s;

        INSERT INTO randomization_slots (id, list_id, trial_id, stratum_key, sequence, block_number, block_size, randomization_number,
                                         kit_number, arm_code, participant_id, allocated_at)
        SELECT gen_random_uuid(), l.id, @trial, s.stratum_key, 1000 + p.i, 1000 + p.i / 2, 2, 'BR' || lpad(p.i::text, 7, '0'),
               'BK' || lpad(p.i::text, 7, '0'), CASE WHEN p.arm_a THEN 'ACT' ELSE 'PBO' END, p.id, p.day0::timestamptz
        FROM bench_p p
        CROSS JOIN (SELECT id FROM randomization_lists WHERE trial_id = @trial) l
        CROSS JOIN (SELECT stratum_key FROM randomization_slots WHERE trial_id = @trial LIMIT 1) s;

        INSERT INTO participants (id, trial_id, site_id, screening_number, status, registered_at, eligibility, strata)
        SELECT gen_random_uuid(), @trial, @site, 'S' || lpad(i::text, 7, '0'), CASE WHEN i % 3 = 0 THEN 'ScreenFailed' ELSE 'Screening' END,
               now(), '{}'::jsonb, '{}'::jsonb
        FROM generate_series(1, greatest(@n / 20, 1)) AS i;

        CREATE TEMP TABLE bench_v ON COMMIT DROP AS
        SELECT gen_random_uuid() AS id, p.id AS participant_id, p.arm_a, p.day0, v.code, v.name, v.day, v.procedures
        FROM bench_p p
        CROSS JOIN (VALUES ('D0', 'Day 0', 0, ARRAY['Mrss', 'Infusion']), ('W4', 'Week 4', 28, ARRAY['Infusion']),
                           ('W12', 'Week 12', 84, ARRAY['Mrss', 'Infusion']), ('W24', 'Week 24', 168, ARRAY['Mrss'])) AS v(code, name, day, procedures)
        WHERE p.status <> 'Withdrawn' OR v.day <= 84;

        INSERT INTO visits (id, trial_id, site_id, participant_id, code, name, day, target_date, window_start, window_end, procedures, status,
                            actual_date, out_of_window)
        SELECT id, @trial, @site, participant_id, code, name, day, day0 + day, day0 + day - 3, day0 + day + 3, procedures, 'Completed',
               day0 + day, false
        FROM bench_v;

        INSERT INTO mrss_assessments (id, trial_id, site_id, participant_id, visit_id, assessed_on, assessor_name, face, anterior_chest, abdomen,
                                      right_fingers, left_fingers, right_hand, left_hand, right_forearm, left_forearm, right_upper_arm,
                                      left_upper_arm, right_thigh, left_thigh, right_lower_leg, left_lower_leg, right_foot, left_foot, total)
        SELECT gen_random_uuid(), @trial, @site, participant_id, id, day0 + day, 'Bench assessor',
               a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14], a[15], a[16], a[17],
               a[1] + a[2] + a[3] + a[4] + a[5] + a[6] + a[7] + a[8] + a[9] + a[10] + a[11] + a[12] + a[13] + a[14] + a[15] + a[16] + a[17]
        FROM (
            SELECT v.*, ARRAY(
                SELECT least(3, greatest(0, floor(random() * 3 + CASE WHEN v.arm_a THEN 0.7 - v.day / 240.0 ELSE 0.7 - v.day / 900.0 END)))::int
                FROM generate_series(1, 17) WHERE v.id IS NOT NULL) AS a
            FROM bench_v v
            WHERE 'Mrss' = ANY (v.procedures)
        ) x;

        INSERT INTO infusions (id, trial_id, site_id, participant_id, visit_id, administered_at, kit_number, not_administered_reason)
        SELECT gen_random_uuid(), @trial, @site, v.participant_id, v.id,
               CASE WHEN random() < 0.97 THEN (v.day0 + v.day)::timestamptz + interval '10 hours' END,
               NULL, NULL
        FROM bench_v v
        WHERE 'Infusion' = ANY (v.procedures);
        UPDATE infusions i SET kit_number = p.kit_number, not_administered_reason = NULL
        FROM participants p
        WHERE i.trial_id = @trial AND p.id = i.participant_id AND i.administered_at IS NOT NULL;
        UPDATE infusions SET not_administered_reason = 'Bench: not given'
        WHERE trial_id = @trial AND administered_at IS NULL;

        CREATE TEMP TABLE bench_ae ON COMMIT DROP AS
        SELECT gen_random_uuid() AS id, p.id AS participant_id, p.status, p.day0, k,
               (ARRAY['Headache', 'Nausea', 'Fatigue', 'Diarrhoea', 'Upper respiratory tract infection', 'Urinary tract infection',
                      'Infusion-related reaction', 'Rash', 'Pruritus', 'Arthralgia', 'Myalgia', 'Back pain', 'Cough', 'Dyspnoea',
                      'Pyrexia', 'Dizziness', 'Insomnia', 'Anaemia', 'Neutropenia', 'Leukopenia', 'Hypertension', 'Oedema peripheral',
                      'Abdominal pain', 'Vomiting', 'Constipation', 'Dyspepsia', 'Pneumonia', 'Bronchitis', 'Sinusitis', 'Herpes zoster',
                      'Depression', 'Anxiety', 'Skin ulcer', 'Raynaud''s phenomenon', 'Gastro-oesophageal reflux', 'Weight decreased',
                      'Alopecia', 'Nasopharyngitis', 'Influenza', 'Cellulitis'])[1 + floor(random() * 40)::int] AS term,
               CASE WHEN random() < 0.5 THEN 1 WHEN random() < 0.6 THEN 2 WHEN random() < 0.8 THEN 3 ELSE 4 END AS grade,
               (ARRAY['NotRelated', 'Unlikely', 'Possible', 'Probable', 'Definite'])[1 + floor(random() * 5)::int] AS relatedness,
               CASE WHEN random() < 0.3 THEN NULL ELSE random() < 0.7 END AS expected,
               CASE WHEN p.status = 'Withdrawn' THEN p.day0 + 7 + floor(random() * 90)::int ELSE p.day0 + 7 + floor(random() * 160)::int END AS onset
        FROM bench_p p
        CROSS JOIN LATERAL generate_series(1, p.events + CASE WHEN p.status = 'Withdrawn' AND p.events = 0 THEN 1 ELSE 0 END) AS k;

        INSERT INTO adverse_events (id, trial_id, site_id, participant_id, current_version, term, onset_date, end_date, ongoing, grade, serious,
                                    seriousness_criteria, relatedness, expected, action_taken, outcome, aware_at, susar,
                                    sponsor_clock_started_at, sponsor_due_at, sponsor_report_sent_at,
                                    regulator_clock_started_at, regulator_due_at, regulator_report_sent_at, created_at, updated_at)
        SELECT id, @trial, @site, participant_id, 1, term, onset, onset + 10, false, grade, serious,
               CASE WHEN serious THEN ARRAY['Hospitalization'] ELSE ARRAY[]::text[] END, relatedness, expected,
               CASE WHEN status = 'Withdrawn' AND k = 1 AND random() < 0.5 THEN 'DrugWithdrawn' ELSE 'DoseNotChanged' END, 'Recovered', aware, susar,
               CASE WHEN serious THEN aware END, CASE WHEN serious THEN aware + interval '24 hours' END,
               CASE WHEN serious AND random() < 0.95 THEN aware + random() * interval '30 hours' END,
               CASE WHEN susar THEN aware END, CASE WHEN susar THEN aware + interval '15 days' END,
               CASE WHEN susar AND random() < 0.9 THEN aware + random() * interval '20 days' END,
               aware, aware
        FROM (
            SELECT a.*, (a.onset + 1)::timestamptz AS aware, a.serious_ AS serious,
                   a.serious_ AND a.relatedness IN ('Possible', 'Probable', 'Definite') AND a.expected IS NOT TRUE AS susar
            FROM (SELECT b.*, b.grade >= 3 AND random() < 0.4 AS serious_ FROM bench_ae b) a
        ) x;

        INSERT INTO adverse_events (id, trial_id, site_id, participant_id, current_version, term, onset_date, end_date, ongoing, grade, serious,
                                    seriousness_criteria, relatedness, expected, action_taken, outcome, aware_at, susar,
                                    sponsor_clock_started_at, sponsor_due_at, sponsor_report_sent_at, created_at, updated_at)
        SELECT gen_random_uuid(), @trial, @site, p.id, 1, 'Sudden death', p.day0 + 60, p.day0 + 60, false, 5, true, ARRAY['Death'],
               'NotRelated', NULL, 'NotApplicable', 'Fatal', (p.day0 + 61)::timestamptz, false,
               (p.day0 + 61)::timestamptz, (p.day0 + 61)::timestamptz + interval '24 hours', (p.day0 + 61)::timestamptz + interval '12 hours',
               (p.day0 + 61)::timestamptz, (p.day0 + 61)::timestamptz
        FROM bench_p p
        WHERE p.status = 'Deceased';
        """;
}
