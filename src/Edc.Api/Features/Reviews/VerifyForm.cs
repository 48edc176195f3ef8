using Edc.Api.Common.Changes;
using Edc.Api.Features.Forms;
using Edc.Api.Security;
using Edc.Domain.Common;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using MediatR;

namespace Edc.Api.Features.Reviews;

public static class VerifyForm
{
    [AllowedRoles(Roles.Monitor)]
    public sealed record Command(Guid TrialId, Guid ParticipantId, string VisitCode, string FormCode) : IRequest<FormReviewView>, ITrialChange
    {
        public string? Reason => null;
    }

    /// <summary>
    /// Source-data verification: a monitor of the participant's site states that the form's data, as they stand now, match
    /// the source documents. The form must have data. Any later change to them clears the verification (ClinicalDataChanges).
    /// </summary>
    internal sealed class Handler(EdcDbContext db, ForChange load, FormCatalogs catalogs, CurrentUser user, TimeProvider clock)
        : IRequestHandler<Command, FormReviewView>
    {
        public async Task<FormReviewView> Handle(Command command, CancellationToken cancellationToken)
        {
            var form = await ReviewedForm.LoadAsync(
                db, load, catalogs, command.TrialId, command.ParticipantId, command.VisitCode, command.FormCode, cancellationToken);
            if (!await form.IsEnteredAsync(db, cancellationToken))
            {
                throw new RuleViolationException(RuleCodes.FormNotEntered, $"The {command.FormCode} form at {command.VisitCode} has no data to verify yet.");
            }

            form.Review.Verify(user.Id!.Value, clock.GetUtcNow());
            return await FormReviewView.OfAsync(db, form.Visit.Code, form.Review, cancellationToken);
        }
    }
}
