using Edc.Api.Features.Participants;
using Edc.Api.Features.Trials;
using Edc.Domain.Visits;
using Edc.Infrastructure.Persistence;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Visits;

public static class AddUnscheduledVisit
{
    public sealed record Body(string? Name, DateOnly? ActualDate, List<string>? Procedures);

    public sealed record Command(Guid TrialId, Guid ParticipantId, string? Name, DateOnly? ActualDate, List<string>? Procedures) : IRequest<VisitView>;

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
    internal sealed class Handler(EdcDbContext db, ParticipantReader participants, TimeProvider clock) : IRequestHandler<Command, VisitView>
    {
        public async Task<VisitView> Handle(Command command, CancellationToken cancellationToken)
        {
            await using var write = await TrialWrite.BeginAsync(db, command.TrialId, cancellationToken);
            var (trial, participant) = await participants.GetForChangeAsync(command.TrialId, command.ParticipantId, cancellationToken);
            trial.RequireOpenForData();

            // The participant's row, locked, numbers their unscheduled visits one after the other.
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM participants WHERE id = {participant.Id} FOR UPDATE", cancellationToken);
            var number = await db.Visits.CountAsync(v => v.ParticipantId == participant.Id && v.Day == null, cancellationToken) + 1;
            var visit = ScheduledVisit.Unscheduled(participant, number, command.Name!, command.Procedures ?? []);
            visit.Complete(participant, command.ActualDate!.Value, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
            db.Visits.Add(visit);
            await db.SaveChangesAsync(cancellationToken);
            await write.CommitAsync(cancellationToken);
            return VisitView.From(visit);
        }
    }
}
