using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Common;

public static class PagingExtensions
{
    /// <summary>Counts and reads one page; the query must already be ordered.</summary>
    public static async Task<PagedList<T>> ToPageAsync<T>(this IQueryable<T> query, PageRequest request, CancellationToken cancellationToken)
    {
        var total = await query.CountAsync(cancellationToken);
        var items = await query.Skip(request.Skip).Take(request.PageSize).ToListAsync(cancellationToken);
        return new PagedList<T>(items, request.Page, request.PageSize, total);
    }
}
