using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Edc.Api.Features.Notifications;
using Edc.Api.Features.SafetySummaries;
using Edc.Api.Features.Visits;
using Edc.Api.Hosting;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Scheduling;
using Edc.Domain.Security;
using Hangfire;
using Hangfire.Storage;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace Edc.Api.Tests;

/// <summary>Two API instances on one database, each a Hangfire server.</summary>
public sealed class TwoJobServers : IAsyncLifetime
{
    public EdcApiFactory A { get; private set; } = null!;

    public EdcApiFactory B { get; private set; } = null!;

    public string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        ConnectionString = await TestDatabaseServer.CreateDatabaseAsync();
        A = Instance();
        B = Instance();
        await Task.WhenAll(Task.Run(A.InitializeAsync), Task.Run(B.InitializeAsync));

        // A server announces itself shortly after its host has started: the tests begin once both have.
        var monitoring = A.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        for (var wait = 0; wait < 300 && monitoring.Servers().Count < 2; wait++)
        {
            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
    }

    private EdcApiFactory Instance() => new EdcApiFactory().WithConnectionString(ConnectionString).WithJobServer();
}

/// <summary>
/// Hangfire runs a job at least once; each job's effect stays exactly once. Every recurring job triggered on both servers
/// at the same moment has one effect: one summary per trial and week, one digest per recipient and day, one announcement
/// per overdue report, one delivery per notification.
/// </summary>
public sealed class BackgroundJobTests(TwoJobServers cluster) : IClassFixture<TwoJobServers>
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    [Fact]
    public async Task JobServers_OnTwoInstances_ShareOneStorageWithEveryRecurringJobInTheHangfireSchema()
    {
        var monitoring = cluster.A.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        Assert.Equal(2, monitoring.Servers().Count);
        Assert.Equal(2, cluster.B.Services.GetRequiredService<JobStorage>().GetMonitoringApi().Servers().Count);

        using var connection = cluster.B.Services.GetRequiredService<JobStorage>().GetConnection();
        var recurring = connection.GetRecurringJobs();
        Assert.Equal(
            ["NotificationDelivery", "OverdueVisitDigest", "ReportingDeadlineMonitor", "WeeklySafetySummary"],
            recurring.Select(j => j.Id).Order(StringComparer.Ordinal));
        Assert.All(recurring, j => Assert.Equal(JobRuns.NeverDue, j.Cron));
        Assert.All(recurring, j => Assert.Equal("UTC", j.TimeZoneId));

        Assert.True(await Sql.ScalarAsync<bool>(cluster.ConnectionString, "SELECT to_regclass('hangfire.job') IS NOT NULL"));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(cluster.ConnectionString, "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'qrtz%'"));
        TwoInstanceTests.AssertNoErrorsLogged(cluster.A);
        TwoInstanceTests.AssertNoErrorsLogged(cluster.B);
    }

    [Fact]
    public async Task OverdueVisitDigest_TriggeredOnBothServers_NotifiesEachSiteUserOnceAndRecordsOneRun()
    {
        var s = await DigestScenarioAsync();

        await TriggerOnBothAsync(OverdueVisitDigest.JobName);

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
    public async Task WeeklySafetySummary_TriggeredOnBothServers_CreatesOneSummaryPerActiveTrialAndOneNotificationPerReader()
    {
        var admin = await cluster.A.AdminAsync();
        var (reader, _) = await admin.CreateUserAsync([Roles.DsmbMember]);
        var week = JobPeriods.IsoWeek(DateTimeOffset.UtcNow);

        await TriggerOnBothAsync(WeeklySafetySummaries.JobName);

        var activeTrials = await Sql.ScalarAsync<long>(cluster.ConnectionString, "SELECT count(*) FROM trials WHERE status = 'Active'");
        Assert.True(activeTrials >= 1);
        Assert.Equal(activeTrials, await Sql.ScalarAsync<long>(cluster.ConnectionString,
            $"SELECT count(*) FROM safety_summaries WHERE period_key = '{week}' AND generated_by_job = '{WeeklySafetySummaries.JobName}'"));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(cluster.ConnectionString,
            $"SELECT count(*) FROM (SELECT 1 FROM safety_summaries WHERE period_key = '{week}' GROUP BY trial_id HAVING count(*) > 1) twice"));
        Assert.Equal(activeTrials, await Sql.ScalarAsync<long>(cluster.ConnectionString,
            "SELECT count(*) FROM notifications WHERE kind = 'SafetySummaryReady' AND recipient_user_id = @p", reader));
    }

    [Fact]
    public async Task ReportingDeadlineMonitor_TriggeredOnBothServers_AnnouncesEachOverdueReportOnce()
    {
        var participant = await cluster.A.RandomizedAsync();
        var investigator = await participant.Admin.CreateUserAsync([Roles.Investigator], participant.SiteId);
        var overdue = await ReportingDeadlineMonitorTests.RecordSeriousAsync(participant, "Pulmonary embolism", awareHoursAgo: 30, relatedness: "NotRelated");

        await TriggerOnBothAsync("ReportingDeadlineMonitor");
        await TriggerOnBothAsync("ReportingDeadlineMonitor");

        Assert.Equal(1L, await Sql.ScalarAsync<long>(cluster.ConnectionString, $"""
            SELECT count(*) FROM notifications n JOIN adverse_events a ON n.body LIKE '%' || a.term || '%'
            WHERE n.kind = 'ExpeditedReportOverdue' AND a.id = @p AND n.recipient_user_id = '{investigator.Id}'
            """, overdue));
    }

    [Fact]
    public async Task NotificationDelivery_TriggeredOnBothServersOrRunOnBothAtOnce_DeliversEachNotificationOnce()
    {
        var admin = await cluster.A.AdminAsync();
        var (userId, _) = await admin.CreateUserAsync([Roles.DsmbMember]);
        var fired = await QueueAsync(userId, 3 * DeliverNotifications.BatchSize);

        await TriggerOnBothAsync("NotificationDelivery");

        AssertDeliveredOnce(fired);

        var concurrent = await QueueAsync(userId, 3 * DeliverNotifications.BatchSize);
        await Task.WhenAll(new[] { cluster.A, cluster.B, cluster.A, cluster.B }.Select(instance => Task.Run(() =>
            NotificationTests.DeliverAsync(instance))));

        AssertDeliveredOnce(concurrent);
        Assert.Equal(fired.Count + concurrent.Count, await Sql.ScalarAsync<long>(cluster.ConnectionString,
            "SELECT count(*) FROM notifications WHERE recipient_user_id = @p AND delivered_at IS NOT NULL AND attempts = 1", userId));
    }

    [Fact]
    public async Task Dashboard_AnswersAdminOnly_AndRefusesARevokedSessionAtOnce()
    {
        var admin = await cluster.A.AdminAsync();
        var coordinator = await cluster.A.ClientForNewUserAsync(admin, Roles.Coordinator, await admin.DemoSiteIdAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, (await cluster.A.Anonymous().GetAsync("/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await coordinator.GetAsync("/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await coordinator.GetAsync("/jobs/recurring")).StatusCode);

        var recurring = await admin.GetAsync("/jobs/recurring");
        Assert.Equal(HttpStatusCode.OK, recurring.StatusCode);
        var page = await recurring.Content.ReadAsStringAsync();
        Assert.All(BackgroundJobs.Recurring, job => Assert.Contains(job.Name, page, StringComparison.Ordinal));
        Assert.Contains("Next execution", page, StringComparison.Ordinal);
        Assert.Contains("Last execution", page, StringComparison.Ordinal);
        var servers = await (await admin.GetAsync("/jobs/servers")).Content.ReadAsStringAsync();
        Assert.All(
            cluster.A.Services.GetRequiredService<JobStorage>().GetMonitoringApi().Servers(),
            server => Assert.Contains(WebUtility.HtmlEncode(server.Name), servers, StringComparison.Ordinal));
        Assert.DoesNotContain("Host=", await (await admin.GetAsync("/jobs")).Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);

        // Signed out: the same token is refused at once, on either instance.
        var signedOut = await cluster.A.AdminAsync();
        Assert.Equal(HttpStatusCode.OK, (await signedOut.GetAsync("/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await signedOut.PostAsync("/api/auth/logout", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await signedOut.GetAsync("/jobs")).StatusCode);
        var onB = cluster.B.Anonymous();
        onB.DefaultRequestHeaders.Authorization = signedOut.DefaultRequestHeaders.Authorization;
        Assert.Equal(HttpStatusCode.Unauthorized, (await onB.GetAsync("/jobs/recurring")).StatusCode);
    }

    /// <summary>
    /// Triggers the recurring job through each instance's own manager at the same moment (as an admin's "Trigger now" on
    /// both dashboards would), and waits until both runs have succeeded, on whichever servers fetched them.
    /// </summary>
    private async Task TriggerOnBothAsync(string job)
    {
        var runs = await Task.WhenAll(new[] { cluster.A, cluster.B }.Select(instance => Task.Run(() => instance.TriggerJob(job))));
        Assert.Equal(2, runs.Distinct().Count());
        await cluster.A.WaitSucceededAsync(runs);
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
