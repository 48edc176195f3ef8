using Edc.Api.Common;
using MediatR;

namespace Edc.Api.Features.Notifications;

/// <summary>Runs <see cref="DeliverNotifications"/> on its schedule (Edc:Jobs:NotificationDelivery).</summary>
public sealed class NotificationDeliveryJob(IMediator mediator) : IRecurringJob
{
    public Task RunAsync(DateTimeOffset scheduledAt, CancellationToken cancellationToken) =>
        mediator.Send(new DeliverNotifications.Command(), cancellationToken);
}
