using Edc.Api.Common.Changes;
using Edc.Api.Security;
using Edc.Domain.Common;
using Edc.Infrastructure.Identity;
using Edc.Infrastructure.Persistence;
using MediatR;
using Microsoft.AspNetCore.Identity;

namespace Edc.Api.Features.Users;

public static class CreateUser
{
    // Qualified: the record's own Roles is in scope here.
    [AllowedRoles(Domain.Security.Roles.Admin)]
    public sealed record Command(
        string? Email,
        string? Password,
        string? DisplayName,
        List<string>? Roles,
        List<Guid>? SiteIds) : IRequest<Created>, IAuditedChange
    {
        public string? Reason => null;
    }

    public sealed record Created(Guid Id);

    internal sealed class Handler(EdcDbContext db, UserManager<EdcUser> users, TimeProvider clock) : IRequestHandler<Command, Created>
    {
        public async Task<Created> Handle(Command command, CancellationToken cancellationToken)
        {
            var siteIds = command.SiteIds?.Distinct().ToList() ?? [];
            await UserRules.RequireSitesExistAsync(db, siteIds, cancellationToken);
            if (await users.FindByEmailAsync(command.Email!) is not null)
            {
                throw new RuleViolationException(RuleCodes.EmailTaken, "A user with this email already exists.");
            }

            var user = new EdcUser
            {
                Id = Guid.NewGuid(),
                Email = command.Email,
                UserName = command.Email,
                DisplayName = command.DisplayName!,
                CreatedAt = clock.GetUtcNow(),
            };
            UserRules.ThrowIfFailed(await users.CreateAsync(user, command.Password!));
            UserRules.ThrowIfFailed(await users.AddToRolesAsync(user, command.Roles!.Distinct()));
            db.UserSites.AddRange(siteIds.Select(siteId => new UserSite { UserId = user.Id, SiteId = siteId }));
            return new Created(user.Id);
        }
    }
}
