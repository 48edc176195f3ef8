using Edc.Api.Common;
using Edc.Api.Security;
using MediatR;

namespace Edc.Api.Features.Notifications;

public static class NotificationEndpoints
{
    public static void MapNotificationEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/notifications", (int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListNotifications.Query(PageRequest.From(page, pageSize)), ct))
            .WithTags("Notifications")
            .RequireRoles(Authorization.EveryRole);
}
