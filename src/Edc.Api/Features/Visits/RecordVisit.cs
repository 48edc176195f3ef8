using Edc.Api.Common;
using Edc.Api.Common.Changes;
using Edc.Api.Security;
using Edc.Domain.Security;
using Edc.Domain.Visits;
using Edc.Infrastructure.Persistence;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Visits;

public static class RecordVisit
{
    public sealed record Body(VisitRecording? Status, DateOnly? ActualDate, string? MissedReason, string? Reason);

    /// <param name="IfMatch">The request's <c>If-Match</c> header: the version an edit was made from.</param>
    [AllowedRoles(Roles.Coordinator, Roles.Investigator)]
    public sealed record Command(
        Guid TrialId, Guid ParticipantId, string VisitCode, VisitRecording? Status, DateOnly? ActualDate, string? MissedReason, string? Reason, string? IfMatch = null)
        : IRequest<VisitView>, ITrialChange;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Status).NotNull().WithMessage("Status is Completed or Missed.");
            RuleFor(c => c.ActualDate).NotNull().When(c => c.Status == VisitRecording.Completed).WithMessage("A completed visit needs its actual date.");
            RuleFor(c => c.MissedReason).NotEmpty().When(c => c.Status == VisitRecording.Missed).WithMessage("A missed visit needs the reason.");
            RuleFor(c => c.MissedReason).MaximumLength(2000);
            RuleFor(c => c.Reason).MaximumLength(2000);
        }
    }

    /// <summary>
    /// Completes a visit (flagged out of window, with a protocol deviation, when its date falls outside the window) or
    /// records it as missed. A visit already recorded changes only with a reason and the version it was made from
    /// (<c>If-Match</c>: without it 428, from another version 409 StaleEdit); its first recording needs neither, but an
    /// <c>If-Match</c> sent with it must name the scheduled visit's version. Completing the schedule's last visit
    /// completes the participant on its date; recording that visit again moves the completion with it.
    /// </summary>
    internal sealed class Handler(EdcDbContext db, ForChange load, TimeProvider clock) : IRequestHandler<Command, VisitView>
    {
        public async Task<VisitView> Handle(Command command, CancellationToken cancellationToken)
        {
            var participant = await load.ParticipantAsync(command.TrialId, command.ParticipantId, cancellationToken);
            (await load.TrialAsync(command.TrialId, cancellationToken)).RequireOpenForData();
            var visit = await load.VisitAsync(participant, command.VisitCode, cancellationToken);
            RecordVersion.Require(command.IfMatch, visit.Version, visit.Status != VisitStatus.Scheduled, command.Reason, "visit");
            ChangeReason.Require(visit.Status != VisitStatus.Scheduled, command.Reason, "visit");
            var lastDay = await db.Visits.Where(v => v.ParticipantId == participant.Id && v.Day != null).MaxAsync(v => v.Day, cancellationToken);
            var isLast = visit.Day is not null && visit.Day == lastDay;
            var now = clock.GetUtcNow();
            if (command.Status == VisitRecording.Missed)
            {
                visit.Miss(participant, command.MissedReason!, isLast);
            }
            else if (visit.Complete(participant, command.ActualDate!.Value, DateOnly.FromDateTime(now.UtcDateTime), isLast))
            {
                db.ProtocolDeviations.Add(ProtocolDeviation.VisitOutOfWindow(visit, now));
            }

            return VisitView.From(visit);
        }
    }
}
