using Edc.Domain.Common;
using Edc.Infrastructure.Security;

namespace Edc.Api.Common;

/// <summary>
/// The one site filter: a site-scoped role (Coordinator, Investigator, Pharmacist) sees data of its own sites only;
/// every other role sees every site. What the caller may not see answers 404, as if it did not exist.
/// </summary>
public static class SiteVisibility
{
    public static IQueryable<T> VisibleTo<T>(this IQueryable<T> source, CurrentUser user)
        where T : ISiteScoped
    {
        if (user.SeesAllSites)
        {
            return source;
        }

        var siteIds = user.SiteIds.ToList();
        return source.Where(item => siteIds.Contains(item.SiteId));
    }

    /// <summary>
    /// The same filter as the parameters of a compiled query (which cannot be composed with <see cref="VisibleTo{T}"/>),
    /// written in it as <c>allSites || siteIds.Contains(item.SiteId)</c>.
    /// </summary>
    public static (bool AllSites, Guid[] SiteIds) SiteFilter(this CurrentUser user) =>
        user.SeesAllSites ? (true, []) : (false, [.. user.SiteIds]);

    /// <summary><paramref name="item"/> when the caller may see it; otherwise 404 naming <paramref name="what"/>.</summary>
    public static T VisibleOr404<T>(this T? item, CurrentUser user, string what)
        where T : class, ISiteScoped =>
        item is not null && user.CanSeeSite(item.SiteId) ? item : throw new NotFoundException(what);
}
