using Edc.Infrastructure.Identity;
using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Notifications;

/// <summary>Who a notification goes to: active accounts by role, optionally narrowed to one site for site-bound roles.</summary>
internal static class NotificationRecipients
{
    /// <summary>The active accounts holding any of <paramref name="roles"/>.</summary>
    public static Task<List<Guid>> WithRolesAsync(EdcDbContext db, IEnumerable<string> roles, CancellationToken cancellationToken) =>
        WithRolesAsync(db, roles, [], siteId: null, cancellationToken);

    /// <summary>
    /// The active accounts holding any of <paramref name="roles"/>, and those holding any of <paramref name="siteRoles"/>
    /// at <paramref name="siteId"/>.
    /// </summary>
    public static Task<List<Guid>> WithRolesAsync(
        EdcDbContext db, IEnumerable<string> roles, IEnumerable<string> siteRoles, Guid? siteId, CancellationToken cancellationToken)
    {
        var roleIds = roles.Select(EdcRole.IdOf).ToList();
        var siteRoleIds = siteRoles.Select(EdcRole.IdOf).ToList();
        return db.UserRoles
            .Where(r => roleIds.Contains(r.RoleId)
                || (siteRoleIds.Contains(r.RoleId) && db.UserSites.Any(s => s.UserId == r.UserId && s.SiteId == siteId)))
            .Join(db.Users.Where(u => u.IsActive), r => r.UserId, u => u.Id, (r, u) => u.Id)
            .Distinct()
            .ToListAsync(cancellationToken);
    }
}
