using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Edc.Infrastructure.Scheduling;

/// <summary>
/// One occurrence of a scheduled job, per trial where the job works trial by trial: the job's name, the trial (or
/// none) and the period it covers (<see cref="Domain.Scheduling.JobPeriods"/>) are unique, so an occurrence runs once whichever instance
/// fires it and however often it is fired again.
/// </summary>
public sealed class JobRun
{
    public Guid Id { get; private set; }

    public string Job { get; private set; } = string.Empty;

    public Guid? TrialId { get; private set; }

    public string Period { get; private set; } = string.Empty;

    public DateTimeOffset StartedAt { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    public string? Outcome { get; private set; }
}

public static class JobRuns
{
    /// <summary>
    /// Claims an occurrence inside the caller's transaction: true when this caller inserted its row and is to do the
    /// work. A concurrent claimer waits for the first one's transaction and gets false once it commits; when it rolls
    /// back (the work failed), the occurrence is free again for a retry.
    /// </summary>
    public static async Task<bool> ClaimAsync(
        EdcDbContext db, string job, Guid? trialId, string period, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A job run is claimed in the transaction of its effects.");
        }

        return await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO job_runs (id, job, trial_id, period, started_at)
            VALUES ({Guid.NewGuid()}, {job}, {trialId}, {period}, {now})
            ON CONFLICT (job, trial_id, period) DO NOTHING
            """,
            cancellationToken) == 1;
    }

    /// <summary>Records how the claimed occurrence ended, in the same transaction.</summary>
    public static Task<int> CompleteAsync(
        EdcDbContext db, string job, Guid? trialId, string period, string outcome, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync(
            $"""
            UPDATE job_runs SET completed_at = {now}, outcome = {outcome}
            WHERE job = {job} AND trial_id IS NOT DISTINCT FROM {trialId} AND period = {period}
            """,
            cancellationToken);
}
