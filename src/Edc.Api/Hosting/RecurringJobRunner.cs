using System.Diagnostics;
using System.Globalization;
using Edc.Api.Common;
using Hangfire;
using Hangfire.Server;

namespace Edc.Api.Hosting;

/// <summary>
/// What Hangfire stores and runs for every recurring job: the job's name, resolved to its class when it runs, so stored
/// runs outlive a renamed class. Each run is one span of its own (<see cref="EdcTelemetry.Jobs"/>).
/// </summary>
public sealed class RecurringJobRunner(IServiceProvider services)
{
    /// <param name="context">Supplied by Hangfire when the job runs (the stored call passes null).</param>
    [JobDisplayName("{0}")]
    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(string job, PerformContext context, CancellationToken cancellationToken)
    {
        var type = BackgroundJobs.Recurring.FirstOrDefault(j => j.Name == job).Type
            ?? throw new InvalidOperationException($"No recurring job is called {job}.");
        var scheduledAt = ScheduledAt(context);
        using var activity = EdcTelemetry.Jobs.StartActivity("job " + job);
        activity?.SetTag("edc.job.name", job);
        activity?.SetTag("edc.job.id", context.BackgroundJob.Id);
        activity?.SetTag("edc.job.scheduled_at", scheduledAt.ToString("O", CultureInfo.InvariantCulture));
        try
        {
            await ((IRecurringJob)ActivatorUtilities.GetServiceOrCreateInstance(services, type)).RunAsync(scheduledAt, cancellationToken);
        }
        catch (Exception e)
        {
            // The type only: a message may quote data, and spans leave the system.
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
    }

    /// <summary>
    /// When the occurrence was due: Hangfire gives a run started by the recurring-job scheduler (or the dashboard's
    /// "Trigger now") the time it was triggered for; any other run counts as due when it was created.
    /// </summary>
    private static DateTimeOffset ScheduledAt(PerformContext context) =>
        context.GetJobParameter<long?>("Time") is { } unixSeconds
            ? DateTimeOffset.FromUnixTimeSeconds(unixSeconds)
            : new DateTimeOffset(DateTime.SpecifyKind(context.BackgroundJob.CreatedAt, DateTimeKind.Utc));
}
