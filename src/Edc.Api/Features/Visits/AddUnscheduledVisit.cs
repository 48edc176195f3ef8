using Edc.Api.Common.Changes;
using Edc.Api.Security;
using Edc.Domain.Security;
using Edc.Domain.Visits;
using Edc.Infrastructure.Persistence;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Visits;

public static class AddUnscheduledVisit
{
    public sealed record Body(string? Name, DateOnly? ActualDate, List<string>? Procedures);

    [AllowedRoles(Roles.Coordinator, Roles.Investigator)]
    public sealed record Command(Guid TrialId, Guid ParticipantId, string? Name, DateOnly? ActualDate, List<string>? Procedures) : IRequest<VisitView>, ITrialChange
    {
        public string? Reason => null;
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Name).NotEmpty().MaximumLength(200);
            RuleFor(c => c.ActualDate).NotNull();
            RuleForEach(c => c.Procedures).NotEmpty().MaximumLength(40).Matches("^[A-Za-z][A-Za-z0-9]*$");
        }
    }

    /// <summary>A visit outside the protocol's schedule (UNS1, UNS2, ...), recorded as done on its date.</summary>
    internal sealed class Handler(EdcDbContext db, ForChange load, TimeProvider clock) : IRequestHandler<Command, VisitView>
    {
        public async Task<VisitView> Handle(Command command, CancellationToken cancellationToken)
        {
            // The participant's row, locked, numbers their unscheduled visits one after the other.
            var participant = await load.ParticipantAsync(command.TrialId, command.ParticipantId, cancellationToken);
            (await load.TrialAsync(command.TrialId, cancellationToken)).RequireOpenForData();
            var number = await db.Visits.CountAsync(v => v.ParticipantId == participant.Id && v.Day == null, cancellationToken) + 1;
            var visit = ScheduledVisit.Unscheduled(participant, number, command.Name!, command.Procedures ?? []);
            visit.Complete(participant, command.ActualDate!.Value, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
            db.Visits.Add(visit);
            return VisitView.From(visit);
        }
    }
}
