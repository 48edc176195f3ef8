using System.Globalization;
using System.Net.Http.Json;
using Edc.Api.Features.Notifications;
using Edc.Api.Features.Visits;
using Edc.Api.Hosting;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Edc.Api.Tests;

/// <summary>Two API instances on one database, each running the clustered scheduler.</summary>
public sealed class ClusteredInstances : IAsyncLifetime
{
    /// <summary>A schedule that does not come due during a test run: jobs run only when a test triggers them.</summary>
    private const string NeverDuringTests = "0 0 0 1 1 ? 2099";

    public EdcApiFactory A { get; private set; } = null!;

    public EdcApiFactory B { get; private set; } = null!;

    public string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        ConnectionString = await TestDatabaseServer.CreateDatabaseAsync();
        A = Instance();
        B = Instance();
        await Task.WhenAll(Task.Run(A.InitializeAsync), Task.Run(B.InitializeAsync));
    }

    public async Task DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
    }

    public static async Task<IScheduler> SchedulerOf(EdcApiFactory instance) =>
        await instance.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();

    private EdcApiFactory Instance()
    {
        var instance = new EdcApiFactory().WithConnectionString(ConnectionString).WithSetting("Edc:Scheduler:Enabled", "true");
        foreach (var (name, _) in Scheduler.Jobs)
        {
            instance.WithSetting($"Edc:Scheduler:Jobs:{name}:Cron", NeverDuringTests);
        }

        return instance;
    }
}

/// <summary>
/// The scheduler clustered over two instances: an occurrence fired on both, or run on both at the same moment, runs
/// once (one job_runs row, one notification per recipient), and the outbox is delivered once.
/// </summary>
public sealed class SchedulerTests(ClusteredInstances cluster) : IClassFixture<ClusteredInstances>
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    [Fact]
    public async Task Schedulers_OnTwoInstances_AreClusteredUnderIdsOfTheirOwn()
    {
        var a = await ClusteredInstances.SchedulerOf(cluster.A);
        var b = await ClusteredInstances.SchedulerOf(cluster.B);

        foreach (var scheduler in new[] { a, b })
        {
            Assert.Equal(SchedulerStatus.Running, scheduler.Status);
            Assert.True((await scheduler.GetMetadata()).JobStoreClustered);
            foreach (var (name, _) in Scheduler.Jobs)
            {
                Assert.True(await scheduler.Exists(new JobKey(name)), name);
            }
        }

        Assert.NotEqual(a.SchedulerInstanceId, b.SchedulerInstanceId);
        Assert.Equal(2L, await Sql.ScalarAsync<long>(cluster.ConnectionString, "SELECT count(*) FROM qrtz_scheduler_state"));
        TwoInstanceTests.AssertNoErrorsLogged(cluster.A);
        TwoInstanceTests.AssertNoErrorsLogged(cluster.B);
    }

    [Fact]
    public async Task OverdueVisitDigest_FiredOnBothInstances_NotifiesEachSiteUserOnceAndRecordsOneRun()
    {
        var s = await DigestScenarioAsync();

        // Today's occurrence fired on both instances: it runs twice, one after the other, and the second finds the run.
        await FireOnBothAsync(OverdueVisitDigest.JobName);

        Assert.Equal(
            [$"{Day(0)}|3 overdue visits at 2 sites; 4 notifications."],
            await RunsAsync(s.TrialId));

        // One per site for each active coordinator and investigator of it; nothing for the rest.
        var perRecipient = await NotificationCountsAsync(s.TrialId);
        Assert.Equal(1, perRecipient.GetValueOrDefault(s.CoordinatorA));
        Assert.Equal(2, perRecipient.GetValueOrDefault(s.InvestigatorAB));
        Assert.Equal(1, perRecipient.GetValueOrDefault(s.CoordinatorB));
        Assert.Equal(4, perRecipient.Values.Sum());

        // Read through the other instance: the site's overdue visits by screening number and code, no arm.
        var coordinatorA = await cluster.B.LoginAsync(s.CoordinatorAEmail, TestData.UserPassword);
        var mine = (await coordinatorA.GetJsonAsync("/api/notifications")).GetProperty("items").EnumerateArray()
            .Single(n => n.GetProperty("kind").GetString() == OverdueVisitDigest.Kind);
        var body = mine.GetProperty("body").GetString()!;
        Assert.Equal(s.TrialId, mine.GetProperty("trialId").GetGuid());
        Assert.Contains(s.SiteACode, mine.GetProperty("subject").GetString()!, StringComparison.Ordinal);
        Assert.Contains($"{s.Overdue} D0 ", body, StringComparison.Ordinal);
        Assert.Contains($"{s.Overdue} W4 ", body, StringComparison.Ordinal);
        Assert.DoesNotContain(s.Withdrawn, body, StringComparison.Ordinal);
        Assert.DoesNotContain(s.Recorded, body, StringComparison.Ordinal);
        Assert.DoesNotContain(s.OnTime, body, StringComparison.Ordinal);

        // Tomorrow's occurrence run at the same moment four times over both instances: one run, and site C's visit,
        // whose window closes today, is overdue by then.
        await Task.WhenAll(new[] { cluster.A, cluster.B, cluster.A, cluster.B }.Select(instance => Task.Run(() =>
            SendAsync(instance, new OverdueVisitDigest.Command(DateTimeOffset.UtcNow.AddDays(1))))));

        Assert.Equal(
            [$"{Day(0)}|3 overdue visits at 2 sites; 4 notifications.", $"{Day(1)}|4 overdue visits at 3 sites; 5 notifications."],
            await RunsAsync(s.TrialId));
        Assert.Equal(9, (await NotificationCountsAsync(s.TrialId)).Values.Sum());
        var texts = await Sql.ScalarAsync<string>(cluster.ConnectionString,
            "SELECT string_agg(subject || ' ' || body, ' ') FROM notifications WHERE trial_id = @p", s.TrialId);
        Assert.DoesNotContain(DistinctiveTrial.ArmStrings, arm => texts.Contains(arm, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task NotificationDelivery_FiredOnBothInstancesOrRunOnBothAtOnce_DeliversEachNotificationOnce()
    {
        var admin = await cluster.A.AdminAsync();
        var (userId, _) = await admin.CreateUserAsync([Roles.DsmbMember]);
        var fired = await QueueAsync(userId, 3 * DeliverNotifications.BatchSize);

        await FireOnBothAsync("NotificationDelivery");

        AssertDeliveredOnce(fired);

        var concurrent = await QueueAsync(userId, 3 * DeliverNotifications.BatchSize);
        await Task.WhenAll(new[] { cluster.A, cluster.B, cluster.A, cluster.B }.Select(instance => Task.Run(() =>
            NotificationTests.DeliverAsync(instance))));

        AssertDeliveredOnce(concurrent);
        Assert.Equal(fired.Count + concurrent.Count, await Sql.ScalarAsync<long>(cluster.ConnectionString,
            "SELECT count(*) FROM notifications WHERE recipient_user_id = @p AND delivered_at IS NOT NULL AND attempts = 1", userId));
    }

    private async Task<List<Guid>> QueueAsync(Guid userId, int count)
    {
        var queued = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            queued.Add(await NotificationTests.QueueAsync(cluster.A, userId, $"Clustered {i}"));
        }

        return queued;
    }

    /// <summary>Each notification was logged (delivered) by exactly one instance, once.</summary>
    private void AssertDeliveredOnce(List<Guid> notifications)
    {
        var lines = cluster.A.Logs.Lines.Concat(cluster.B.Logs.Lines).ToList();
        Assert.All(notifications, id => Assert.Single(lines, l => l.Contains($"Notification {id} to", StringComparison.Ordinal)));
    }

    /// <summary>Triggers the job through each instance's scheduler and waits until both firings have run.</summary>
    private async Task FireOnBothAsync(string job)
    {
        foreach (var instance in new[] { cluster.A, cluster.B })
        {
            await (await ClusteredInstances.SchedulerOf(instance)).TriggerJob(new JobKey(job));
        }

        // Only the job's own schedule left and nothing executing: both one-off triggers have fired and finished.
        for (var wait = 0; wait < 600; wait++)
        {
            var pending = await Sql.ScalarAsync<long>(cluster.ConnectionString, """
                SELECT (SELECT count(*) FROM qrtz_triggers WHERE job_name = @p) - 1
                     + (SELECT count(*) FROM qrtz_fired_triggers WHERE job_name = @p)
                """, job);
            if (pending == 0)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"The firings of {job} did not finish within a minute.");
    }

    private async Task<List<string>> RunsAsync(Guid trialId)
    {
        var runs = await Sql.ScalarAsync<string>(cluster.ConnectionString, $"""
            SELECT string_agg(period || '|' || outcome, E'\n' ORDER BY period) FROM job_runs
            WHERE job = '{OverdueVisitDigest.JobName}' AND trial_id = @p AND completed_at IS NOT NULL
            """, trialId);
        return [.. runs.Split('\n')];
    }

    private static async Task SendAsync<T>(EdcApiFactory instance, IRequest<T> command)
    {
        await using var scope = instance.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IMediator>().Send(command);
    }

    private async Task<Dictionary<Guid, int>> NotificationCountsAsync(Guid trialId)
    {
        var json = await Sql.ScalarAsync<string>(cluster.ConnectionString, $"""
            SELECT coalesce(json_object_agg(recipient_user_id, n), json_build_object())::text FROM (
                SELECT recipient_user_id, count(*) AS n FROM notifications
                WHERE trial_id = @p AND kind = '{OverdueVisitDigest.Kind}' GROUP BY recipient_user_id) c
            """, trialId);
        return System.Text.Json.JsonSerializer.Deserialize<Dictionary<Guid, int>>(json)!;
    }

    private static string Day(int fromToday) => Today.AddDays(fromToday).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed record DigestScenario(
        Guid TrialId, string SiteACode, Guid CoordinatorA, string CoordinatorAEmail, Guid InvestigatorAB, Guid CoordinatorB,
        string Overdue, string Withdrawn, string Recorded, string OnTime);

    /// <summary>
    /// A trial of its own with sites A, B and C. At A, one participant has D0 and W4 overdue, one withdrawn participant
    /// and one whose overdue D0 was recorded have none; at B one participant has D0 overdue; at C one participant's
    /// windows are all open. Site users: a coordinator of A, an investigator of A and B, a coordinator of B, a coordinator
    /// of C, a pharmacist of A and a deactivated coordinator of A.
    /// </summary>
    private async Task<DigestScenario> DigestScenarioAsync()
    {
        var api = cluster.A;
        var admin = await api.AdminAsync();
        var suffix = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var trial = await DistinctiveTrial.CreateAsync(admin, ["OA" + suffix, "OB" + suffix, "OC" + suffix]);
        var (siteA, siteB, siteC) = (trial.Sites["OA" + suffix], trial.Sites["OB" + suffix], trial.Sites["OC" + suffix]);
        await (await api.ClientForNewUserAsync(admin, Roles.UnblindedStatistician)).CreateListAsync(trial.Id);
        var (coordinatorA, coordinatorAEmail) = await admin.CreateUserAsync([Roles.Coordinator], siteA);
        var (investigatorAB, _) = await admin.CreateUserAsync([Roles.Investigator], siteA, siteB);
        var (coordinatorB, coordinatorBEmail) = await admin.CreateUserAsync([Roles.Coordinator], siteB);
        var (_, coordinatorCEmail) = await admin.CreateUserAsync([Roles.Coordinator], siteC);
        await admin.CreateUserAsync([Roles.Pharmacist], siteA);
        var (inactive, _) = await admin.CreateUserAsync([Roles.Coordinator], siteA);
        (await admin.PatchAsJsonAsync($"/api/users/{inactive}", new { active = false })).EnsureSuccessStatusCode();

        var atA = await api.LoginAsync(coordinatorAEmail, TestData.UserPassword);
        var atB = await api.LoginAsync(coordinatorBEmail, TestData.UserPassword);
        var atC = await api.LoginAsync(coordinatorCEmail, TestData.UserPassword);
        var overdue = await DistinctiveTrial.ParticipantAsync(atA, trial.Id, siteA, "limited");
        var withdrawn = await DistinctiveTrial.ParticipantAsync(atA, trial.Id, siteA, "limited");
        var recorded = await DistinctiveTrial.ParticipantAsync(atA, trial.Id, siteA, "diffuse");
        var atSiteB = await DistinctiveTrial.ParticipantAsync(atB, trial.Id, siteB, "diffuse");
        var onTime = await DistinctiveTrial.ParticipantAsync(atC, trial.Id, siteC, "limited");

        var cs = cluster.ConnectionString;
        await Sql.ExecuteAsync(cs, $"UPDATE visits SET window_start = current_date + 100, window_end = current_date + 110 WHERE trial_id = '{trial.Id}'");
        await Sql.ExecuteAsync(cs, $"""
            UPDATE visits SET window_start = current_date - 5, window_end = current_date - 1
            WHERE (participant_id IN ('{overdue}', '{withdrawn}', '{recorded}', '{atSiteB}') AND code = 'D0')
               OR (participant_id = '{overdue}' AND code = 'W4');
            UPDATE visits SET window_start = current_date - 5, window_end = current_date WHERE participant_id = '{onTime}' AND code = 'D0';
            UPDATE visits SET status = 'Completed', actual_date = current_date - 2 WHERE participant_id = '{recorded}' AND code = 'D0';
            UPDATE participants SET status = 'Withdrawn' WHERE id = '{withdrawn}';
            """);

        var screening = await ScreeningNumbersAsync(cs, trial.Id);
        return new DigestScenario(
            trial.Id, "OA" + suffix, coordinatorA, coordinatorAEmail, investigatorAB, coordinatorB,
            screening[overdue], screening[withdrawn], screening[recorded], screening[onTime]);
    }

    private static async Task<Dictionary<Guid, string>> ScreeningNumbersAsync(string cs, Guid trialId)
    {
        var json = await Sql.ScalarAsync<string>(cs, "SELECT json_object_agg(id, screening_number)::text FROM participants WHERE trial_id = @p", trialId);
        return System.Text.Json.JsonSerializer.Deserialize<Dictionary<Guid, string>>(json)!;
    }
}
