using Edc.Api.Features.SafetySummaries;
using Edc.Api.Tests.Infrastructure;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace Edc.Api.Tests;

/// <summary>The weekly job's command: one summary per active trial and ISO week, and one notification per reader, however often it runs.</summary>
public sealed class WeeklySafetySummaryTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    [Fact]
    public async Task WeeklySummaries_WhenOccurrenceRunsTwiceAtOnce_CreateOneSummaryAndOneNotificationPerReader()
    {
        var admin = await api.AdminAsync();
        var trialId = await admin.DemoTrialIdAsync();
        var (dsmbId, _) = await admin.CreateUserAsync(["DsmbMember"]);
        var scheduledAt = new DateTimeOffset(2026, 11, 16, 5, 0, 0, TimeSpan.Zero);

        var created = await Task.WhenAll(RunAsync(scheduledAt), RunAsync(scheduledAt));
        await RunAsync(scheduledAt.AddMinutes(1));

        Assert.Equal(1, created.Sum());
        Assert.Equal(1L, await Sql.ScalarAsync<long>(
            api.ConnectionString, "SELECT count(*) FROM safety_summaries WHERE trial_id = @p AND period_key = '2026-W47'", trialId));
        Assert.Equal(1L, await Sql.ScalarAsync<long>(
            api.ConnectionString,
            $"SELECT count(*) FROM notifications WHERE kind = 'SafetySummaryReady' AND trial_id = @p AND recipient_user_id = '{dsmbId}'",
            trialId));
    }

    private async Task<int> RunAsync(DateTimeOffset scheduledAt)
    {
        await using var scope = api.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new WeeklySafetySummaries.Command(scheduledAt));
    }
}

/// <summary>Summaries generated at the same moment, each with its audit rows: the audit chain takes them one after another.</summary>
public sealed class SafetySummaryConcurrencyTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    [Fact]
    public async Task GenerateSummary_WhenTenRequestedAtOnce_CreatesTenAndKeepsTheAuditChainIntact()
    {
        var admin = await api.AdminAsync();
        var trialId = await admin.DemoTrialIdAsync();
        var statistician = await api.ClientForNewUserAsync(admin, "UnblindedStatistician");

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            statistician.PostAsync($"/api/trials/{trialId}/safety-summaries", System.Net.Http.Json.JsonContent.Create(new { }))));

        Assert.All(responses, r => Assert.Equal(System.Net.HttpStatusCode.Created, r.StatusCode));
        Assert.Equal(10L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM safety_summaries WHERE trial_id = @p", trialId));
        var verification = await admin.GetJsonAsync("/api/audit/verification");
        Assert.True(verification.GetProperty("intact").GetBoolean(), verification.ToString());
    }
}
