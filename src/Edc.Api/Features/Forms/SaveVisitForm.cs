using System.Text.Json;
using Edc.Api.Common;
using Edc.Api.Common.Changes;
using Edc.Api.Security;
using Edc.Domain.Common;
using Edc.Domain.Forms;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Forms;

public static class SaveVisitForm
{
    public sealed record Body(Dictionary<string, JsonElement>? Values, string? Reason);

    /// <param name="IfMatch">The request's <c>If-Match</c> header: the version an edit was made from.</param>
    [AllowedRoles(Roles.Coordinator, Roles.Investigator)]
    public sealed record Command(Guid TrialId, Guid ParticipantId, string VisitCode, string FormCode, Dictionary<string, JsonElement>? Values, string? Reason, string? IfMatch)
        : IRequest<FormDataView>, IParticipantDataChange;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Values).NotNull().WithMessage("Send the form's values, by item code.");
            RuleFor(c => c.Values).Must(v => v!.Count <= FormDefinition.MaxItems).When(c => c.Values is not null)
                .WithMessage($"A form has {FormDefinition.MaxItems} items at most.");
            RuleFor(c => c.Reason).MaximumLength(2000);
        }
    }

    /// <summary>
    /// Saves a visit's form: all its values at once, checked against the version they are entered under (a first save
    /// takes the newest), calculated items computed here. The first save needs no reason; an edit needs a reason and the
    /// version it was made from (<c>If-Match</c>). The audit trail records each item that changed, with the reason.
    /// </summary>
    internal sealed class Handler(EdcDbContext db, VisibleData visible, FormCatalogs catalogs, ClinicalDataChanges changes, TimeProvider clock) : IRequestHandler<Command, FormDataView>
    {
        public async Task<FormDataView> Handle(Command command, CancellationToken cancellationToken)
        {
            var context = await VisitFormContext.LoadAsync(
                db, visible, catalogs, command.TrialId, command.ParticipantId, command.VisitCode, command.FormCode, changes, cancellationToken);
            context.Trial.RequireOpenForData();
            if (BuiltInFormCodes.All.Contains(command.FormCode))
            {
                throw new RuleViolationException(RuleCodes.BuiltInForm, $"The {context.Form.Name} is entered through its own endpoint (…/visits/{command.VisitCode}/{(command.FormCode == BuiltInFormCodes.Mrss ? "mrss" : "infusion")}).");
            }

            var record = context.Record;
            var what = $"{context.Form.Name} form";
            RecordVersion.Require(command.IfMatch, record?.Version, record is not null, command.Reason, what);
            ChangeReason.Require(record is not null, command.Reason, what);
            var outcome = await FormSubmission.CheckAsync(db, context.Catalog, context.Form, command.Values, context.Participant.Id, context.Visit.Id, cancellationToken);
            if (record is null)
            {
                record = FormRecord.Enter(context.Participant, context.Visit, context.Form, outcome, clock.GetUtcNow());
                db.FormRecords.Add(record);
            }
            else
            {
                // The update applies only to the version read (its concurrency token): an edit committed since makes it fail.
                record.Revise(context.Form, outcome);
            }

            // A save that changes nothing leaves the form's verification standing; any change clears it (ClinicalDataChanges).
            db.ChangeTracker.DetectChanges();
            var stillVerified = context.Review?.IsVerified == true && db.Entry(record).State == EntityState.Unchanged;
            return FormDataView.From(record, context.Form) with { Verified = stillVerified };
        }
    }
}
