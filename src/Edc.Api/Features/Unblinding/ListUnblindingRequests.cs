using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Unblinding;

public static class ListUnblindingRequests
{
    [AllowedRoles(Roles.DsmbMember, Roles.UnblindedStatistician, Roles.Admin)]
    public sealed record Query(Guid TrialId, PageRequest Page) : IRequest<PagedList<UnblindingRequestView>>;

    internal sealed class Handler(EdcDbContext db, VisibleData visible) : IRequestHandler<Query, PagedList<UnblindingRequestView>>
    {
        public async Task<PagedList<UnblindingRequestView>> Handle(Query query, CancellationToken cancellationToken)
        {
            await visible.RequireTrialAsync(query.TrialId, cancellationToken);
            var page = await db.UnblindingRequests.AsNoTracking().Where(r => r.TrialId == query.TrialId)
                .OrderByDescending(r => r.RequestedAt).ToPageAsync(query.Page, cancellationToken);
            return new PagedList<UnblindingRequestView>([.. page.Items.Select(UnblindingRequestView.From)], page.Page, page.PageSize, page.Total);
        }
    }
}
