using System.Text.Json;
using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.Forms;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using FluentValidation;
using MediatR;

namespace Edc.Api.Features.Forms;

public static class EvaluateForm
{
    public sealed record Body(Dictionary<string, JsonElement>? Values);

    /// <param name="EntryId">The entry being corrected, evaluated under the version it was entered with; none for a new entry.</param>
    public sealed record LogBody(Dictionary<string, JsonElement>? Values, Guid? EntryId);

    /// <summary>A visit's form (<paramref name="VisitCode"/>), or else a log form's new entry or <paramref name="EntryId"/>.</summary>
    [AllowedRoles(Roles.Coordinator, Roles.Investigator)]
    public sealed record Query(Guid TrialId, Guid ParticipantId, string? VisitCode, string FormCode, Guid? EntryId, Dictionary<string, JsonElement>? Values)
        : IRequest<FormEvaluation>;

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() =>
            RuleFor(q => q.Values).Must(v => v!.Count <= FormDefinition.MaxItems).When(q => q.Values is not null)
                .WithMessage($"A form has {FormDefinition.MaxItems} items at most.");
    }

    /// <summary>
    /// The check a save makes (the same form version, the same values of other forms), answered rather than enforced: the
    /// values' errors are part of the answer, not a 400, and nothing is written. What a page asks while values are typed,
    /// so that the items it shows and the values it calculates are the server's.
    /// </summary>
    internal sealed class Handler(EdcDbContext db, VisibleData visible, FormCatalogs catalogs) : IRequestHandler<Query, FormEvaluation>
    {
        public async Task<FormEvaluation> Handle(Query query, CancellationToken cancellationToken)
        {
            var (catalog, form, participantId, visitId) = query.VisitCode is { } visitCode
                ? await VisitFormAsync(query, visitCode, cancellationToken)
                : await LogFormAsync(query, cancellationToken);
            var outcome = await FormSubmission.EvaluateAsync(db, catalog, form, query.Values, participantId, visitId, cancellationToken);
            return FormEvaluation.Of(form, outcome);
        }

        private async Task<(FormCatalog, VersionedForm, Guid, Guid?)> VisitFormAsync(Query query, string visitCode, CancellationToken cancellationToken)
        {
            var context = await VisitFormContext.LoadAsync(
                db, visible, catalogs, query.TrialId, query.ParticipantId, visitCode, query.FormCode, changes: null, cancellationToken);
            return (context.Catalog, context.Form, context.Participant.Id, context.Visit.Id);
        }

        private async Task<(FormCatalog, VersionedForm, Guid, Guid?)> LogFormAsync(Query query, CancellationToken cancellationToken)
        {
            var context = await LogFormContext.LoadAsync(
                db, visible, catalogs, query.TrialId, query.ParticipantId, query.FormCode, query.EntryId, tracked: false, cancellationToken);
            return (context.Catalog, context.Form, context.Participant.Id, null);
        }
    }
}
