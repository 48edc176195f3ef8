using Edc.Api.Security;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Users;

public static class GetMe
{
    [AllowedToEveryRole]
    public sealed record Query : IRequest<Me>;

    public sealed record Me(Guid Id, string Email, string DisplayName, IReadOnlyList<string> Roles, IReadOnlyList<MySite> Sites);

    public sealed record MySite(Guid Id, Guid TrialId, string Code, string Name);

    internal sealed class Handler(EdcDbContext db, CurrentUser currentUser) : IRequestHandler<Query, Me>
    {
        public async Task<Me> Handle(Query query, CancellationToken cancellationToken)
        {
            var user = await UserViews.GetAsync(db, currentUser.Id!.Value, cancellationToken);
            var sites = await db.Sites.Where(s => user.SiteIds.Contains(s.Id)).OrderBy(s => s.Code)
                .Select(s => new MySite(s.Id, s.TrialId, s.Code, s.Name)).ToListAsync(cancellationToken);
            return new Me(user.Id, user.Email, user.DisplayName, user.Roles, sites);
        }
    }
}
