using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Edc.Infrastructure.Database;
using Npgsql;

namespace Edc.Bench;

internal enum Side
{
    Api,
    Twin,
}

internal enum Phase
{
    Capture,
    Warmup,
    Measured,
}

/// <summary>
/// One workload, defined once and driven by wrk against both sides: the request lines ("METHOD\tPATH\tBODY") each side sends in
/// each phase, the headers both get, and what to check. Reads send the same lines; first saves give each side its own half of
/// a pool (<see cref="Split"/>).
/// </summary>
internal sealed record Workload(string Name, string Request, string Twin, Func<Side, Phase, IReadOnlyList<string>> Lines)
{
    /// <summary>Each line at most once across wrk's threads (first saves); otherwise wrk cycles through the lines.</summary>
    public bool Walk { get; init; }

    /// <summary>wrk's connections, when not the suite's (a heavy page, whose time would otherwise be mostly queueing).</summary>
    public int? Clients { get; init; }

    /// <summary>The bearer token both sides get (the twin ignores it); none for a web page's workload, which sends its cookie.</summary>
    public string? Token { get; init; }

    /// <summary>
    /// A web page's workload: its twin is the API's own JSON endpoint for the same use case, on the API's process with the same
    /// cookie session, so the ratio is the page's cost over its data's.
    /// </summary>
    public bool TwinIsApi { get; init; }

    /// <summary>A request line's body is JSON when it looks like it, else a form (application/x-www-form-urlencoded).</summary>
    public static string ContentType(string body) => body.StartsWith('{') || body.StartsWith('[') ? "application/json" : "application/x-www-form-urlencoded";

    /// <summary>Headers both sides get: the twin's context (X-Twin-Sites, X-Twin-Template), which the API ignores.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Writes: counts the rows the workload creates (one per 2xx answer), before and after each side's run.</summary>
    public string? Rows { get; init; }

    public string RowsName { get; init; } = "rows";

    /// <summary>Reads: what both sides' answers to the first line must agree on.</summary>
    public Func<JsonElement, string>? Answer { get; init; }

    /// <summary>Reads whose sides answer in different shapes (a page, and its data as JSON): what both must agree on, from each side's body.</summary>
    public Func<Side, string, string>? AnswerText { get; init; }

    /// <summary>A check after both sides ran (the randomization list).</summary>
    public Func<CancellationToken, Task<(bool Ok, string Text)>>? After { get; init; }

    public static string Line(string method, string path, string? body = null) => body is null ? $"{method}\t{path}" : $"{method}\t{path}\t{body}";

    public static Func<Side, Phase, IReadOnlyList<string>> Same(IReadOnlyList<string> lines) => (_, _) => lines;

    /// <summary>Each side half the pool: its first lines for the statement capture, then the warm-up's, then the timed run's.</summary>
    public static Func<Side, Phase, IReadOnlyList<string>> Split(IReadOnlyList<string> pool, int warmup)
    {
        var half = pool.Count / 2;
        return (side, phase) =>
        {
            var mine = pool.Skip(side == Side.Api ? 0 : half).Take(half);
            return [.. phase switch
            {
                Phase.Capture => mine.Take(Suite.CaptureRepeats),
                Phase.Warmup => mine.Skip(Suite.CaptureRepeats).Take(warmup),
                _ => mine.Skip(Suite.CaptureRepeats + warmup),
            }];
        };
    }

    /// <summary>A count and a short hash of the listed fields of every item, for comparing two answers.</summary>
    public static string Digest(JsonElement items, params string[] fields)
    {
        var text = string.Join('\n', items.EnumerateArray().Select(i => string.Join('/', fields.Select(f => i.GetProperty(f).ToString()))));
        return $"{items.GetArrayLength()} items #{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..8]}";
    }
}

/// <summary>wrk's figures for one side: Requests/sec, the 50% and 99% lines of its Latency Distribution, errors.</summary>
internal sealed record SideResult(long Requests, double Rps, double P50, double P99, long Errors, string? ErrorDetail, bool Exhausted);

internal sealed record Statements(int Count, IReadOnlyList<string> Sql);

internal sealed record SuiteRow(Workload Workload, SideResult Api, SideResult Twin, string Check, bool Ok, Statements ApiStatements, Statements TwinStatements);

/// <summary>
/// bench/suite.sh: each workload driven by wrk (closed loop, N connections, two threads) against the API and then against the
/// twin (bench/Edc.Twin), each side warmed up first, on the same database; rows created checked against 2xx answers; the
/// statements of one request of each side logged; the table and the results file.
/// </summary>
internal sealed partial class Suite(Uri api, Uri twin, LocalPostgres database, string connectionString, BenchOptions options, string root)
{
    public const int CaptureRepeats = 5;
    private static readonly Side[] Sides = [Side.Api, Side.Twin];
    private readonly string _wrk = FindWrk();
    private readonly string _work = Directory.CreateTempSubdirectory("edc-suite-").FullName;

    public async Task<SuiteRow> RunAsync(Workload workload, CancellationToken ct)
    {
        // The planner's statistics brought up to date after the set-up's bulk inserts, as autovacuum would in a running database.
        await ExecuteAsync("ANALYZE", ct);
        var checks = new List<string>();
        var ok = true;
        if (workload.Answer is not null || workload.AnswerText is not null)
        {
            // Before the runs: both sides answer the first request alike.
            var answers = new List<string>();
            foreach (var side in Sides)
            {
                using var client = Client(side, workload);
                var body = await SendAsync(client, workload.Lines(side, Phase.Capture)[0], ct);
                if (workload.AnswerText is { } text)
                {
                    answers.Add(text(side, body));
                    continue;
                }

                using var document = JsonDocument.Parse(body);
                answers.Add(workload.Answer!(document.RootElement));
            }

            ok &= answers[0] == answers[1];
            checks.Add(answers[0] == answers[1] ? $"same answer ({answers[0]})" : $"FAILED: API answered {answers[0]}, twin {answers[1]}");
        }

        var results = new List<SideResult>();
        var rows = new List<long>();
        foreach (var side in Sides)
        {
            await WrkAsync(workload, side, Phase.Warmup, options.WarmupSeconds, ct);
            await SettleAsync(ct);
            var before = workload.Rows is null ? 0 : await ScalarAsync(workload.Rows, ct);
            results.Add(await WrkAsync(workload, side, Phase.Measured, options.Duration, ct));
            await SettleAsync(ct);
            rows.Add(workload.Rows is null ? 0 : await ScalarAsync(workload.Rows, ct) - before);
        }

        foreach (var (side, result, created) in Sides.Zip(results, rows))
        {
            ok &= result.Errors == 0 && !result.Exhausted;
            if (workload.Rows is not null)
            {
                // wrk counts the answers received in time; the requests in flight when it stopped (one a connection at most) may commit too.
                var answered = result.Requests - result.Errors;
                var clients = workload.Clients ?? options.Clients;
                var counted = created >= answered && created <= answered + clients;
                ok &= counted;
                checks.Add($"{(counted ? "OK" : "FAILED")} {Label(side)}: {created} {workload.RowsName} for {answered} 2xx (+ at most {clients} in flight)");
            }

            if (result.Exhausted)
            {
                checks.Add($"FAILED {Label(side)}: the pool ran out (EXHAUSTED)");
            }
        }

        if (workload.After is { } after)
        {
            var (afterOk, text) = await after(ct);
            ok &= afterOk;
            checks.Add(text);
        }

        var (apiStatements, twinStatements) = await CaptureAsync(workload, ct);
        return new SuiteRow(workload, results[0], results[1], checks.Count == 0 ? "read-only" : string.Join("; ", checks), ok, apiStatements, twinStatements);
    }

    private static string Label(Side side) => side == Side.Api ? "API" : "twin";

    // ---- wrk ----

    private static string FindWrk() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':').Select(d => Path.Combine(d, "wrk")).FirstOrDefault(File.Exists)
        ?? throw new BenchException("wrk is not installed: apt-get install -y wrk (bench/suite.sh installs it when run as root).");

    private async Task<SideResult> WrkAsync(Workload workload, Side side, Phase phase, int seconds, CancellationToken ct)
    {
        const int threads = 2;
        var file = Path.Combine(_work, $"{Guid.NewGuid():N}.txt");
        await File.WriteAllLinesAsync(file, workload.Lines(side, phase), ct);
        var start = new ProcessStartInfo(_wrk) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] arguments =
        [
            "-c", (workload.Clients ?? options.Clients).ToString(CultureInfo.InvariantCulture), "-t", threads.ToString(CultureInfo.InvariantCulture),
            "-d", seconds.ToString(CultureInfo.InvariantCulture) + "s", "--timeout", "60s", "--latency",
            .. workload.Token is { } token ? new[] { "-H", "Authorization: Bearer " + token } : [],
            .. workload.Headers.SelectMany(h => new[] { "-H", $"{h.Key}: {h.Value}" }),
            "-s", Path.Combine(root, "bench", "wrk", "requests.lua"), Address(side, workload).ToString().TrimEnd('/'),
            "--", file, workload.Walk ? "walk" : "cycle", threads.ToString(CultureInfo.InvariantCulture),
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new BenchException("wrk did not start");
        var output = await process.StandardOutput.ReadToEndAsync(ct);
        var error = await process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        File.Delete(file);
        return process.ExitCode == 0 ? ParseWrk(output) : throw new BenchException($"wrk exited with {process.ExitCode}: {error}{output}");
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

        var (p50, p99, rps, total) = (P50Regex().Match(output), P99Regex().Match(output), RpsRegex().Match(output), TotalRegex().Match(output));
        if (!p50.Success || !p99.Success || !rps.Success || !total.Success)
        {
            throw new BenchException("Could not read wrk's output:\n" + output);
        }

        var (non2xx, socket) = (Non2xxRegex().Match(output), SocketRegex().Match(output));
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

    /// <summary>
    /// The requests in flight when wrk stopped run to their end (commit or roll back) before anything is counted or the next
    /// run starts: until no other session of the database is running a statement (checked three times, a minute at most).
    /// </summary>
    private async Task SettleAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        for (var quiet = 0; quiet < 3 && clock.Elapsed < TimeSpan.FromMinutes(1);)
        {
            await Task.Delay(250, ct);
            var busy = await ScalarAsync("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND backend_type = 'client backend' AND pid <> pg_backend_pid()", ct);
            quiet = busy == 0 ? quiet + 1 : 0;
        }
    }

    private Uri Address(Side side, Workload workload) => side == Side.Api || workload.TwinIsApi ? api : twin;

    // ---- one request at a time, outside wrk ----

    private HttpClient Client(Side side, Workload workload)
    {
        var client = new HttpClient { BaseAddress = Address(side, workload), Timeout = TimeSpan.FromMinutes(2) };
        if (workload.Token is { } token)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        foreach (var (name, value) in workload.Headers)
        {
            client.DefaultRequestHeaders.Add(name, value);
        }

        return client;
    }

    /// <summary>Sends one request line; its answer's body, or an exception for any answer that is not 2xx.</summary>
    public static async Task<string> SendAsync(HttpClient client, string line, CancellationToken ct)
    {
        var parts = line.Split('\t');
        using var request = new HttpRequestMessage(new HttpMethod(parts[0]), new Uri(parts[1], UriKind.Relative));
        if (parts.Length > 2 || parts[0] != "GET")
        {
            var content = parts.Length > 2 ? parts[2] : string.Empty;
            request.Content = new StringContent(content, Encoding.UTF8, Workload.ContentType(content));
        }

        using var response = await client.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        return response.IsSuccessStatusCode ? body : throw new BenchException($"{parts[0]} {parts[1]} on {client.BaseAddress} answered {(int)response.StatusCode}: {body}");
    }

    /// <summary>
    /// The statements the database executed for one request of each side (log_min_duration_statement = 0 for a moment, after
    /// the timed runs; simple statements and executes of the extended protocol): the fewest of a few requests, as the API's
    /// background jobs or autovacuum may log statements in the same moment.
    /// </summary>
    private async Task<(Statements Api, Statements Twin)> CaptureAsync(Workload workload, CancellationToken ct)
    {
        var log = Path.Combine(database.DataDirectory, "server.log");
        var fewest = new Statements[] { new(int.MaxValue, []), new(int.MaxValue, []) };
        await ExecuteAsync("ALTER SYSTEM SET log_min_duration_statement = 0", ct);
        await ExecuteAsync("SELECT pg_reload_conf()", ct);
        try
        {
            foreach (var side in Sides)
            {
                using var client = Client(side, workload);
                var lines = workload.Lines(side, Phase.Capture);
                foreach (var line in Enumerable.Range(0, CaptureRepeats).Select(i => lines[i % lines.Count]))
                {
                    await Task.Delay(300, ct);
                    var start = new FileInfo(log).Length;
                    await SendAsync(client, line, ct);
                    await Task.Delay(300, ct);
                    await using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                    stream.Seek(start, SeekOrigin.Begin);
                    using var reader = new StreamReader(stream);
                    var text = await reader.ReadToEndAsync(ct);
                    var starts = LogEntryRegex().Matches(text).Select(m => m.Index).Append(text.Length).ToList();
                    var statements = starts.Zip(starts.Skip(1)).Select(s => StatementRegex().Match(text[s.First..s.Second])).Where(m => m.Success)
                        .Select(m => $"{m.Groups["ms"].Value} ms  {string.Join(' ', m.Groups["sql"].Value.Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries))}")
                        .ToList();
                    if (statements.Count < fewest[(int)side].Count)
                    {
                        fewest[(int)side] = new Statements(statements.Count, statements);
                    }
                }
            }
        }
        finally
        {
            await ExecuteAsync("ALTER SYSTEM RESET log_min_duration_statement", ct);
            await ExecuteAsync("SELECT pg_reload_conf()", ct);
        }

        return (fewest[0], fewest[1]);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} ", RegexOptions.Multiline)]
    private static partial Regex LogEntryRegex();

    [GeneratedRegex(@"duration: (?<ms>[\d.]+) ms  (?:statement|execute [^:]*): (?<sql>.*)", RegexOptions.Singleline)]
    private static partial Regex StatementRegex();

    public async Task<long> ScalarAsync(string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    private async Task ExecuteAsync(string sql, CancellationToken ct) => await ScalarAsync(sql, ct);

    // ---- the report ----

    public static void Print(SuiteRow row) => Console.WriteLine(
        $"{row.Workload.Name}: API {Figures(row.Api)}; twin {Figures(row.Twin)}; {row.Check}; statements API {row.ApiStatements.Count}, twin {row.TwinStatements.Count}");

    private static string Figures(SideResult s) =>
        string.Create(CultureInfo.InvariantCulture, $"{s.Requests} in total, {s.Rps:0.0} req/s, p50 {s.P50:0.00} ms, p99 {s.P99:0.00} ms, {s.Errors} errors{(s.ErrorDetail is null ? "" : " (" + s.ErrorDetail + ")")}");

    public static string Table(IReadOnlyList<SuiteRow> rows)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("| workload | API req/s | p50 (ms) | p99 (ms) | errors | twin req/s | p50 (ms) | p99 (ms) | errors | API/twin | statements API/twin |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var row in rows)
        {
            static string Cells(SideResult s) => string.Create(CultureInfo.InvariantCulture, $"{s.Rps:0.0} | {s.P50:0.00} | {s.P99:0.00} | {s.Errors}");
            var ratio = row.Twin.Rps > 0 ? (row.Api.Rps / row.Twin.Rps).ToString("0.00", inv) + "x" : "-";
            text.AppendLine(inv, $"| {row.Workload.Name} | {Cells(row.Api)} | {Cells(row.Twin)} | {ratio} | {row.ApiStatements.Count}/{row.TwinStatements.Count} |");
        }

        return text.ToString().TrimEnd();
    }

    public string Markdown(MachineInfo machine, string version, IReadOnlyList<SuiteRow> rows, IReadOnlyList<string> setup, string auditLine, TimeSpan elapsed)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(inv, $"# Benchmark suite, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine();
        text.AppendLine(inv, $"`{options.CommandLine}`: each workload driven by wrk (`-c{options.Clients} -t2 --latency`) against the API, then against its twin");
        text.AppendLine(inv, $"(bench/Edc.Twin), with the same request list, bearer token and headers; on each side {options.WarmupSeconds} s of warm-up, then {options.Duration} s timed.");
        text.AppendLine();
        text.AppendLine(Table(rows));
        text.AppendLine();
        text.AppendLine("Both sides' figures are wrk's: Requests/sec, p50 and p99 from its Latency Distribution, errors = non-2xx answers plus socket");
        text.AppendLine("errors and timeouts. API/twin is the throughput ratio. The twin is a bare ASP.NET Core app (minimal API, routing only, no");
        text.AppendLine("authentication, no EF Core) started as the API is (Release, Production, loopback, the API's Kestrel limits and pool settings),");
        text.AppendLine("sending the statements described below through one NpgsqlDataSource: the ratio is Edc's own overhead over the same SQL.");
        text.AppendLine("Statements: what the database executed for one request of each side (logged for a moment after the timed runs; listed below).");
        text.AppendLine("Speed is reported here, never asserted by a test.");
        text.AppendLine();
        text.AppendLine("## Machine");
        text.AppendLine();
        text.AppendLine(inv, $"- {machine.Cpus} CPUs ({machine.CpuModel}), {machine.MemoryGiB:0.0} GiB memory, {machine.Os}, {machine.Runtime}");
        text.AppendLine(inv, $"- PostgreSQL {version}, private cluster on the same machine, {(options.Fast ? "fsync off (--fast)" : "durable (fsync and synchronous commit on, as in production)")}; loopback TCP only");
        text.AppendLine(inv, $"- API, twin, PostgreSQL and wrk share the same {machine.Cpus} CPUs");
        var busiest = machine.OtherBusyProcesses.Count > 0 ? $" (busiest: {string.Join(", ", machine.OtherBusyProcesses)})" : string.Empty;
        var verdict = machine.BusyBeforeStartPercent >= 10 ? "**other work was running; the figures are noisy**" : "the machine was quiet";
        text.AppendLine(inv, $"- Other load before the start: CPU {machine.BusyBeforeStartPercent:0}% busy over 3 s, load average {machine.LoadAverageAtStart}{busiest}: {verdict}");
        text.AppendLine(inv, $"- Load average at the end: {MachineInfo.LoadAverageNow()}");
        text.AppendLine();
        text.AppendLine("## Workloads and their twins");
        text.AppendLine();
        foreach (var line in setup)
        {
            text.AppendLine(inv, $"- {line}");
        }

        foreach (var row in rows)
        {
            text.AppendLine(inv, $"- **{row.Workload.Name}** (`{row.Workload.Request}`): {row.Workload.Twin}");
        }

        text.AppendLine();
        text.AppendLine("## Verification");
        text.AppendLine();
        foreach (var row in rows)
        {
            text.AppendLine(inv, $"- {row.Workload.Name}: {row.Check}{(row.Api.ErrorDetail is { } d ? "; API errors: " + d : "")}{(row.Twin.ErrorDetail is { } e ? "; twin errors: " + e : "")}");
        }

        text.AppendLine(inv, $"- {auditLine}");
        text.AppendLine();
        text.AppendLine("## Statements per request");
        text.AppendLine();
        text.AppendLine("Server-side duration and text (abbreviated) of each statement one request made the database execute.");
        foreach (var row in rows)
        {
            foreach (var (side, statements) in new[] { ("API", row.ApiStatements), ("twin", row.TwinStatements) })
            {
                text.AppendLine();
                text.AppendLine(inv, $"{row.Workload.Name}, {side}: {statements.Count}");
                text.AppendLine();
                text.AppendLine("```");
                if (statements.Sql.Count == 0)
                {
                    text.AppendLine("(none)");
                }

                foreach (var sql in statements.Sql)
                {
                    text.AppendLine(sql.Length <= 150 ? sql : sql[..147] + "...");
                }

                text.AppendLine("```");
            }
        }

        text.AppendLine();
        text.AppendLine(inv, $"Set-up and all runs took {elapsed.TotalSeconds:0} s (the build not included).");
        if (options.Note is not null)
        {
            text.AppendLine();
            text.AppendLine(options.Note);
        }

        return text.ToString();
    }

    public void DeleteWorkFolder()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
