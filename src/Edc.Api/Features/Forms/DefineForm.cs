using Edc.Api.Common;
using Edc.Api.Common.Changes;
using Edc.Api.Security;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Forms;

public static class DefineForm
{
    [AllowedRoles(Roles.Admin)]
    public sealed record Command(Guid TrialId, FormModel? Form) : IRequest<FormModel>, ITrialChange
    {
        public string? Reason => null;
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Form).NotNull().WithMessage("Send the form's definition.");
    }

    /// <summary>
    /// Adds a form's next version (a new code's first), checked with the trial's other forms and its schedule; 400 with
    /// the definition's problems, 409 once the trial is locked. Data entered before keep their version; new entries and
    /// first saves use this one.
    /// </summary>
    internal sealed class Handler(EdcDbContext db, VisibleData visible, TimeProvider clock) : IRequestHandler<Command, FormModel>
    {
        public async Task<FormModel> Handle(Command command, CancellationToken cancellationToken)
        {
            var (spec, problems) = command.Form!.ToSpec();
            if (spec is null)
            {
                throw new ValidationException(DefinitionFailures.Of(problems, prefix: null));
            }

            var trial = await visible.Trials.Include(t => t.Visits).SingleOrDefaultAsync(t => t.Id == command.TrialId, cancellationToken)
                ?? throw new NotFoundException("The trial");
            var existing = await db.TrialForms.AsNoTracking().Where(f => f.TrialId == trial.Id).ToListAsync(cancellationToken);
            var (form, found) = trial.AddFormVersion(spec, existing, clock.GetUtcNow());
            if (form is null)
            {
                throw new ValidationException(DefinitionFailures.Of(found, prefix: null));
            }

            db.TrialForms.Add(form);
            return FormModel.From(spec, form.Version);
        }
    }
}
