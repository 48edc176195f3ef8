using Edc.Api.Security;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using MediatR;

namespace Edc.Api.Features.Users;

public static class GetUser
{
    [AllowedRoles(Roles.Admin)]
    public sealed record Query(Guid Id) : IRequest<UserView>;

    internal sealed class Handler(EdcDbContext db) : IRequestHandler<Query, UserView>
    {
        public Task<UserView> Handle(Query query, CancellationToken cancellationToken) => UserViews.GetAsync(db, query.Id, cancellationToken);
    }
}
