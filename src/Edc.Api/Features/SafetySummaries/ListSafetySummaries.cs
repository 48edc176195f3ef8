using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.SafetySummaries;

public static class ListSafetySummaries
{
    [AllowedRoles(Roles.DsmbMember, Roles.UnblindedStatistician)]
    public sealed record Query(Guid TrialId, PageRequest Page) : IRequest<PagedList<SafetySummaryInfo>>;

    /// <summary>A trial's summaries, newest data cut-off first, without their content.</summary>
    internal sealed class Handler(EdcDbContext db, VisibleData visible) : IRequestHandler<Query, PagedList<SafetySummaryInfo>>
    {
        public async Task<PagedList<SafetySummaryInfo>> Handle(Query query, CancellationToken cancellationToken)
        {
            await visible.RequireTrialAsync(query.TrialId, cancellationToken);
            return await db.SafetySummaries.AsNoTracking()
                .Where(s => s.TrialId == query.TrialId)
                .OrderByDescending(s => s.DataCutoff).ThenByDescending(s => s.Id)
                .Select(s => new SafetySummaryInfo(s.Id, s.TrialId, s.DataCutoff, s.GeneratedBy, s.GeneratedByJob, s.PeriodKey, s.ContentSha256))
                .ToPageAsync(query.Page, cancellationToken);
        }
    }
}
