using Edc.Api.Common.Changes;
using Edc.Api.Security;
using Edc.Domain.Safety;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using FluentValidation;
using MediatR;

namespace Edc.Api.Features.AdverseEvents;

public static class RecordAdverseEvent
{
    [AllowedRoles(Roles.Coordinator, Roles.Investigator)]
    public sealed record Command(Guid TrialId, Guid ParticipantId, AdverseEventBody Form) : IRequest<Recorded>, IAdverseEventForm, ITrialChange
    {
        public string? Reason => Form.Reason;
    }

    public sealed record Recorded(Guid Id, int Version);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => this.AddFormRules();
    }

    /// <summary>
    /// Records a participant's adverse event as version 1. The awareness defaults to the time of entry; a serious one
    /// starts the sponsor's 24-hour clock and tells the site's investigators and the admins; a fatal one records the
    /// participant's death.
    /// </summary>
    internal sealed class Handler(EdcDbContext db, ForChange load, CurrentUser user, SafetyNotifications notifications, TimeProvider clock)
        : IRequestHandler<Command, Recorded>
    {
        public async Task<Recorded> Handle(Command command, CancellationToken cancellationToken)
        {
            var (trial, participant) = await load.TrialAndParticipantAsync(command.TrialId, command.ParticipantId, cancellationToken);
            var now = clock.GetUtcNow();
            var report = command.Form.ToConsistentReport(command.Form.AwarenessDate ?? now, participant.ConsentDate, now);
            var (adverseEvent, version) = AdverseEvent.Record(trial, participant, report, user.Id!.Value, now);
            db.AdverseEvents.Add(adverseEvent);
            db.AdverseEventVersions.Add(version);
            if (adverseEvent.Serious)
            {
                await notifications.SeriousEventEnteredAsync(adverseEvent, participant, now, cancellationToken);
            }

            return new Recorded(adverseEvent.Id, adverseEvent.CurrentVersion);
        }
    }
}
