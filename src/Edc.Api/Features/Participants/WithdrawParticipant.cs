using Edc.Api.Features.Trials;
using Edc.Infrastructure.Persistence;
using FluentValidation;
using MediatR;

namespace Edc.Api.Features.Participants;

public static class WithdrawParticipant
{
    public sealed record Body(DateOnly? Date, string? Reason);

    public sealed record Command(Guid TrialId, Guid ParticipantId, DateOnly? Date, string? Reason) : IRequest<ParticipantView>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Date).NotNull();
            RuleFor(c => c.Reason).NotEmpty().MaximumLength(2000);
        }
    }

    internal sealed class Handler(EdcDbContext db, ParticipantReader reader, TimeProvider clock) : IRequestHandler<Command, ParticipantView>
    {
        public async Task<ParticipantView> Handle(Command command, CancellationToken cancellationToken)
        {
            await using var write = await TrialWrite.BeginAsync(db, command.TrialId, cancellationToken);
            var (trial, participant) = await reader.GetForChangeAsync(command.TrialId, command.ParticipantId, cancellationToken);
            db.AuditReason = command.Reason;
            participant.Withdraw(trial, command.Date!.Value, command.Reason!, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
            await db.SaveChangesAsync(cancellationToken);
            await write.CommitAsync(cancellationToken);
            return await reader.ViewAsync(trial, participant, cancellationToken);
        }
    }
}
