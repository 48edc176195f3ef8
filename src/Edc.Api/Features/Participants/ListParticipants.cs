using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.Participants;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Participants;

public static class ListParticipants
{
    [AllowedToEveryRole]
    public sealed record Query(Guid TrialId, Guid? SiteId, ParticipantStatus? Status, PageRequest Page) : IRequest<PagedList<ParticipantView>>;

    internal sealed class Handler(ParticipantViews views, VisibleData visible) : IRequestHandler<Query, PagedList<ParticipantView>>
    {
        public async Task<PagedList<ParticipantView>> Handle(Query query, CancellationToken cancellationToken)
        {
            var trial = await visible.Trials.AsNoTracking().SingleOrDefaultAsync(t => t.Id == query.TrialId, cancellationToken)
                ?? throw new NotFoundException("The trial");
            var participants = visible.Participants(trial.Id).AsNoTracking();
            if (query.SiteId is { } siteId)
            {
                participants = participants.Where(p => p.SiteId == siteId);
            }

            if (query.Status is { } status)
            {
                participants = participants.Where(p => p.Status == status);
            }

            var page = await participants.OrderBy(p => p.ScreeningNumber).ToPageAsync(query.Page, cancellationToken);
            return new PagedList<ParticipantView>(await views.ViewsAsync(trial, page.Items, cancellationToken), page.Page, page.PageSize, page.Total);
        }
    }
}
