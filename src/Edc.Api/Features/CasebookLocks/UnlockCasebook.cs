using Edc.Api.Common.Changes;
using Edc.Api.Features.Participants;
using Edc.Api.Security;
using Edc.Domain.Security;
using FluentValidation;
using MediatR;

namespace Edc.Api.Features.CasebookLocks;

public static class UnlockCasebook
{
    public sealed record Body(string? Reason);

    [AllowedRoles(Roles.DataManager)]
    public sealed record Command(Guid TrialId, Guid ParticipantId, string? Reason) : IRequest<ParticipantView>, ITrialChange;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Reason).NotEmpty().MaximumLength(2000);
    }

    /// <summary>A data manager unlocks a locked casebook, so that its forms take changes again; 409 ParticipantNotLocked when it is not locked.</summary>
    internal sealed class Handler(ForChange load, ParticipantViews views) : IRequestHandler<Command, ParticipantView>
    {
        public async Task<ParticipantView> Handle(Command command, CancellationToken cancellationToken)
        {
            var (trial, participant) = await load.TrialAndParticipantAsync(command.TrialId, command.ParticipantId, cancellationToken);
            trial.RequireOpenForData();
            participant.Unlock();
            return await views.ViewAsync(trial, participant, cancellationToken);
        }
    }
}
