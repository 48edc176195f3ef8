using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Edc.Infrastructure.Scheduling;

/// <summary>
/// A run of one occurrence of a scheduled job (<see cref="JobOccurrence"/>): unique by job, trial (or none) and
/// period, so an occurrence runs once whichever instance fires it and however often it is fired again.
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

/// <summary>
/// What one run of a job covers: the job, the trial it works on (null for a job over all trials) and the period, as
/// <see cref="Domain.Scheduling.JobPeriods"/> names it.
/// </summary>
public sealed record JobOccurrence(string Job, Guid? TrialId, string Period)
{
    /// <summary>
    /// Claims the occurrence inside the caller's transaction, the one of its effects: true when this caller inserted
    /// its run and is to do the work. A concurrent claimer waits for the first one's transaction and gets false once it
    /// commits; if it rolls back (the work failed), the occurrence is free again for a retry.
    /// </summary>
    public async Task<bool> ClaimAsync(EdcDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // An AuditedTransaction (the jobs' own) begins outside EF, so EF's CurrentTransaction does not show it.
        if (db.AuditedTransaction is null && db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A job run is claimed in the transaction of its effects.");
        }

        return await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO job_runs (id, job, trial_id, period, started_at)
            VALUES ({Guid.NewGuid()}, {Job}, {TrialId}, {Period}, {now})
            ON CONFLICT (job, trial_id, period) DO NOTHING
            """,
            cancellationToken) == 1;
    }

    /// <summary>Records how the claimed run ended, in the same transaction.</summary>
    public Task<int> CompleteAsync(EdcDbContext db, string outcome, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync(
            $"""
            UPDATE job_runs SET completed_at = {now}, outcome = {outcome}
            WHERE job = {Job} AND trial_id IS NOT DISTINCT FROM {TrialId} AND period = {Period}
            """,
            cancellationToken);
}
