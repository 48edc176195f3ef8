using Edc.Api.Common;
using Edc.Infrastructure.Identity;
using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Users;

internal static class UserViews
{
    public static IQueryable<UserView> Project(EdcDbContext db, IQueryable<EdcUser> users) =>
        users.Select(u => new UserView(
            u.Id,
            u.Email!,
            u.DisplayName,
            u.IsActive,
            db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!).OrderBy(n => n).ToList(),
            db.UserSites.Where(s => s.UserId == u.Id).Select(s => s.SiteId).ToList(),
            u.LockoutEnd,
            u.CreatedAt));

    public static async Task<UserView> GetAsync(EdcDbContext db, Guid id, CancellationToken cancellationToken) =>
        await Project(db, db.Users.Where(u => u.Id == id)).AsNoTracking().SingleOrDefaultAsync(cancellationToken)
        ?? throw new NotFoundException("The user");
}
