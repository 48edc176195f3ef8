using Edc.Api.Common;
using Edc.Domain.Common;
using Edc.Domain.Participants;
using Edc.Domain.Randomization;
using Edc.Domain.Trials;
using Edc.Infrastructure.Auditing;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Randomization;

/// <summary>Steps the list's use cases share: the trial with its arms, saving a new list, and the audit event that names it.</summary>
internal sealed class RandomizationListStore(EdcDbContext db, CurrentUser user, TimeProvider clock)
{
    public async Task<Trial> TrialAsync(Guid trialId, CancellationToken cancellationToken) =>
        await db.Trials.Include(t => t.Arms).Include(t => t.StratificationFactors).AsSplitQuery()
            .SingleOrDefaultAsync(t => t.Id == trialId, cancellationToken) ?? throw new NotFoundException("The trial");

    /// <summary>The trial a new list is for: open, and without a list (the unique index guards a race as well).</summary>
    public async Task<Trial> TrialForNewListAsync(Guid trialId, CancellationToken cancellationToken)
    {
        var trial = await TrialAsync(trialId, cancellationToken);
        trial.RequireOpenForData();

        if (await db.RandomizationLists.AnyAsync(l => l.TrialId == trial.Id, cancellationToken))
        {
            throw new RuleViolationException(RuleCodes.RandomizationListExists, "The trial already has a randomization list; extend it instead.");
        }

        return trial;
    }

    public ListCreated AddNew(
        Trial trial, string algorithm, string? seed, IReadOnlyList<int> blockSizes, int slotsPerStratum,
        IReadOnlyList<SlotSpec> slots, Dictionary<string, string> groupKey)
    {
        var checksum = BlockRandomizer.Checksum(algorithm, seed, blockSizes, slots);
        var list = RandomizationList.Create(trial.Id, algorithm, seed, blockSizes, slotsPerStratum, checksum, groupKey, clock.GetUtcNow());
        db.RandomizationLists.Add(list);
        db.RandomizationSlots.AddRange(slots.Select(s => RandomizationSlot.From(list, s)));
        Audit("RandomizationListCreated", list, $"{slots.Count} slots");
        return new ListCreated(list.Id, algorithm, seed, checksum, slots.Count, [.. slots.Select(s => s.StratumKey).Distinct()]);
    }

    public void Audit(string action, RandomizationList list, string? detail = null) =>
        db.AuditEntries.Add(AuditEntry.Create(
            new AuditActor(user.Id, user.Email, string.Join(',', user.Roles)), action, nameof(RandomizationList), list.Id.ToString(),
            list.TrialId, newValue: detail));

    /// <summary>The strata a list covers: every combination of the trial's factor levels.</summary>
    public static IReadOnlyList<string> StrataOf(Trial trial) => Stratum.AllOf(trial);
}
