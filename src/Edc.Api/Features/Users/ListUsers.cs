using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Users;

public static class ListUsers
{
    [AllowedRoles(Roles.Admin)]
    public sealed record Query(PageRequest Page) : IRequest<PagedList<UserView>>;

    internal sealed class Handler(EdcDbContext db) : IRequestHandler<Query, PagedList<UserView>>
    {
        public Task<PagedList<UserView>> Handle(Query query, CancellationToken cancellationToken) =>
            UserViews.Project(db, db.Users.OrderBy(u => u.Email)).AsNoTracking().ToPageAsync(query.Page, cancellationToken);
    }
}
