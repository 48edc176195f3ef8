namespace Edc.Api.Common;

/// <summary>
/// A job Hangfire runs on a schedule (<see cref="Hosting.BackgroundJobs"/>). It stays thin: it sends one MediatR command, which
/// makes its effect exactly once however often the occurrence runs.
/// </summary>
public interface IRecurringJob
{
    /// <param name="scheduledAt">When the occurrence was due (UTC): the period it covers is taken from it, not from the moment it runs.</param>
    Task RunAsync(DateTimeOffset scheduledAt, CancellationToken cancellationToken);
}
