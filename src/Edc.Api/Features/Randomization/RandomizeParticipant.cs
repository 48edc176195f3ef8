using Edc.Api.Common.Changes;
using Edc.Api.Security;
using Edc.Domain.Common;
using Edc.Domain.Participants;
using Edc.Domain.Randomization;
using Edc.Domain.Security;
using Edc.Domain.Visits;
using Edc.Infrastructure.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Randomization;

public static class RandomizeParticipant
{
    [AllowedRoles(Roles.Coordinator, Roles.Investigator)]
    public sealed record Command(Guid TrialId, Guid ParticipantId) : IRequest<Randomized>, ITrialChange
    {
        public string? Reason => null;
    }

    public sealed record Randomized(string RandomizationNumber, string KitNumber, DateTimeOffset RandomizedAt);

    /// <summary>
    /// Allocates the next unused slot of the participant's stratum and lays out the participant's visit schedule
    /// (Day 0 is the randomization date, in UTC; one INSERT, sent with the COMMIT). The participant's row is locked (one
    /// randomization per participant) and the stratum is serialized by a transaction-level advisory lock, both taken by
    /// the statement that loads the trial and the participant, so concurrent requests, on any number of API instances,
    /// take slots strictly in list order with no gap.
    /// </summary>
    internal sealed class Handler(EdcDbContext db, ForChange load, TimeProvider clock) : IRequestHandler<Command, Randomized>
    {
        // Compiled once: it runs while the stratum's lock is held, which every randomization of the stratum waits for.
        private static readonly Func<EdcDbContext, Guid, string, CancellationToken, Task<RandomizationSlot?>> FirstFreeSlot = EF.CompileAsyncQuery(
            (EdcDbContext db, Guid trialId, string stratum, CancellationToken cancellationToken) => db.RandomizationSlots
                .Where(s => s.TrialId == trialId && s.StratumKey == stratum && s.ParticipantId == null)
                .OrderBy(s => s.Sequence)
                .FirstOrDefault());

        public async Task<Randomized> Handle(Command command, CancellationToken cancellationToken)
        {
            var (trial, participant) = await load.ToRandomizeAsync(command.TrialId, command.ParticipantId, cancellationToken);
            participant.RequireRandomizable(trial);
            var stratum = participant.StratumKey ?? Stratum.None;
            var slot = await FirstFreeSlot(db, trial.Id, stratum, cancellationToken)
                ?? throw await NoSlotAsync(trial.Id, stratum, cancellationToken);

            var now = clock.GetUtcNow();
            slot.AllocateTo(participant.Id, now);
            participant.Randomize(trial, slot.RandomizationNumber, slot.KitNumber, now);
            ScheduleRows.InsertWithCommit(db, ScheduledVisit.ScheduleFor(participant, trial.Visits, DateOnly.FromDateTime(now.UtcDateTime)));
            return new Randomized(slot.RandomizationNumber, slot.KitNumber, now);
        }

        private async Task<RuleViolationException> NoSlotAsync(Guid trialId, string stratum, CancellationToken cancellationToken) =>
            await db.RandomizationLists.AnyAsync(l => l.TrialId == trialId, cancellationToken)
                ? new RuleViolationException(
                    RuleCodes.RandomizationListExhausted,
                    "The randomization list for this participant's stratum is used up: the unblinded statistician must extend it.",
                    new Dictionary<string, object> { ["stratum"] = stratum })
                : new RuleViolationException(RuleCodes.NoRandomizationList, "The trial has no randomization list yet; the unblinded statistician must create it.");
    }
}
