using Edc.Api.Common.Changes;
using Edc.Api.Features.Participants;
using Edc.Api.Security;
using Edc.Domain.Security;
using FluentValidation;
using MediatR;

namespace Edc.Api.Features.CasebookLocks;

public static class LockCasebook
{
    public sealed record Body(string? Reason);

    [AllowedRoles(Roles.DataManager)]
    public sealed record Command(Guid TrialId, Guid ParticipantId, string? Reason) : IRequest<ParticipantView>, ITrialChange;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Reason).NotEmpty().MaximumLength(2000);
    }

    /// <summary>
    /// A data manager locks a participant's casebook: every form of it refuses changes (409 ParticipantLocked, in
    /// ClinicalDataChanges) until it is unlocked. The participant's row is locked first, so a change under way commits
    /// wholly before the lock. 409 ParticipantLocked when it already is.
    /// </summary>
    internal sealed class Handler(ForChange load, ParticipantViews views, TimeProvider clock) : IRequestHandler<Command, ParticipantView>
    {
        public async Task<ParticipantView> Handle(Command command, CancellationToken cancellationToken)
        {
            var (trial, participant) = await load.TrialAndParticipantAsync(command.TrialId, command.ParticipantId, cancellationToken);
            trial.RequireOpenForData();
            participant.Lock(clock.GetUtcNow());
            return await views.ViewAsync(trial, participant, cancellationToken);
        }
    }
}
