using Edc.Infrastructure.Auditing;
using Edc.Infrastructure.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Common.Changes;

/// <summary>
/// The one write path: begins the change's audited transaction (holding the trial's row for a
/// <see cref="ITrialChange"/>, and the participant's too for an <see cref="IParticipantDataChange"/>; 404 when there is no
/// such trial), runs the handler, applies the rules of a change to clinical
/// data (<see cref="ClinicalDataChanges"/>), saves what it changed and commits with the audit rows. Anything thrown rolls everything back; a COMMIT whose outcome is lost answers 503
/// commit-outcome-unknown. Handlers never begin or commit; one saves early only to read its own changes back.
/// </summary>
public sealed class ChangeTransactionBehavior<TRequest, TResponse>(EdcDbContext db, ClinicalDataChanges changes) : IPipelineBehavior<TRequest, TResponse>
    where TRequest : IAuditedChange
{
    public async Task<TResponse> Handle(TRequest request, RequestHandlerDelegate<TResponse> next, CancellationToken cancellationToken)
    {
        await using var transaction = request is ITrialChange change
            ? await AuditedTransaction.BeginHoldingTrialRowAsync(db, change.TrialId, (request as IParticipantDataChange)?.ParticipantId, request.Reason, cancellationToken)
                ?? throw new NotFoundException("The trial")
            : await AuditedTransaction.BeginAsync(db, request.Reason, cancellationToken);
        try
        {
            var response = await next(cancellationToken);
            await changes.ApplyAsync(request.Reason, cancellationToken);
            await SaveAndCommitAsync(transaction, cancellationToken);
            return response;
        }
        catch (RecordedRuleViolationException recorded)
        {
            await SaveAndCommitAsync(transaction, cancellationToken);
            throw recorded.Violation;
        }
        catch (DbUpdateConcurrencyException concurrency)
        {
            // A version changed under the save: the rule the record's reader sees (StaleEdit), for the API and the pages alike.
            throw RecordVersion.Stale(concurrency);
        }
    }

    private async Task SaveAndCommitAsync(AuditedTransaction transaction, CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
