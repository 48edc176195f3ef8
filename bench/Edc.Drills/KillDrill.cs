using System.Collections.Concurrent;
using System.Diagnostics;
using Edc.Bench;
using Npgsql;

namespace Edc.Drills;

/// <summary>
/// Drill 2: the database connection killed in the middle of randomizations. Clients randomize enrolled participants
/// concurrently, each request with an Idempotency-Key and retried with the same key until it gets an answer that
/// settles it; meanwhile the drill terminates API backends (pg_terminate_backend): those holding the stratum's advisory
/// lock (inside the randomization transaction) and, every other round, any busy one. Afterwards: no slot allocated
/// twice, no orphan allocation, no gap, every randomized participant whole, the audit chain intact.
/// </summary>
internal static class KillDrill
{
    public static async Task<DrillReport> RunAsync(
        ApiProcess api, Cluster cluster, DrillTrial trial, Accounts accounts, IReadOnlyList<Guid> participants, int clients, CancellationToken ct)
    {
        var report = new DrillReport("2. Connection killed mid-randomization");
        Console.WriteLine($"{report.Name}: {clients} clients randomize {participants.Count} enrolled participants (Idempotency-Key, retried) while backends of the API are terminated");
        var tally = new Tally();
        var queue = new ConcurrentQueue<Guid>(participants);
        var settled = new ConcurrentDictionary<Guid, string>();
        int retries = 0, replays = 0, resolvedByRead = 0;
        using var stopKiller = new CancellationTokenSource();
        var kills = 0;
        var killRounds = 0;
        var clock = Stopwatch.StartNew();

        var killer = Task.Run(async () =>
        {
            await using var connection = new NpgsqlConnection(cluster.ConnectionString);
            await connection.OpenAsync(ct);
            var random = new Random(7);
            while (!stopKiller.IsCancellationRequested)
            {
                // One victim a round: the API backend holding a stratum's advisory lock (inside a randomization
                // transaction) or, every other round, a busy API backend at random (wherever it is in its request).
                var anyBusy = killRounds % 2 == 1;
                await using var command = new NpgsqlCommand(
                    """
                    SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM (
                      SELECT a.pid FROM pg_stat_activity a
                      WHERE a.application_name = @app AND a.backend_type = 'client backend'
                        AND (CASE WHEN @anyBusy THEN a.state IN ('active', 'idle in transaction')
                                  ELSE a.pid IN (SELECT l.pid FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted) END)
                      ORDER BY random() LIMIT 1) victims
                    """,
                    connection);
                command.Parameters.AddWithValue("app", api.Name);
                command.Parameters.AddWithValue("anyBusy", anyBusy);
                Interlocked.Add(ref kills, (int)(long)(await command.ExecuteScalarAsync(ct))!);
                killRounds++;
                await Task.Delay(random.Next(50, 250), ct);
            }
        }, ct);

        var workers = Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            using var http = Http.Client(api.BaseAddress, accounts.Coordinator, timeoutSeconds: 30);
            while (queue.TryDequeue(out var participant))
            {
                var path = $"/api/trials/{trial.Id}/participants/{participant}/randomization";
                var key = "kill-" + participant;
                for (var attempt = 0; ; attempt++)
                {
                    if (attempt > 0)
                    {
                        Interlocked.Increment(ref retries);
                        await Task.Delay(20 * Math.Min(attempt, 10), ct);
                    }

                    Answer answer;
                    try
                    {
                        answer = await Http.PostAsync(http, path, null, ct, key);
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        tally.AddTransportError("randomize " + participant, e);
                        continue;
                    }

                    tally.Add(answer, "randomize " + participant);
                    if (answer.Ok)
                    {
                        settled[participant] = "randomized";
                        break;
                    }

                    if (answer.Status == 409 && answer.ProblemType?.EndsWith("rule-violation", StringComparison.Ordinal) == true)
                    {
                        // "Already randomized": an earlier attempt was saved though its answer was lost (the key then
                        // could not be kept). Settled by reading the participant.
                        Interlocked.Increment(ref resolvedByRead);
                        settled[participant] = "already randomized";
                        break;
                    }

                    if (answer.Status == 409 && answer.ProblemType?.EndsWith("idempotency-key-in-use", StringComparison.Ordinal) == true && attempt > 30)
                    {
                        // The key stays claimed: either the randomization was saved and its answer could not be kept
                        // (documented: the key answers 409 until it expires), or nothing was saved and the key was not let go.
                        // The read may meet a killed connection too (503): it is repeated until it answers.
                        var read = await Http.GetAsync(http, $"/api/trials/{trial.Id}/participants/{participant}", ct);
                        for (var again = 0; read.Status == 503 && again < 20; again++)
                        {
                            await Task.Delay(100, ct);
                            read = await Http.GetAsync(http, $"/api/trials/{trial.Id}/participants/{participant}", ct);
                        }

                        var status = read.Ok ? read.Json().GetProperty("status").GetString() : $"read {read.Status}";
                        settled[participant] = status == "Randomized" ? "randomized, answer lost (key kept in doubt)" : $"key stuck, participant {status}";
                        break;
                    }

                    if (attempt > 200)
                    {
                        settled[participant] = $"gave up after {answer.Status}";
                        break;
                    }
                }
            }
        }, ct)).ToList();

        await Task.WhenAll(workers);
        await stopKiller.CancelAsync();
        await killer;
        var seconds = clock.Elapsed.TotalSeconds;

        // Replays: a settled request read again with its key answers the first 200 and allocates nothing.
        using (var http = Http.Client(api.BaseAddress, accounts.Coordinator))
        {
            foreach (var participant in participants.Where(p => settled.GetValueOrDefault(p) == "randomized").Take(50))
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/trials/{trial.Id}/participants/{participant}/randomization");
                request.Headers.Add("Idempotency-Key", "kill-" + participant);
                using var response = await http.SendAsync(request, ct);
                if ((int)response.StatusCode == 200 && response.Headers.Contains("Idempotent-Replayed"))
                {
                    replays++;
                }
            }
        }

        var outcomes = settled.Values.GroupBy(v => v).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}: {g.Count()}");
        report.Line($"{participants.Count} participants in {seconds:0.0} s; backends terminated: {kills} in {killRounds} rounds; requests: {tally.Total} ({retries} retries)");
        report.Line($"by status: {tally.StatusLine()}");
        report.Line($"problem types: {tally.ProblemTypesLine()}");
        report.Line($"outcomes: {string.Join(", ", outcomes)}; replays checked with the same key: {replays} of {Math.Min(50, settled.Values.Count(v => v == "randomized"))} answered the first 200");
        foreach (var sample in tally.Samples)
        {
            report.Line("sample: " + sample);
        }

        var randomized = await Integrity.ScalarAsync(cluster.ConnectionString, "SELECT count(*) FROM participants WHERE trial_id = @trial AND status = 'Randomized'", ct, ("trial", trial.Id));
        var allocated = await Integrity.ScalarAsync(cluster.ConnectionString, "SELECT count(*) FROM randomization_slots WHERE trial_id = @trial AND participant_id IS NOT NULL", ct, ("trial", trial.Id));
        report.Line($"in the database: {randomized} participants randomized, {allocated} slots allocated");

        report.Check(kills > 0, $"connections were killed ({kills})");
        report.Check(tally.CountWhere(s => s >= 500 && s != 503) == 0 && tally.TransportErrors == 0, $"no 5xx other than 503 and no request without an answer ({tally.CountWhere(s => s >= 500 && s != 503)}, {tally.TransportErrors})");
        report.Check(tally.NotProblem == 0, $"every error is a problem+json body with its status and type ({tally.NotProblem} are not)");
        report.Check(settled.Count == participants.Count && settled.Values.All(v => v is "randomized" or "already randomized" or "randomized, answer lost (key kept in doubt)"),
            $"every participant's randomization settled: {settled.Count} of {participants.Count}");
        report.Check(randomized == participants.Count && allocated == participants.Count, $"{participants.Count} randomized and as many slots allocated");
        report.Check(replays == Math.Min(50, settled.Values.Count(v => v == "randomized")), "retries with the same key replay the first answer");
        foreach (var (name, count) in await Integrity.CheckAsync(cluster.ConnectionString, trial.Id, ct))
        {
            report.Check(count == 0, $"{name}: {count}");
        }

        var (intact, text) = await Integrity.VerifyAuditChainAsync(api.BaseAddress, accounts.Admin, ct);
        report.Check(intact, "audit chain verification: " + text);
        report.Check(!api.HasExited, "the API process is still running");
        return report;
    }
}
