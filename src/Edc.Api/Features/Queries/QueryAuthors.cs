using Edc.Domain.DataManagement;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Queries;

/// <summary>The caller as the author of a query's message: their name, and the first of the roles they may act in here.</summary>
internal sealed class QueryAuthors(EdcDbContext db, CurrentUser user)
{
    public async Task<QueryAuthor> ActingAsAsync(IReadOnlyList<string> roles, CancellationToken cancellationToken)
    {
        var id = user.Id ?? throw new InvalidOperationException("A query's message has an author.");
        var name = await db.Users.Where(u => u.Id == id).Select(u => u.DisplayName).SingleAsync(cancellationToken);
        return new QueryAuthor(id, name, roles.First(user.IsInRole));
    }
}
