using Edc.Api.Common;
using Edc.Api.Common.Changes;
using Edc.Api.Security;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Trials;

/// <summary>The statistician's final unblinding, allowed only after the lock: from then on every role of the trial sees arms.</summary>
public static class FinalUnblinding
{
    [AllowedRoles(Roles.UnblindedStatistician)]
    public sealed record Command(Guid TrialId) : IRequest<Unblinded>, IAuditedChange
    {
        public string? Reason => null;
    }

    public sealed record Unblinded(Guid TrialId, DateTimeOffset UnblindedAt);

    internal sealed class Handler(EdcDbContext db, TimeProvider clock) : IRequestHandler<Command, Unblinded>
    {
        public async Task<Unblinded> Handle(Command command, CancellationToken cancellationToken)
        {
            var trial = await db.Trials.SingleOrDefaultAsync(t => t.Id == command.TrialId, cancellationToken) ?? throw new NotFoundException("The trial");
            trial.FinalUnblind(clock.GetUtcNow());
            return new Unblinded(trial.Id, trial.FinalUnblindedAt!.Value);
        }
    }
}
