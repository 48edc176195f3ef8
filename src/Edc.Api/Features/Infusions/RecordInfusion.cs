using Edc.Api.Common;
using Edc.Api.Common.Changes;
using Edc.Api.Security;
using Edc.Domain.Security;
using Edc.Domain.Visits;
using Edc.Infrastructure.Persistence;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Infusions;

public static class RecordInfusion
{
    public sealed record Body(DateTimeOffset? AdministeredAt, string? KitNumber, string? NotAdministeredReason, string? Reason);

    /// <param name="IfMatch">The request's <c>If-Match</c> header: the version an edit was made from.</param>
    [AllowedRoles(Roles.Coordinator, Roles.Investigator)]
    public sealed record Command(
        Guid TrialId, Guid ParticipantId, string VisitCode, DateTimeOffset? AdministeredAt, string? KitNumber, string? NotAdministeredReason, string? Reason,
        string? IfMatch = null)
        : IRequest<InfusionView>, ITrialChange;

    /// <summary>Exactly one of two shapes: administered (administeredAt and kitNumber), or not (notAdministeredReason).</summary>
    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.NotAdministeredReason)
                .Empty()
                .When(c => c.AdministeredAt is not null || !string.IsNullOrEmpty(c.KitNumber))
                .WithMessage("Either administeredAt and kitNumber (given), or notAdministeredReason (not given); not both.");
            RuleFor(c => c.AdministeredAt)
                .NotNull()
                .When(c => string.IsNullOrWhiteSpace(c.NotAdministeredReason))
                .WithMessage("An administered infusion needs administeredAt; one not given needs notAdministeredReason.");
            RuleFor(c => c.KitNumber)
                .NotEmpty()
                .When(c => string.IsNullOrWhiteSpace(c.NotAdministeredReason))
                .WithMessage("An administered infusion needs the kitNumber; one not given needs notAdministeredReason.");
            RuleFor(c => c.KitNumber).MaximumLength(40);
            RuleFor(c => c.NotAdministeredReason).MaximumLength(2000);
            RuleFor(c => c.Reason).MaximumLength(2000);
        }
    }

    /// <summary>
    /// Records the infusion of a visit whose procedures include one: given with the participant's own kit, or not given
    /// with the reason. A recorded infusion changes only with a reason and the version it was made from (<c>If-Match</c>:
    /// without it 428, from another version 409 StaleEdit). A wrong kit is refused without saying whose it is.
    /// </summary>
    internal sealed class Handler(EdcDbContext db, ForChange load, TimeProvider clock) : IRequestHandler<Command, InfusionView>
    {
        public async Task<InfusionView> Handle(Command command, CancellationToken cancellationToken)
        {
            var participant = await load.ParticipantAsync(command.TrialId, command.ParticipantId, cancellationToken);
            (await load.TrialAsync(command.TrialId, cancellationToken)).RequireOpenForData();
            var visit = await load.VisitAsync(participant, command.VisitCode, cancellationToken);
            var infusion = await db.Infusions.SingleOrDefaultAsync(i => i.VisitId == visit.Id, cancellationToken);
            RecordVersion.Require(command.IfMatch, infusion?.Version, infusion is not null, command.Reason, "infusion");
            ChangeReason.Require(infusion is not null, command.Reason, "infusion");
            if (infusion is null)
            {
                infusion = InfusionRecord.For(visit);
                db.Infusions.Add(infusion);
            }

            if (string.IsNullOrWhiteSpace(command.NotAdministeredReason))
            {
                infusion.Administer(participant, visit, command.AdministeredAt!.Value.ToUniversalTime(), command.KitNumber!, clock.GetUtcNow());
            }
            else
            {
                infusion.NotAdministered(participant, visit, command.NotAdministeredReason);
            }

            return InfusionView.From(visit, infusion, await InfusionCounts.ReceivedAsync(db, participant.Id, infusion, cancellationToken));
        }
    }
}
