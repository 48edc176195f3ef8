using Edc.Api.Common.Changes;
using Edc.Api.Security;
using Edc.Domain.Security;
using FluentValidation;
using MediatR;

namespace Edc.Api.Features.Participants;

public static class WithdrawParticipant
{
    public sealed record Body(DateOnly? Date, string? Reason);

    [AllowedRoles(Roles.Coordinator, Roles.Investigator)]
    public sealed record Command(Guid TrialId, Guid ParticipantId, DateOnly? Date, string? Reason) : IRequest<ParticipantView>, ITrialChange;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Date).NotNull();
            RuleFor(c => c.Reason).NotEmpty().MaximumLength(2000);
        }
    }

    internal sealed class Handler(ForChange load, ParticipantViews views, TimeProvider clock) : IRequestHandler<Command, ParticipantView>
    {
        public async Task<ParticipantView> Handle(Command command, CancellationToken cancellationToken)
        {
            var participant = await load.ParticipantAsync(command.TrialId, command.ParticipantId, cancellationToken);
            var trial = await load.TrialAsync(command.TrialId, cancellationToken);
            participant.Withdraw(trial, command.Date!.Value, command.Reason!, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
            return await views.ViewAsync(trial, participant, cancellationToken);
        }
    }
}
