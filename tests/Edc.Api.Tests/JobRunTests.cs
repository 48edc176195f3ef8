using Edc.Api.Tests.Infrastructure;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Scheduling;
using Microsoft.Extensions.DependencyInjection;

namespace Edc.Api.Tests;

/// <summary>Claiming a job's run: once per job, trial and period, a job without a trial included; a rolled-back claim frees it.</summary>
public sealed class JobRunTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    [Fact]
    public async Task Claim_OfAJobWithoutTrial_SucceedsOncePerPeriodAndAgainAfterARollback()
    {
        var job = "Test" + Guid.NewGuid().ToString("N")[..8];
        var thisWeek = new JobOccurrence(job, null, "2026-W47");

        // A claim whose work failed (rolled back) leaves the occurrence free.
        Assert.True(await ClaimAsync(thisWeek, commit: false));
        Assert.True(await ClaimAsync(thisWeek, outcome: "done"));
        Assert.False(await ClaimAsync(thisWeek));
        Assert.True(await ClaimAsync(thisWeek with { Period = "2026-W48" }));
        Assert.True(await ClaimAsync(thisWeek with { TrialId = Guid.NewGuid() }));

        Assert.Equal(3L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM job_runs WHERE job = @p", job));
        Assert.Equal("done", await Sql.ScalarAsync<string>(api.ConnectionString,
            "SELECT outcome FROM job_runs WHERE job = @p AND trial_id IS NULL AND period = '2026-W47' AND completed_at IS NOT NULL", job));
    }

    /// <summary>Claims (and completes, given an outcome) in a transaction of its own, committed or rolled back; answers whether the claim was won.</summary>
    private async Task<bool> ClaimAsync(JobOccurrence occurrence, bool commit = true, string? outcome = null)
    {
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EdcDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var claimed = await occurrence.ClaimAsync(db, DateTimeOffset.UtcNow, CancellationToken.None);
        if (claimed && outcome is not null)
        {
            Assert.Equal(1, await occurrence.CompleteAsync(db, outcome, DateTimeOffset.UtcNow, CancellationToken.None));
        }

        await (commit ? transaction.CommitAsync() : transaction.RollbackAsync());
        return claimed;
    }
}
