using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Notifications;

/// <summary>The caller's own notifications, newest first, paged; whoever the caller is, never anyone else's.</summary>
public static class ListNotifications
{
    [AllowedToEveryRole]
    public sealed record Query(PageRequest Page) : IRequest<PagedList<NotificationView>>;

    internal sealed class Handler(EdcDbContext db, CurrentUser user) : IRequestHandler<Query, PagedList<NotificationView>>
    {
        public async Task<PagedList<NotificationView>> Handle(Query query, CancellationToken cancellationToken)
        {
            var page = await db.Notifications.AsNoTracking()
                .Where(n => n.RecipientUserId == user.Id!.Value)
                .OrderByDescending(n => n.CreatedAt).ThenBy(n => n.Id)
                .ToPageAsync(query.Page, cancellationToken);
            return new PagedList<NotificationView>(
                [.. page.Items.Select(n => new NotificationView(
                    n.Id, n.Kind, n.Subject, n.Body, n.TrialId, n.CreatedAt, n.DeliveredAt, n.Attempts, n.LastError, n.Status))],
                page.Page, page.PageSize, page.Total);
        }
    }
}
