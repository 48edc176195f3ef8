using System.Diagnostics;
using Edc.Bench;
using Npgsql;

namespace Edc.Drills;

/// <summary>
/// Drill 3: an API instance killed (SIGKILL) while a scheduled job runs; the job must complete once, on the other
/// instance. Written for the clustered Quartz scheduler (Edc:Scheduler, qrtz_ tables, job_runs keyed by job, trial and
/// period); a build without it is reported as skipped.
/// <para>
/// Two instances with the scheduler on share the database and fire the daily overdue-visit digest every 5 s (its
/// period stays the day, so only the first firing does the work). The drill makes D0 visits of the kill drill's
/// participants overdue, holds an ACCESS EXCLUSIVE lock on visits so the first run stops right after claiming its
/// occurrence, kills the instance whose backend waits on that lock, lets the lock go, and waits for the survivor.
/// </para>
/// </summary>
internal static class SchedulerDrill
{
    public const string Job = "OverdueVisitDigest";
    public const string Kind = "VisitsOverdue";

    public static async Task<bool> SchedulerPresentAsync(string connectionString, CancellationToken ct) =>
        await Integrity.ScalarAsync(
            connectionString,
            "SELECT CASE WHEN to_regclass('public.qrtz_job_details') IS NOT NULL AND to_regclass('public.job_runs') IS NOT NULL THEN 1 ELSE 0 END",
            ct) == 1;

    /// <summary>Settings of the two scheduler instances; the main instance runs with the scheduler off.</summary>
    public static Dictionary<string, string> InstanceSettings() => new()
    {
        ["Edc__TrialDefinitions__LoadAtStartup"] = "false",
        ["Edc__Scheduler__Enabled"] = "true",
        [$"Edc__Scheduler__Jobs__{Job}__Cron"] = "0/5 * * * * ?",
        ["Edc__Scheduler__CheckinInterval"] = "00:00:02",
        ["Edc__Scheduler__CheckinMisfireThreshold"] = "00:00:05",
    };

    public static async Task<DrillReport> RunAsync(string root, Cluster cluster, DrillTrial trial, CancellationToken ct)
    {
        var report = new DrillReport("3. Scheduled job on a killed instance");
        Console.WriteLine($"{report.Name}: two instances with the clustered scheduler; the one running the overdue-visit digest is killed (SIGKILL) mid-run");
        if (!await SchedulerPresentAsync(cluster.ConnectionString, ct))
        {
            report.Skip("no scheduler in this build (no qrtz_ tables and job_runs after the migrations)");
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
            await victim.KillHardAsync();
            report.Line($"caught {victim.Name} mid-run after {clock.Elapsed.TotalSeconds:0.0} s: killed with SIGKILL; lock released");
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
