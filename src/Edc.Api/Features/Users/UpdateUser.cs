using Edc.Api.Common;
using Edc.Api.Common.Changes;
using Edc.Api.Security;
using Edc.Domain.Common;
using Edc.Domain.Security;
using Edc.Infrastructure.Identity;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using FluentValidation;
using FluentValidation.Results;
using MediatR;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Users;

public static class UpdateUser
{
    public sealed record Body(List<string>? Roles, List<Guid>? SiteIds, bool? Active, string? DisplayName, string? Reason);

    // Qualified: the record's own Roles is in scope here.

    [AllowedRoles(Domain.Security.Roles.Admin)]
    public sealed record Command(Guid Id, List<string>? Roles, List<Guid>? SiteIds, bool? Active, string? DisplayName, string? Reason)
        : IRequest<UserView>, IAuditedChange;

    internal sealed class Handler(EdcDbContext db, UserManager<EdcUser> users, CurrentUser currentUser, TimeProvider clock)
        : IRequestHandler<Command, UserView>
    {
        public async Task<UserView> Handle(Command command, CancellationToken cancellationToken)
        {
            var user = await db.Users.SingleOrDefaultAsync(u => u.Id == command.Id, cancellationToken) ?? throw new NotFoundException("The user");
            var isSelf = user.Id == currentUser.Id;

            if (command.DisplayName is not null)
            {
                user.DisplayName = command.DisplayName;
            }

            if (command.Active is { } active && active != user.IsActive)
            {
                if (isSelf && !active)
                {
                    throw new RuleViolationException(RuleCodes.CannotDeactivateSelf, "You cannot deactivate your own account.");
                }

                user.IsActive = active;
                if (!active)
                {
                    // Existing tokens stop working at once: the per-request check also looks at IsActive.
                    await db.AuthSessions.Where(s => s.UserId == user.Id && s.RevokedAt == null)
                        .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, clock.GetUtcNow()), cancellationToken);
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            var roles = await users.GetRolesAsync(user);
            if (command.Roles is not null)
            {
                var wanted = command.Roles.Distinct().ToList();
                if (isSelf && roles.Contains(Roles.Admin) && !wanted.Contains(Roles.Admin))
                {
                    throw new RuleViolationException(RuleCodes.CannotRemoveOwnAdmin, "You cannot remove your own Admin role.");
                }

                UserRules.ThrowIfFailed(await users.RemoveFromRolesAsync(user, roles.Except(wanted)));
                UserRules.ThrowIfFailed(await users.AddToRolesAsync(user, wanted.Except(roles)));
                roles = wanted;
            }

            var siteIds = command.SiteIds?.Distinct().ToList();
            if (siteIds is not null)
            {
                await UserRules.RequireSitesExistAsync(db, siteIds, cancellationToken);
                var current = await db.UserSites.Where(s => s.UserId == user.Id).ToListAsync(cancellationToken);
                db.UserSites.RemoveRange(current.Where(s => !siteIds.Contains(s.SiteId)));
                db.UserSites.AddRange(siteIds.Where(id => current.All(s => s.SiteId != id)).Select(id => new UserSite { UserId = user.Id, SiteId = id }));
            }

            var hasSites = siteIds?.Count > 0 || (siteIds is null && await db.UserSites.AnyAsync(s => s.UserId == user.Id, cancellationToken));
            if (roles.Any(Roles.SiteScoped.Contains) && !hasSites)
            {
                throw new ValidationException([new ValidationFailure("siteIds", "Coordinators, Investigators, Pharmacists and Monitors need at least one site.")]);
            }

            await db.SaveChangesAsync(cancellationToken);
            return await UserViews.GetAsync(db, user.Id, cancellationToken);
        }
    }
}
