using Edc.Api.Common;
using Edc.Api.Common.Changes;
using Edc.Api.Security;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using FluentValidation;
using FluentValidation.Results;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Forms;

public static class ImportForms
{
    [AllowedRoles(Roles.Admin)]
    public sealed record Command(Guid TrialId, string Xml) : IRequest<FormsImported>, ITrialChange
    {
        public string? Reason => null;
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Xml).NotEmpty().WithMessage("Send a CDISC ODM 1.3.2 document (application/xml) with a MetaDataVersion.");
    }

    /// <summary>
    /// Adds every form of an ODM document's first MetaDataVersion (docs/odm.md), each as DefineForm would: a new code's first
    /// version, an existing code's next. All or nothing: one form the document or the domain refuses refuses them all (400).
    /// The built-in forms and RANDOMIZATION, which every trial has, are skipped and named in the answer.
    /// </summary>
    internal sealed class Handler(EdcDbContext db, VisibleData visible, TimeProvider clock) : IRequestHandler<Command, FormsImported>
    {
        public async Task<FormsImported> Handle(Command command, CancellationToken cancellationToken)
        {
            var document = OdmFormReader.Read(command.Xml);
            var trial = await visible.Trials.Include(t => t.Visits).SingleOrDefaultAsync(t => t.Id == command.TrialId, cancellationToken)
                ?? throw new NotFoundException("The trial");
            var existing = await db.TrialForms.AsNoTracking().Where(f => f.TrialId == trial.Id).ToListAsync(cancellationToken);
            var now = clock.GetUtcNow();
            var added = new List<FormModel>();
            var failures = new List<ValidationFailure>();
            foreach (var (oid, spec) in document.Forms)
            {
                // Each form is checked with the ones added before it, so a form may name items of an earlier one.
                var (form, problems) = trial.AddFormVersion(spec, existing, now);
                if (form is null)
                {
                    failures.AddRange(DefinitionFailures.Of(problems, prefix: $"FormDef[@OID='{oid}']"));
                    continue;
                }

                db.TrialForms.Add(form);
                existing.Add(form);
                added.Add(FormModel.From(spec, form.Version));
            }

            return failures.Count > 0
                ? throw new ValidationException(failures)
                : new FormsImported(added, [.. document.Skipped.Select(code => new SkippedForm(code, SkippedReason))]);
        }

        private const string SkippedReason = "Every trial has this form (built in, or the randomization's): the document's definition is not imported.";
    }
}
