using Edc.Api.Common;
using Edc.Api.Security;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Trials;

public static class GetTrial
{
    [AllowedToEveryRole]
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
