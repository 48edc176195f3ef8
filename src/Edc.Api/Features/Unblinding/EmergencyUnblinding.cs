using Edc.Api.Blinding;
using Edc.Api.Common;
using Edc.Api.Common.Changes;
using Edc.Api.Features.Notifications;
using Edc.Api.Security;
using Edc.Domain.Notifications;
using Edc.Domain.Security;
using Edc.Infrastructure.Identity;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Identity;

namespace Edc.Api.Features.Unblinding;

public static class EmergencyUnblinding
{
    public sealed record Body(string? Reason, string? Password);

    [AllowedRoles(Roles.Investigator)]
    public sealed record Command(Guid TrialId, Guid ParticipantId, string? Reason, string? Password) : IRequest<Revealed>, ITrialChange;

    public sealed record Revealed(string ArmCode, string ArmName, DateTimeOffset UnblindedAt);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Reason).NotEmpty().MaximumLength(2000);
            RuleFor(c => c.Password).NotEmpty().MaximumLength(256);
        }
    }

    /// <summary>
    /// An investigator at the participant's site breaks the blind for a medical emergency, confirming with their
    /// password. The arm goes to that caller only; the statistician and the admins are told that it happened.
    /// </summary>
    internal sealed class Handler(
        EdcDbContext db, ForChange load, AssignmentGate gate, CurrentUser user, UserManager<EdcUser> users, TimeProvider clock)
        : IRequestHandler<Command, Revealed>
    {
        public async Task<Revealed> Handle(Command command, CancellationToken cancellationToken)
        {
            var participant = await load.ParticipantAsync(command.TrialId, command.ParticipantId, cancellationToken);
            if (!user.SiteIds.Contains(participant.SiteId))
            {
                // Only an investigator of the participant's own site, whatever other roles the caller has.
                throw new NotFoundException("The participant");
            }

            var investigator = await users.FindByIdAsync(user.Id!.Value.ToString());
            if (investigator is null || !await users.CheckPasswordAsync(investigator, command.Password!))
            {
                throw new ReauthenticationFailedException();
            }

            var now = clock.GetUtcNow();
            participant.RecordEmergencyUnblinding(investigator.Id, command.Reason!, now);
            var arm = await gate.RevealForEmergencyAsync(participant, command.Reason!, cancellationToken);
            await NotifyAsync(participant, investigator, command.Reason!, now, cancellationToken);
            return new Revealed(arm.Code, arm.Name, participant.EmergencyUnblindedAt!.Value);
        }

        private async Task NotifyAsync(Domain.Participants.Participant participant, EdcUser investigator, string reason, DateTimeOffset now, CancellationToken cancellationToken)
        {
            var recipients = await NotificationRecipients.WithRolesAsync(db, [Roles.UnblindedStatistician, Roles.Admin], cancellationToken);
            var body = $"The blind was broken for participant {participant.ScreeningNumber} (randomization number " +
                $"{participant.RandomizationNumber}) by {investigator.DisplayName} <{investigator.Email}> at {now:u}. Reason: {reason}";
            db.Notifications.AddRange(recipients.Select(id =>
                Notification.To(id, participant.TrialId, "EmergencyUnblinding", "Emergency unblinding", body, now)));
        }
    }
}
