using System.Diagnostics;
using Edc.Bench;
using Npgsql;

namespace Edc.Drills;

/// <summary>
/// Drill 3: an API instance killed (SIGKILL) while a job runs; the job must be finished by the other instance, and its
/// effect made once. Written for Hangfire (Edc:JobServer, the hangfire schema, job_runs keyed by job, trial and period);
/// a build without it is reported as skipped.
/// <para>
/// Two instances, each a Hangfire server, share the database and fire the daily overdue-visit digest every 5 s (its
/// period stays the day, so only the first run does the work). The drill makes D0 visits of the kill drill's
/// participants overdue, holds an ACCESS EXCLUSIVE lock on visits so the first run stops right after claiming its
/// occurrence, kills the instance whose backend waits on that lock, lets the lock go, and waits: the killed server's
/// claim rolls back with its connection, the survivor's runs make the digest, and the job the killed server had fetched
/// is fetched again by the survivor once its invisibility timeout passes (15 s here) and ends Succeeded, doing nothing.
/// </para>
/// </summary>
internal static class JobServerDrill
{
    public const string Job = "OverdueVisitDigest";
    public const string Kind = "VisitsOverdue";

    public static async Task<bool> JobServerPresentAsync(string connectionString, CancellationToken ct) =>
        await Integrity.ScalarAsync(
            connectionString,
            "SELECT CASE WHEN to_regclass('hangfire.job') IS NOT NULL AND to_regclass('public.job_runs') IS NOT NULL THEN 1 ELSE 0 END",
            ct) == 1;

    /// <summary>Settings of the two job-server instances; the main instance runs with its job server off.</summary>
    public static Dictionary<string, string> InstanceSettings() => new()
    {
        ["Edc__TrialDefinitions__LoadAtStartup"] = "false",
        ["Edc__JobServer__Enabled"] = "true",
        [$"Edc__Jobs__{Job}"] = "*/5 * * * * *",
        ["Edc__JobServer__InvisibilityTimeout"] = "00:00:15",
        ["Edc__JobServer__PollInterval"] = "00:00:02",
    };

    public static async Task<DrillReport> RunAsync(string root, Cluster cluster, DrillTrial trial, CancellationToken ct)
    {
        var report = new DrillReport("3. Job on a killed instance");
        Console.WriteLine($"{report.Name}: two instances, each a Hangfire server; the one running the overdue-visit digest is killed (SIGKILL) mid-run");
        if (!await JobServerPresentAsync(cluster.ConnectionString, ct))
        {
            report.Skip("no job server in this build (no hangfire schema and job_runs after the migrations)");
            return report;
        }

        var since = DateTimeOffset.UtcNow;
        var overdue = await ExecuteAsync(cluster.ConnectionString,
            "UPDATE visits SET window_start = current_date - 10, window_end = current_date - 1, target_date = current_date - 5 WHERE trial_id = @trial AND code = 'D0' AND status = 'Scheduled'",
            ct, ("trial", trial.Id));
        var recipients = await Integrity.ScalarAsync(cluster.ConnectionString,
            """
            SELECT count(DISTINCT (us.site_id, us.user_id)) FROM user_sites us JOIN user_roles ur ON ur.user_id = us.user_id
            JOIN roles r ON r.id = ur.role_id JOIN users u ON u.id = us.user_id
            WHERE us.site_id IN (SELECT DISTINCT site_id FROM visits WHERE trial_id = @trial AND code = 'D0' AND status = 'Scheduled')
              AND r.name IN ('Coordinator', 'Investigator') AND u.is_active
            """,
            ct, ("trial", trial.Id));
        report.Line($"{overdue} D0 visits made overdue; {recipients} notifications expected for this trial (one per site and recipient)");

        await using var blocker = new NpgsqlConnection(cluster.ConnectionString);
        await blocker.OpenAsync(ct);
        var hold = await blocker.BeginTransactionAsync(ct);
        await using (var lockVisits = new NpgsqlCommand("LOCK TABLE visits IN ACCESS EXCLUSIVE MODE", blocker, hold))
        {
            await lockVisits.ExecuteNonQueryAsync(ct);
        }

        var settings = InstanceSettings();
        ApiProcess? a = null, b = null;
        try
        {
            a = await ApiProcess.StartAsync(root, cluster.ApiConnectionString("edc-drill-sched-a"), "edc-drill-sched-a", settings, ct);
            b = await ApiProcess.StartAsync(root, cluster.ApiConnectionString("edc-drill-sched-b"), "edc-drill-sched-b", settings, ct);
            report.Line($"instances: {a.Name} (pid {a.ProcessId}), {b.Name} (pid {b.ProcessId})");

            // The instance whose backend waits on the lock is inside the job, after its claim.
            string? running = null;
            var clock = Stopwatch.StartNew();
            while (running is null && clock.Elapsed < TimeSpan.FromSeconds(90))
            {
                await using var waiting = new NpgsqlCommand(
                    """
                    SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                    WHERE NOT l.granted AND l.relation = 'visits'::regclass AND a.application_name LIKE 'edc-drill-sched-%' LIMIT 1
                    """,
                    blocker);
                running = (string?)await waiting.ExecuteScalarAsync(ct);
                if (running is null)
                {
                    await Task.Delay(200, ct);
                }
            }

            if (running is null)
            {
                await hold.RollbackAsync(ct);
                report.Check(false, "a digest run was caught mid-run within 90 s");
                return report;
            }

            var (victim, survivor) = running == a.Name ? (a, b) : (b, a);
            var orphans = await RunningOnAsync(cluster.ConnectionString, victim.ProcessId, ct);
            await victim.KillHardAsync();
            report.Line($"caught {victim.Name} mid-run after {clock.Elapsed.TotalSeconds:0.0} s: killed with SIGKILL; lock released; the Hangfire jobs it was running: #{string.Join(", #", orphans)}");
            await hold.CommitAsync(ct);

            var activeTrials = await Integrity.ScalarAsync(cluster.ConnectionString, "SELECT count(*) FROM trials WHERE status = 'Active'", ct);
            long completed = 0;
            var wait = Stopwatch.StartNew();
            while (wait.Elapsed < TimeSpan.FromSeconds(120))
            {
                completed = await Integrity.ScalarAsync(cluster.ConnectionString,
                    "SELECT count(*) FROM job_runs WHERE job = @job AND started_at >= @since AND completed_at IS NOT NULL", ct, ("job", Job), ("since", since));
                if (completed >= activeTrials)
                {
                    break;
                }

                await Task.Delay(500, ct);
            }

            // The killed server's jobs become visible again after the invisibility timeout; the survivor finishes them.
            var finished = new List<long>();
            var recovery = Stopwatch.StartNew();
            while (finished.Count < orphans.Count && recovery.Elapsed < TimeSpan.FromSeconds(90))
            {
                await Task.Delay(1000, ct);
                finished = await FinishedByAsync(cluster.ConnectionString, orphans, survivor.ProcessId, ct);
            }

            await Task.Delay(TimeSpan.FromSeconds(12), ct); // more firings on the survivor: they must do nothing
            var runs = await Integrity.ScalarAsync(cluster.ConnectionString, "SELECT count(*) FROM job_runs WHERE job = @job AND started_at >= @since", ct, ("job", Job), ("since", since));
            var runsForTrial = await Integrity.ScalarAsync(cluster.ConnectionString,
                "SELECT count(*) FROM job_runs WHERE job = @job AND trial_id = @trial AND started_at >= @since AND completed_at IS NOT NULL", ct, ("job", Job), ("trial", trial.Id), ("since", since));
            var notifications = await Integrity.ScalarAsync(cluster.ConnectionString,
                "SELECT count(*) FROM notifications WHERE kind = @kind AND trial_id = @trial AND created_at >= @since", ct, ("kind", Kind), ("trial", trial.Id), ("since", since));
            var duplicates = await Integrity.ScalarAsync(cluster.ConnectionString,
                "SELECT count(*) FROM (SELECT 1 FROM notifications WHERE kind = @kind AND created_at >= @since GROUP BY recipient_user_id, trial_id, subject HAVING count(*) > 1) d",
                ct, ("kind", Kind), ("since", since));
            report.Line($"completed in {wait.Elapsed.TotalSeconds:0.0} s after the kill; job_runs: {runs} rows for {activeTrials} active trials, {completed} completed; notifications for the trial: {notifications}");
            report.Check(completed == activeTrials && runs == activeTrials, $"the occurrence completed exactly once per active trial ({completed} completed, {runs} rows, {activeTrials} trials)");
            report.Check(runsForTrial == 1 && notifications == recipients, $"the drill trial's digest ran once: {notifications} notifications of {recipients} expected");
            report.Check(duplicates == 0, $"no notification queued twice ({duplicates})");
            report.Check(orphans.Count > 0 && finished.Count == orphans.Count,
                $"the killed server's jobs in flight ({orphans.Count}) were finished by the survivor ({finished.Count}, {recovery.Elapsed.TotalSeconds:0} s after the kill)");
            report.Check(!survivor.HasExited, $"the survivor {survivor.Name} is still running");
        }
        finally
        {
            if (a is not null)
            {
                await a.DisposeAsync();
            }

            if (b is not null)
            {
                await b.DisposeAsync();
            }
        }

        return report;
    }

    /// <summary>The Hangfire jobs the instance's server is processing (its server id is host:pid:guid).</summary>
    private static async Task<List<long>> RunningOnAsync(string connectionString, int processId, CancellationToken ct) =>
        await Integrity.ColumnAsync<long>(connectionString, """
            SELECT j.id FROM hangfire.job j JOIN hangfire.state s ON s.id = j.stateid
            WHERE j.statename = 'Processing' AND s.data::jsonb->>'ServerId' LIKE '%:' || @pid || ':%'
            """, ct, ("pid", processId.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Those of the jobs that succeeded after a run on the instance's server.</summary>
    private static async Task<List<long>> FinishedByAsync(string connectionString, List<long> jobs, int processId, CancellationToken ct) =>
        await Integrity.ColumnAsync<long>(connectionString, """
            SELECT j.id FROM hangfire.job j
            WHERE j.id = ANY(@jobs) AND j.statename = 'Succeeded'
              AND (SELECT s.data::jsonb->>'ServerId' FROM hangfire.state s WHERE s.jobid = j.id AND s.name = 'Processing' ORDER BY s.id DESC LIMIT 1)
                  LIKE '%:' || @pid || ':%'
            """, ct, ("jobs", jobs.ToArray()), ("pid", processId.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static async Task<int> ExecuteAsync(string connectionString, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteNonQueryAsync(ct);
    }
}
