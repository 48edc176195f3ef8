using Edc.Api.Common;
using Edc.Api.Common.Changes;
using Edc.Infrastructure.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Trials;

/// <summary>The database lock (Admin): from now on no clinical data of the trial may change.</summary>
public static class LockTrial
{
    public sealed record Command(Guid TrialId) : IRequest<TrialSummary>, IAuditedChange
    {
        public string? Reason => null;
    }

    internal sealed class Handler(EdcDbContext db, TimeProvider clock) : IRequestHandler<Command, TrialSummary>
    {
        public async Task<TrialSummary> Handle(Command command, CancellationToken cancellationToken)
        {
            var trial = await db.Trials.SingleOrDefaultAsync(t => t.Id == command.TrialId, cancellationToken) ?? throw new NotFoundException("The trial");
            trial.Lock(clock.GetUtcNow());
            return new TrialSummary(trial.Id, trial.Code, trial.Title, trial.Status);
        }
    }
}
