using Edc.Api.Common;
using MediatR;

namespace Edc.Api.Features.AdverseEvents;

/// <summary>Runs <see cref="MonitorReportingDeadlines"/> on its schedule (Edc:Jobs:ReportingDeadlineMonitor).</summary>
public sealed class ReportingDeadlineMonitorJob(IMediator mediator) : IRecurringJob
{
    public Task RunAsync(DateTimeOffset scheduledAt, CancellationToken cancellationToken) =>
        mediator.Send(new MonitorReportingDeadlines.Command(), cancellationToken);
}
