using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Edc.Api.Tests.Infrastructure;

namespace Edc.Api.Tests;

public sealed class VisitScheduleTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    [Fact]
    public async Task Randomize_LaysOutEveryProtocolVisitFromDayZero()
    {
        var (coordinator, trialId, participantId) = await RandomizedAsync();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var visits = await VisitsAsync(coordinator, trialId, participantId);

        Assert.Equal(16, visits.Count);
        var week4 = visits.Single(v => v.GetProperty("code").GetString() == "W4");
        Assert.Equal(today.AddDays(28), DateOnly.Parse(week4.GetProperty("targetDate").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(today.AddDays(25), DateOnly.Parse(week4.GetProperty("windowStart").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(today.AddDays(31), DateOnly.Parse(week4.GetProperty("windowEnd").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        var screening = visits.Single(v => v.GetProperty("code").GetString() == "SCR");
        Assert.Equal(today.AddDays(-28), DateOnly.Parse(screening.GetProperty("windowStart").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.All(visits, v => Assert.Equal("Scheduled", v.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task CompleteVisit_OutsideItsWindow_IsFlaggedAndRecordedAsADeviation()
    {
        var (coordinator, trialId, participantId) = await RandomizedAsync();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var onTime = await coordinator.PutAsJsonAsync($"/api/trials/{trialId}/participants/{participantId}/visits/D0", new { status = "Completed", actualDate = today });
        var late = await coordinator.PutAsJsonAsync(
            $"/api/trials/{trialId}/participants/{participantId}/visits/SCR", new { status = "Completed", actualDate = today.AddDays(-40) });

        Assert.Equal(HttpStatusCode.OK, onTime.StatusCode);
        Assert.False((await onTime.JsonAsync()).GetProperty("outOfWindow").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        Assert.True((await late.JsonAsync()).GetProperty("outOfWindow").GetBoolean());
        Assert.Equal(1L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM protocol_deviations WHERE participant_id = @p", participantId));
    }

    private async Task<(HttpClient Coordinator, Guid TrialId, Guid ParticipantId)> RandomizedAsync()
    {
        var admin = await api.AdminAsync();
        var trialId = await admin.DemoTrialIdAsync();
        var siteId = await admin.DemoSiteIdAsync();
        var coordinator = await api.ClientForNewUserAsync(admin, "Coordinator", siteId);
        var statistician = await api.ClientForNewUserAsync(admin, "UnblindedStatistician");
        if ((await statistician.GetAsync($"/api/trials/{trialId}/randomization-list")).StatusCode == HttpStatusCode.NotFound)
        {
            await statistician.CreateListAsync(trialId);
        }

        var participantId = await coordinator.EnrolledAsync(trialId, siteId);
        Assert.Equal(HttpStatusCode.OK, (await coordinator.RandomizeAsync(trialId, participantId)).StatusCode);
        return (coordinator, trialId, participantId);
    }

    private static async Task<List<JsonElement>> VisitsAsync(HttpClient client, Guid trialId, Guid participantId) =>
        [.. (await client.GetJsonAsync($"/api/trials/{trialId}/participants/{participantId}/visits")).EnumerateArray()];
}
