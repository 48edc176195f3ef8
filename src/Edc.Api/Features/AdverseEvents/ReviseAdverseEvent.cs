using Edc.Api.Common.Changes;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using FluentValidation;
using MediatR;

namespace Edc.Api.Features.AdverseEvents;

public static class ReviseAdverseEvent
{
    public sealed record Command(Guid TrialId, Guid AdverseEventId, AdverseEventBody Form) : IRequest<AdverseEventView>, IAdverseEventForm, ITrialChange
    {
        public string? Reason => Form.Reason;
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            this.AddFormRules();
            RuleFor(c => c.Form.Reason).NotEmpty().WithMessage("A new version of an adverse event needs the reason for the change.")
                .OverridePropertyName("reason");
        }
    }

    /// <summary>
    /// Replaces the current version with the whole form given, kept as a new version with its reason. The event row is
    /// locked, so concurrent revisions follow one another and each gets its own number.
    /// </summary>
    internal sealed class Handler(EdcDbContext db, ForChange load, CurrentUser user, SafetyNotifications notifications, TimeProvider clock)
        : IRequestHandler<Command, AdverseEventView>
    {
        public async Task<AdverseEventView> Handle(Command command, CancellationToken cancellationToken)
        {
            var trial = await load.TrialAsync(command.TrialId, cancellationToken);
            var adverseEvent = await load.AdverseEventAsync(trial.Id, command.AdverseEventId, cancellationToken);
            var participant = await load.ParticipantAsync(trial.Id, adverseEvent.ParticipantId, cancellationToken);
            var now = clock.GetUtcNow();
            var awareAt = command.Form.AwarenessDate ?? adverseEvent.AwarenessWhenNotGiven(command.Form.Serious!.Value, now);
            var report = command.Form.ToConsistentReport(awareAt, participant.ConsentDate, now);
            var wasSerious = adverseEvent.Serious;
            db.AdverseEventVersions.Add(adverseEvent.Revise(trial, participant, report, command.Form.Reason!, user.Id!.Value, now));
            if (adverseEvent.Serious && !wasSerious)
            {
                await notifications.SeriousEventEnteredAsync(adverseEvent, participant, now, cancellationToken);
            }

            return AdverseEventView.From(adverseEvent, participant.ScreeningNumber, now);
        }
    }
}
