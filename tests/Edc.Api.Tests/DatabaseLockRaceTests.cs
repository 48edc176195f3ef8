using System.Net;
using Edc.Api.Tests.Infrastructure;
using Npgsql;

namespace Edc.Api.Tests;

/// <summary>A clinical write racing the database lock either finishes before the lock or sees the trial locked.</summary>
public sealed class DatabaseLockRaceTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    [Fact]
    public async Task Randomize_WhileTheLockIsBeingCommitted_WaitsAndReturns409TrialLocked()
    {
        var admin = await api.AdminAsync();
        var trialId = await admin.DemoTrialIdAsync();
        var siteId = await admin.DemoSiteIdAsync();
        var coordinator = await api.ClientForNewUserAsync(admin, "Coordinator", siteId);
        await (await api.ClientForNewUserAsync(admin, "UnblindedStatistician")).CreateListAsync(trialId);
        var participantId = await coordinator.EnrolledAsync(trialId, siteId);

        // The lock under way: its transaction has updated the trial row but not committed yet.
        await using var locker = new NpgsqlConnection(api.ConnectionString);
        await locker.OpenAsync();
        await using var transaction = await locker.BeginTransactionAsync();
        await using (var update = new NpgsqlCommand("UPDATE trials SET status = 'Locked', locked_at = now() WHERE id = @id", locker, transaction))
        {
            update.Parameters.AddWithValue("id", trialId);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }

        var randomize = coordinator.RandomizeAsync(trialId, participantId);
        await WaitUntilBlockedAsync();
        Assert.False(randomize.IsCompleted, "the randomization did not wait for the lock's transaction");
        await transaction.CommitAsync();
        var response = await randomize;

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("TrialLocked", (await response.JsonAsync()).GetProperty("rule").GetString());
        Assert.Equal(0L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM randomization_slots WHERE participant_id IS NOT NULL"));
    }

    private async Task WaitUntilBlockedAsync()
    {
        for (var i = 0; i < 200; i++)
        {
            var waiting = await Sql.ScalarAsync<long>(
                api.ConnectionString,
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FOR SHARE%'");
            if (waiting > 0)
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail("No request waited on the trial row.");
    }
}
