using System.Net;
using System.Net.Http.Json;
using Edc.Api.Features.AdverseEvents;
using Edc.Api.Tests.Infrastructure;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace Edc.Api.Tests;

/// <summary>The SAE deadline monitor (a recurring job, every 15 minutes): each overdue report is announced once.</summary>
public sealed class ReportingDeadlineMonitorTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    [Fact]
    public async Task Monitor_WhenSponsorReportOverdue_NotifiesSiteInvestigatorsAndAdminsOnce()
    {
        var participant = await api.RandomizedAsync();
        var investigator = await participant.Admin.CreateUserAsync(["Investigator"], participant.SiteId);
        var overdue = await RecordSeriousAsync(participant, "Pneumonia", awareHoursAgo: 30, relatedness: "NotRelated");
        var onTime = await RecordSeriousAsync(participant, "Cellulitis", awareHoursAgo: 2, relatedness: "NotRelated");

        // Two instances' monitors at once, then a re-run: one announcement.
        await Task.WhenAll(RunMonitorAsync(), RunMonitorAsync());
        await RunMonitorAsync();

        Assert.Equal(1L, await OverdueNotificationsAsync(overdue, investigator.Id));
        Assert.Equal(0L, await OverdueNotificationsAsync(onTime, investigator.Id));
        var body = await Sql.ScalarAsync<string>(
            api.ConnectionString, "SELECT body FROM notifications WHERE kind = 'ExpeditedReportOverdue' AND body LIKE '%Pneumonia%' LIMIT 1");
        Assert.Contains("sponsor", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Monitor_WhenSusarOverdueForRegulators_AnnouncesBothReports()
    {
        var participant = await api.RandomizedAsync();
        var susar = await RecordSeriousAsync(participant, "Hepatic failure", awareHoursAgo: 24 * 16, relatedness: "Probable");

        await RunMonitorAsync();

        Assert.Equal(2L, await Sql.ScalarAsync<long>(
            api.ConnectionString,
            "SELECT count(DISTINCT subject) FROM notifications WHERE kind = 'ExpeditedReportOverdue' AND body LIKE '%Hepatic failure%'"));
        Assert.True(await Sql.ScalarAsync<bool>(
            api.ConnectionString,
            "SELECT sponsor_overdue_notified_at IS NOT NULL AND regulator_overdue_notified_at IS NOT NULL FROM adverse_events WHERE id = @p", susar));
    }

    [Fact]
    public async Task Monitor_WhenReportRecordedAsSent_AnnouncesNothing()
    {
        var participant = await api.RandomizedAsync();
        var sent = await RecordSeriousAsync(participant, "Syncope", awareHoursAgo: 40, relatedness: "NotRelated");
        var recorded = await participant.Admin.PostAsJsonAsync(
            $"/api/trials/{participant.TrialId}/adverse-events/{sent}/expedited-reports",
            new { recipient = "Sponsor", sentAt = DateTimeOffset.UtcNow.AddHours(-1) });
        Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);

        await RunMonitorAsync();

        Assert.Equal(0L, await Sql.ScalarAsync<long>(
            api.ConnectionString, "SELECT count(*) FROM notifications WHERE kind = 'ExpeditedReportOverdue' AND body LIKE '%Syncope%'"));
    }

    private async Task RunMonitorAsync()
    {
        await using var scope = api.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new MonitorReportingDeadlines.Command());
    }

    private Task<long> OverdueNotificationsAsync(Guid adverseEventId, Guid recipient) => Sql.ScalarAsync<long>(
        api.ConnectionString,
        $"""
        SELECT count(*) FROM notifications n JOIN adverse_events a ON n.body LIKE '%' || a.term || '%'
        WHERE n.kind = 'ExpeditedReportOverdue' AND a.id = @p AND n.recipient_user_id = '{recipient}'
        """,
        adverseEventId);

    internal static async Task<Guid> RecordSeriousAsync(RandomizedParticipant participant, string term, int awareHoursAgo, string relatedness)
    {
        var awareAt = DateTimeOffset.UtcNow.AddHours(-awareHoursAgo);
        var response = await participant.Coordinator.PostAsJsonAsync($"/api/trials/{participant.TrialId}/participants/{participant.ParticipantId}/adverse-events", new
        {
            term,
            onsetDate = awareAt.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ongoing = true,
            grade = 3,
            serious = true,
            seriousnessCriteria = new[] { "Hospitalization" },
            relatedness,
            expected = false,
            actionTaken = "DrugInterrupted",
            outcome = "NotRecovered",
            awarenessDate = awareAt,
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }
}
