using Edc.Api.Common;
using Edc.Api.Common.Changes;
using Edc.Api.Features.Forms;
using Edc.Api.Security;
using Edc.Domain.DataManagement;
using Edc.Domain.Forms;
using Edc.Domain.Participants;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using FluentValidation;
using FluentValidation.Results;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Queries;

public static class RaiseQuery
{
    public sealed record Body(Guid? ParticipantId, string? VisitCode, string? FormCode, string? ItemCode, Guid? LogEntryId, string? Text);

    [AllowedRoles(Roles.Monitor, Roles.DataManager, Roles.Investigator, Roles.Coordinator)]
    public sealed record Command(Guid TrialId, Guid? ParticipantId, string? VisitCode, string? FormCode, string? ItemCode, Guid? LogEntryId, string? Text)
        : IRequest<Raised>, ITrialChange
    {
        public string? Reason => null;
    }

    public sealed record Raised(Guid Id, QueryStatus Status);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.ParticipantId).NotNull().WithMessage("Name the participant the query is about.");
            RuleFor(c => c.FormCode).NotEmpty().WithMessage("Name the form the query is about.").MaximumLength(20);
            RuleFor(c => c.VisitCode).MaximumLength(20);
            RuleFor(c => c.ItemCode).MaximumLength(40);
            RuleFor(c => c.Text).NotEmpty().WithMessage("Write the query's question.").MaximumLength(DataQuery.MaxTextLength);
        }
    }

    /// <summary>
    /// Raises a query on a participant's form (at a visit, or a log entry), or one item of it, as the caller: the
    /// participant must be one the caller may see (404), the visit, form, item or entry must exist for it (400 naming the
    /// field). A query changes no data, so a frozen form or a locked casebook takes it; a locked trial does not (409).
    /// The site's coordinators and investigators are told.
    /// </summary>
    internal sealed class Handler(EdcDbContext db, VisibleData visible, FormCatalogs catalogs, QueryAuthors authors, QueryNotifications notifications, TimeProvider clock)
        : IRequestHandler<Command, Raised>
    {
        public async Task<Raised> Handle(Command command, CancellationToken cancellationToken)
        {
            var (trial, participant) = await visible.TrialAndParticipantAsync(command.TrialId, command.ParticipantId!.Value, cancellationToken);
            trial.RequireOpenForData();
            var catalog = await catalogs.ForAsync(db, trial.Id, trial.FormsRevision, cancellationToken);
            var target = await TargetAsync(command, participant, catalog, cancellationToken);

            var author = await authors.ActingAsAsync(QueryRoles.Raisers, cancellationToken);
            var now = clock.GetUtcNow();
            var query = DataQuery.Raise(target, author, command.Text!, now);
            db.Queries.Add(query);
            await notifications.RaisedAsync([query], participant.ScreeningNumber, now, cancellationToken);
            return new Raised(query.Id, query.Status);
        }

        private async Task<QueryTarget> TargetAsync(Command command, Participant participant, FormCatalog catalog, CancellationToken cancellationToken)
        {
            var form = catalog.Latest(command.FormCode!) ?? throw Invalid("formCode", $"The trial has no form {command.FormCode}.");
            int version;
            if (form.Log)
            {
                if (command.VisitCode is not null)
                {
                    throw Invalid("visitCode", $"{form.Code} is a log form: name its entry (logEntryId), not a visit.");
                }

                var entryId = command.LogEntryId ?? throw Invalid("logEntryId", $"{form.Code} is a log form: name the entry the query is about.");
                version = form.Code == BuiltInFormCodes.AdverseEvent
                    ? await db.AdverseEvents.AnyAsync(a => a.Id == entryId && a.ParticipantId == participant.Id, cancellationToken) ? 1 : 0
                    : await db.FormRecords
                        .Where(r => r.Id == entryId && r.ParticipantId == participant.Id && r.FormCode == form.Code && r.VisitId == null)
                        .Select(r => r.FormVersion).SingleOrDefaultAsync(cancellationToken);
                if (version == 0)
                {
                    throw Invalid("logEntryId", $"The participant has no {form.Code} entry {entryId}.");
                }
            }
            else
            {
                if (command.LogEntryId is not null)
                {
                    throw Invalid("logEntryId", $"{form.Code} is entered at a visit: name the visit (visitCode), not an entry.");
                }

                var visitCode = command.VisitCode ?? throw Invalid("visitCode", $"{form.Code} is entered at a visit: name it.");
                var visit = await db.Visits.AsNoTracking().SingleOrDefaultAsync(v => v.ParticipantId == participant.Id && v.Code == visitCode, cancellationToken)
                    ?? throw Invalid("visitCode", $"The participant has no visit {visitCode}.");
                if (!catalog.FormsAt(visit).Contains(form.Code))
                {
                    throw Invalid("formCode", $"The visit {visitCode} does not collect {form.Code}.");
                }

                version = await db.FormRecords.Where(r => r.VisitId == visit.Id && r.FormCode == form.Code)
                    .Select(r => (int?)r.FormVersion).SingleOrDefaultAsync(cancellationToken) ?? form.Version;
            }

            // The item is one of the version the data are entered under (the newest before the first save).
            if (command.ItemCode is { } itemCode && (catalog.Find(form.Code, version) ?? form).Definition.Item(itemCode) is null)
            {
                throw Invalid("itemCode", $"{itemCode} is not an item of the form {form.Code}.");
            }

            return new QueryTarget(
                participant.TrialId, participant.SiteId, participant.Id, form.Log ? null : command.VisitCode, form.Code, command.ItemCode, form.Log ? command.LogEntryId : null);
        }

        private static ValidationException Invalid(string field, string message) => new([new ValidationFailure(field, message)]);
    }
}
