using Edc.Api.Common;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Users;

public static class ListUsers
{
    public sealed record Query(PageRequest Page) : IRequest<PagedList<UserView>>;

    internal sealed class Handler(EdcDbContext db) : IRequestHandler<Query, PagedList<UserView>>
    {
        public Task<PagedList<UserView>> Handle(Query query, CancellationToken cancellationToken) =>
            UserViews.Project(db, db.Users.OrderBy(u => u.Email)).AsNoTracking().ToPageAsync(query.Page, cancellationToken);
    }
}

public static class GetUser
{
    public sealed record Query(Guid Id) : IRequest<UserView>;

    internal sealed class Handler(EdcDbContext db) : IRequestHandler<Query, UserView>
    {
        public Task<UserView> Handle(Query query, CancellationToken cancellationToken) => UserViews.GetAsync(db, query.Id, cancellationToken);
    }
}

public static class GetMe
{
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
