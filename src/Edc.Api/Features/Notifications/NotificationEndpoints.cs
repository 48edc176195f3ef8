using Edc.Api.Common;
using Edc.Api.Security;
using MediatR;

namespace Edc.Api.Features.Notifications;

public static class NotificationEndpoints
{
    public static void MapNotificationEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/notifications", async (int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListNotifications.Query(PageRequest.From(page, pageSize)), ct)))
            .Describe(
                "ListNotifications", "My notifications",
                "The caller's own notifications (serious adverse events, overdue visits, ready summaries...), newest first, paged, with "
                + "their delivery status.")
            .WithTags("Notifications")
            .RequireRoles(Authorization.EveryRole);
}
