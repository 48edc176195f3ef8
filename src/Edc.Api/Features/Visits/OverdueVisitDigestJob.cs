using Edc.Api.Common;
using MediatR;

namespace Edc.Api.Features.Visits;

/// <summary>Runs <see cref="OverdueVisitDigest"/> on its schedule (Edc:Jobs:OverdueVisitDigest).</summary>
public sealed class OverdueVisitDigestJob(IMediator mediator) : IRecurringJob
{
    public Task RunAsync(DateTimeOffset scheduledAt, CancellationToken cancellationToken) =>
        mediator.Send(new OverdueVisitDigest.Command(scheduledAt), cancellationToken);
}
