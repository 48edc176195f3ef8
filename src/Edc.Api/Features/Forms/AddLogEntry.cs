using System.Text.Json;
using Edc.Api.Common;
using Edc.Api.Common.Changes;
using Edc.Api.Security;
using Edc.Domain.Forms;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using FluentValidation;
using MediatR;

namespace Edc.Api.Features.Forms;

public static class AddLogEntry
{
    public sealed record Body(Dictionary<string, JsonElement>? Values);

    [AllowedRoles(Roles.Coordinator, Roles.Investigator)]
    public sealed record Command(Guid TrialId, Guid ParticipantId, string FormCode, Dictionary<string, JsonElement>? Values) : IRequest<FormDataView>, IParticipantDataChange
    {
        public string? Reason => null;
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Values).NotNull().WithMessage("Send the entry's values, by item code.");
    }

    /// <summary>A new entry of a participant's log form (a medication, a condition), under the form's newest version.</summary>
    internal sealed class Handler(EdcDbContext db, VisibleData visible, FormCatalogs catalogs, TimeProvider clock) : IRequestHandler<Command, FormDataView>
    {
        public async Task<FormDataView> Handle(Command command, CancellationToken cancellationToken)
        {
            var context = await LogFormContext.LoadAsync(
                db, visible, catalogs, command.TrialId, command.ParticipantId, command.FormCode, entryId: null, tracked: false, cancellationToken);
            context.Trial.RequireOpenForData();
            var outcome = await FormSubmission.CheckAsync(db, context.Catalog, context.Form, command.Values, context.Participant.Id, visitId: null, cancellationToken);
            var entry = FormRecord.Enter(context.Participant, visit: null, context.Form, outcome, clock.GetUtcNow());
            db.FormRecords.Add(entry);
            return FormDataView.From(entry, context.Form);
        }
    }
}
