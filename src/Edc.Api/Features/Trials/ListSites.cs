using Edc.Api.Common;
using Edc.Api.Security;
using MediatR;

namespace Edc.Api.Features.Trials;

public static class ListSites
{
    [AllowedToEveryRole]
    public sealed record Query(Guid TrialId, PageRequest Page) : IRequest<PagedList<SiteView>>;

    internal sealed class Handler(VisibleData visible) : IRequestHandler<Query, PagedList<SiteView>>
    {
        public async Task<PagedList<SiteView>> Handle(Query query, CancellationToken cancellationToken)
        {
            await visible.RequireTrialAsync(query.TrialId, cancellationToken);
            return await visible.Sites.Where(s => s.TrialId == query.TrialId).OrderBy(s => s.Code)
                .Select(s => new SiteView(s.Id, s.TrialId, s.Code, s.Name))
                .ToPageAsync(query.Page, cancellationToken);
        }
    }
}
