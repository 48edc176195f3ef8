using Edc.Api.Common.Changes;
using Edc.Api.Features.Forms;
using Edc.Api.Security;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using FluentValidation;
using MediatR;

namespace Edc.Api.Features.Reviews;

public static class UnfreezeForm
{
    public sealed record Body(string? Reason);

    [AllowedRoles(Roles.DataManager)]
    public sealed record Command(Guid TrialId, Guid ParticipantId, string VisitCode, string FormCode, string? Reason) : IRequest<FormReviewView>, ITrialChange;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Reason).NotEmpty().MaximumLength(2000);
    }

    /// <summary>A data manager unfreezes a frozen form, so that it takes changes again; 409 FormNotFrozen when it is not frozen.</summary>
    internal sealed class Handler(EdcDbContext db, ForChange load, FormCatalogs catalogs) : IRequestHandler<Command, FormReviewView>
    {
        public async Task<FormReviewView> Handle(Command command, CancellationToken cancellationToken)
        {
            var form = await ReviewedForm.LoadAsync(
                db, load, catalogs, command.TrialId, command.ParticipantId, command.VisitCode, command.FormCode, cancellationToken);
            form.Review.Unfreeze();
            return await FormReviewView.OfAsync(db, form.Visit.Code, form.Review, cancellationToken);
        }
    }
}
