using System.Collections.Concurrent;
using System.Diagnostics;
using Edc.Bench;
using Npgsql;

namespace Edc.Drills;

/// <summary>
/// Drill 1: PostgreSQL stopped (immediate, as a crash) and started again while clients enter data. Each client takes
/// new participants through register, enroll, randomize and the Day 0 MRSS (each request several rows and their audit
/// rows) and, on any failure, leaves that participant where it is and starts the next. Afterwards every participant's
/// database state must match exactly the steps its client saw succeed, and no entity may be half-written.
/// </summary>
internal static class OutageDrill
{
    private static readonly string[] Steps = ["register", "enroll", "randomize", "mrss"];

    private sealed record Flow(string ScreeningNumber)
    {
        public Guid? Id { get; set; }

        /// <summary>How many steps answered 2xx (they run in order; the first failure ends the flow).</summary>
        public int Succeeded { get; set; }

        public int? FailedStatus { get; set; }

        /// <summary>The failed step's problem type: "commit-outcome-unknown" when the connection was lost during its commit.</summary>
        public string? FailedType { get; set; }

        public bool CommitOutcomeUnknown => FailedType?.EndsWith(":commit-outcome-unknown", StringComparison.Ordinal) == true;
    }

    public static async Task<DrillReport> RunAsync(
        ApiProcess api, Cluster cluster, DrillTrial trial, Accounts accounts, int clients, TimeSpan outage, CancellationToken ct)
    {
        var report = new DrillReport("1. Database outage");
        Console.WriteLine($"{report.Name}: {clients} clients register, enroll, randomize and enter the Day 0 MRSS; PostgreSQL is stopped (immediate) for {outage.TotalSeconds:0} s, then started");
        var tally = new Tally();
        var flows = new ConcurrentBag<Flow>();
        var clock = Stopwatch.StartNew();
        long restartedAtMs = -1, stoppedAtMs = -1, firstOkAfterRestartMs = -1;
        using var stopClients = new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, stopClients.Token);

        var workers = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            using var http = Http.Client(api.BaseAddress, accounts.Coordinator, timeoutSeconds: 30);
            for (var n = 0; !linked.IsCancellationRequested; n++)
            {
                var flow = new Flow($"OUT-{c:D2}-{n:D4}");
                flows.Add(flow);
                for (var step = 0; step < Steps.Length && !linked.IsCancellationRequested; step++)
                {
                    var answer = await SendStepAsync(http, trial, flow, step, n, tally, CancellationToken.None);
                    if (answer is { Ok: true })
                    {
                        flow.Succeeded = step + 1;
                        if (Volatile.Read(ref restartedAtMs) >= 0 && Volatile.Read(ref firstOkAfterRestartMs) < 0)
                        {
                            Interlocked.CompareExchange(ref firstOkAfterRestartMs, clock.ElapsedMilliseconds, -1);
                        }

                        continue;
                    }

                    flow.FailedStatus = answer?.Status ?? 0;
                    flow.FailedType = answer?.ProblemType;
                    await Task.Delay(25, CancellationToken.None);
                    break;
                }
            }
        }, CancellationToken.None)).ToList();

        await Task.Delay(TimeSpan.FromSeconds(5), ct);
        var okBeforeStop = tally.CountWhere(s => s is >= 200 and < 300);
        await cluster.StopImmediatelyAsync();
        Volatile.Write(ref stoppedAtMs, clock.ElapsedMilliseconds);
        await Task.Delay(outage, ct);
        await cluster.RestartAsync(ct);
        Volatile.Write(ref restartedAtMs, clock.ElapsedMilliseconds);
        var deadline = clock.Elapsed + TimeSpan.FromSeconds(60);
        while (Volatile.Read(ref firstOkAfterRestartMs) < 0 && clock.Elapsed < deadline)
        {
            await Task.Delay(50, ct);
        }

        await Task.Delay(TimeSpan.FromSeconds(5), ct);
        await stopClients.CancelAsync();
        await Task.WhenAll(workers);

        var all = flows.ToList();
        var ok = tally.CountWhere(s => s is >= 200 and < 300);
        report.Line($"requests: {tally.Total} ({ok} OK, {okBeforeStop} of them before the stop); by status: {tally.StatusLine()}");
        report.Line($"problem types: {tally.ProblemTypesLine()}");
        report.Line($"PostgreSQL down from {stoppedAtMs / 1000.0:0.0} s to {restartedAtMs / 1000.0:0.0} s (restart includes crash recovery); " +
                    $"first OK {(firstOkAfterRestartMs < 0 ? "never" : $"{(firstOkAfterRestartMs - restartedAtMs) / 1000.0:0.00} s after the restart")}");
        report.Line($"participants started: {all.Count}; finished all 4 steps: {all.Count(f => f.Succeeded == 4)}; stopped by a failure: {all.Count(f => f.FailedStatus is not null)}");
        foreach (var sample in tally.Samples)
        {
            report.Line("sample: " + sample);
        }

        report.Check(tally.CountWhere(s => s == 503) > 0, $"the outage was seen: {tally.Count(503)} answers 503");
        report.Check(tally.CountWhere(s => s >= 500 && s != 503) == 0 && tally.TransportErrors == 0, $"no 5xx other than 503 and no request without an answer ({tally.CountWhere(s => s >= 500 && s != 503)}, {tally.TransportErrors})");
        report.Check(tally.NotProblem == 0, $"every error is a problem+json body with its status and type ({tally.NotProblem} are not)");
        report.Check(tally.CountWhere(s => s is >= 400 and < 500 && s != 409) == 0, $"no 4xx other than 409 ({tally.CountWhere(s => s is >= 400 and < 500 && s != 409)})");
        report.Check(firstOkAfterRestartMs >= 0, "the API recovered on its own (an OK after the restart, without restarting the API)");
        report.Check(!api.HasExited, "the API process is still running");

        // Every participant's state in the database against what its client saw.
        var (lost, leftovers, unacknowledged, details) = await CompareAsync(cluster.ConnectionString, trial, all, ct);
        report.Line($"state checks: {details}");
        report.Line($"lost commit acknowledgements (the step saved, but the connection died during its COMMIT: the client got 503 commit-outcome-unknown, which says so; unavoidable, not a failure): {unacknowledged}");
        report.Check(lost == 0, $"every OK the clients got is in the database ({lost} missing)");
        report.Check(leftovers == 0, $"every failed step left nothing, except those answered commit-outcome-unknown ({leftovers} failed steps found saved)");
        foreach (var (name, count) in await Integrity.CheckAsync(cluster.ConnectionString, trial.Id, ct))
        {
            report.Check(count == 0, $"{name}: {count}");
        }

        var (intact, text) = await Integrity.VerifyAuditChainAsync(api.BaseAddress, accounts.Admin, ct);
        report.Check(intact, "audit chain verification: " + text);
        return report;
    }

    private static async Task<Answer?> SendStepAsync(HttpClient http, DrillTrial trial, Flow flow, int step, int n, Tally tally, CancellationToken ct)
    {
        var participants = $"/api/trials/{trial.Id}/participants";
        var request = $"{Steps[step]} {flow.ScreeningNumber}";
        try
        {
            var answer = step switch
            {
                0 => await Http.PostAsync(http, participants, new { siteId = trial.Site, screeningNumber = flow.ScreeningNumber, sex = "F", birthYear = 1970 }, ct, "register-" + flow.ScreeningNumber),
                1 => await Http.PostAsync(http, $"{participants}/{flow.Id}/enrollment", DrillSetup.Enrollment(n), ct),
                2 => await Http.PostAsync(http, $"{participants}/{flow.Id}/randomization", null, ct, "randomize-" + flow.ScreeningNumber),
                _ => await Http.PutAsync(http, $"{participants}/{flow.Id}/visits/D0/mrss", DrillSetup.Mrss(n), ct),
            };
            tally.Add(answer, request);
            if (step == 0 && answer.Ok)
            {
                flow.Id = answer.Json().GetProperty("id").GetGuid();
            }

            return answer;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            tally.AddTransportError(request, e);
            return null;
        }
    }

    /// <summary>
    /// (OK steps missing from the database, failed steps found in it other than those whose commit outcome was unknown,
    /// those whose commit outcome was unknown and which were saved one step ahead, a summary).
    /// </summary>
    private static async Task<(int Lost, int Leftovers, int Unacknowledged, string Summary)> CompareAsync(string connectionString, DrillTrial trial, List<Flow> flows, CancellationToken ct)
    {
        var saved = new Dictionary<string, int>(StringComparer.Ordinal);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand(
                """
                SELECT p.screening_number,
                       CASE WHEN EXISTS (SELECT 1 FROM mrss_assessments m JOIN visits v ON v.id = m.visit_id WHERE m.participant_id = p.id AND v.code = 'D0') THEN 4
                            WHEN p.status = 'Randomized' THEN 3
                            WHEN p.status = 'Enrolled' THEN 2
                            ELSE 1 END
                FROM participants p WHERE p.trial_id = @trial
                """,
                connection);
            command.Parameters.AddWithValue("trial", trial.Id);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                saved[reader.GetString(0)] = reader.GetInt32(1);
            }
        }

        int lost = 0, leftovers = 0, unacknowledged = 0, exact = 0;
        foreach (var flow in flows)
        {
            var inDatabase = saved.GetValueOrDefault(flow.ScreeningNumber);
            if (inDatabase < flow.Succeeded)
            {
                lost++;
            }
            else if (inDatabase == flow.Succeeded + 1 && flow.CommitOutcomeUnknown)
            {
                unacknowledged++;
            }
            else if (inDatabase > flow.Succeeded)
            {
                leftovers++;
            }
            else
            {
                exact++;
            }
        }

        var known = flows.Select(f => f.ScreeningNumber).ToHashSet(StringComparer.Ordinal);
        var unknown = saved.Keys.Count(k => !known.Contains(k));
        return (lost, leftovers + unknown, unacknowledged,
            $"{exact} of {flows.Count} participants exactly as their client saw them, {lost} behind, {leftovers} ahead, {unacknowledged} ahead after a lost commit acknowledgement, {unknown} unknown to the clients");
    }
}
