using System.Text.Json;
using Edc.Api.Common;
using Edc.Api.Common.Changes;
using Edc.Api.Security;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using FluentValidation;
using MediatR;

namespace Edc.Api.Features.Forms;

public static class ReviseLogEntry
{
    /// <param name="Removed">True to mark the entry removed (it is never deleted); the values are then left out.</param>
    public sealed record Body(Dictionary<string, JsonElement>? Values, string? Reason, bool Removed = false);

    [AllowedRoles(Roles.Coordinator, Roles.Investigator)]
    public sealed record Command(Guid TrialId, Guid ParticipantId, string FormCode, Guid EntryId, Dictionary<string, JsonElement>? Values, string? Reason, bool Removed, string? IfMatch)
        : IRequest<FormDataView>, IParticipantDataChange;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Values).NotNull().When(c => !c.Removed).WithMessage("Send the entry's values, by item code.");
            RuleFor(c => c.Values).Null().When(c => c.Removed).WithMessage("A removed entry keeps its values: send only the reason.");
            RuleFor(c => c.Reason).MaximumLength(2000);
        }
    }

    /// <summary>
    /// Corrects a log entry under the version it was entered with, or marks it removed; either needs a reason and the
    /// version it was made from (<c>If-Match</c>). A removed entry changes no more.
    /// </summary>
    internal sealed class Handler(EdcDbContext db, VisibleData visible, FormCatalogs catalogs) : IRequestHandler<Command, FormDataView>
    {
        public async Task<FormDataView> Handle(Command command, CancellationToken cancellationToken)
        {
            var context = await LogFormContext.LoadAsync(
                db, visible, catalogs, command.TrialId, command.ParticipantId, command.FormCode, command.EntryId, tracked: true, cancellationToken);
            context.Trial.RequireOpenForData();
            var entry = context.Entry!;
            var what = $"{context.Form.Name} entry";
            RecordVersion.Require(command.IfMatch, entry.Version, edit: true, command.Reason, what);
            ChangeReason.Require(alreadyRecorded: true, command.Reason, what);
            if (command.Removed)
            {
                entry.Remove(command.Reason!.Trim());
            }
            else
            {
                entry.Revise(context.Form, await FormSubmission.CheckAsync(db, context.Catalog, context.Form, command.Values, context.Participant.Id, visitId: null, cancellationToken));
            }

            return FormDataView.From(entry, context.Form);
        }
    }
}
