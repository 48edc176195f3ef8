using Edc.Api.Common;
using MediatR;

namespace Edc.Api.Features.SafetySummaries;

/// <summary>Runs <see cref="WeeklySafetySummaries"/> on its schedule (Edc:Jobs:WeeklySafetySummary).</summary>
public sealed class WeeklySafetySummaryJob(IMediator mediator) : IRecurringJob
{
    public Task RunAsync(DateTimeOffset scheduledAt, CancellationToken cancellationToken) =>
        mediator.Send(new WeeklySafetySummaries.Command(scheduledAt), cancellationToken);
}
