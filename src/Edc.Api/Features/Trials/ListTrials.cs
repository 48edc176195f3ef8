using Edc.Api.Common;
using Edc.Api.Security;
using MediatR;

namespace Edc.Api.Features.Trials;

public static class ListTrials
{
    [AllowedToEveryRole]
    public sealed record Query(PageRequest Page) : IRequest<PagedList<TrialSummary>>;

    internal sealed class Handler(VisibleData visible) : IRequestHandler<Query, PagedList<TrialSummary>>
    {
        public async Task<PagedList<TrialSummary>> Handle(Query query, CancellationToken cancellationToken)
        {
            var page = await visible.Trials.OrderBy(t => t.Code)
                .Select(t => new { t.Id, t.Code, t.Title, t.Status })
                .ToPageAsync(query.Page, cancellationToken);
            return new PagedList<TrialSummary>(
                [.. page.Items.Select(t => new TrialSummary(t.Id, t.Code, t.Title, t.Status))], page.Page, page.PageSize, page.Total);
        }
    }
}
