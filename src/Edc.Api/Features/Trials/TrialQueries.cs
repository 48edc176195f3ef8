using Edc.Api.Common;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Trials;

public static class ListTrials
{
    public sealed record Query(PageRequest Page) : IRequest<PagedList<TrialSummary>>;

    internal sealed class Handler(VisibleData visible) : IRequestHandler<Query, PagedList<TrialSummary>>
    {
        public async Task<PagedList<TrialSummary>> Handle(Query query, CancellationToken cancellationToken)
        {
            var page = await visible.Trials.OrderBy(t => t.Code)
                .Select(t => new { t.Id, t.Code, t.Title, t.Status })
                .ToPageAsync(query.Page, cancellationToken);
            return new PagedList<TrialSummary>(
                [.. page.Items.Select(t => new TrialSummary(t.Id, t.Code, t.Title, t.Status.ToString()))], page.Page, page.PageSize, page.Total);
        }
    }
}

public static class GetTrial
{
    public sealed record Query(Guid TrialId) : IRequest<TrialDetails>;

    internal sealed class Handler(VisibleData visible) : IRequestHandler<Query, TrialDetails>
    {
        public async Task<TrialDetails> Handle(Query query, CancellationToken cancellationToken)
        {
            var trial = await visible.Trials
                .Include(t => t.Arms).Include(t => t.Visits).Include(t => t.EligibilityCriteria).Include(t => t.StratificationFactors)
                .AsSplitQuery().AsNoTracking()
                .SingleOrDefaultAsync(t => t.Id == query.TrialId, cancellationToken) ?? throw new NotFoundException("The trial");
            return TrialDetails.From(trial);
        }
    }
}

public static class ListSites
{
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
