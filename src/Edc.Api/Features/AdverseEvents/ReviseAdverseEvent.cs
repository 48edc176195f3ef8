using Edc.Api.Common;
using Edc.Api.Common.Changes;
using Edc.Api.Security;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using FluentValidation;
using MediatR;

namespace Edc.Api.Features.AdverseEvents;

public static class ReviseAdverseEvent
{
    /// <param name="IfMatch">The request's <c>If-Match</c> header: the version the revision was made from.</param>
    [AllowedRoles(Roles.Coordinator, Roles.Investigator)]
    public sealed record Command(Guid TrialId, Guid AdverseEventId, AdverseEventBody Form, string? IfMatch = null)
        : IRequest<AdverseEventView>, IAdverseEventForm, ITrialChange
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

            // Lacking its reason and its If-Match, a revision is told both at once.
            RuleFor(c => c.IfMatch).NotEmpty().When(c => string.IsNullOrWhiteSpace(c.Form.Reason))
                .WithMessage(RecordVersion.IfMatchMissingMessage("adverse event"))
                .OverridePropertyName(RecordVersion.IfMatchHeader).WithState(_ => ProblemMapping.DataKey);
        }
    }

    /// <summary>
    /// Replaces the current version with the whole form given, kept as a new version with its reason, made from the
    /// version named in <c>If-Match</c> (without it 428, from another version 409 StaleEdit). The event row is locked, so
    /// concurrent revisions follow one another: of those made from one version, the first wins and the others are stale.
    /// Answers the event as its GET does, every version included.
    /// </summary>
    internal sealed class Handler(
        EdcDbContext db, ForChange load, CurrentUser user, SafetyNotifications notifications, ClinicalDataChanges changes, TimeProvider clock)
        : IRequestHandler<Command, AdverseEventView>
    {
        public async Task<AdverseEventView> Handle(Command command, CancellationToken cancellationToken)
        {
            var trial = await load.TrialAsync(command.TrialId, cancellationToken);
            var adverseEvent = await load.AdverseEventAsync(trial.Id, command.AdverseEventId, cancellationToken);
            trial.RequireOpenForData(); // a locked trial says so whatever the version, as the other records do
            RecordVersion.Require(command.IfMatch, adverseEvent.CurrentVersion, edit: true, command.Form.Reason, "adverse event");
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

            // Saved early, as the answer lists every version, the new one with the others: the change's rules apply first.
            await changes.ApplyAsync(command.Reason, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return AdverseEventView.From(
                adverseEvent, participant.ScreeningNumber, now, await AdverseEventVersionView.ListAsync(db, adverseEvent.Id, cancellationToken));
        }
    }
}
