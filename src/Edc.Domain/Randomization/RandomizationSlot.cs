using Edc.Domain.Common;

namespace Edc.Domain.Randomization;

/// <summary>One line of the list. Its arm code is the secret the blinding gate guards.</summary>
public sealed class RandomizationSlot : ITrialScoped
{
    private RandomizationSlot()
    {
    }

    public Guid Id { get; private set; }

    public Guid ListId { get; private set; }

    public Guid TrialId { get; private set; }

    public string StratumKey { get; private set; } = string.Empty;

    public int Sequence { get; private set; }

    public int BlockNumber { get; private set; }

    public int BlockSize { get; private set; }

    public string RandomizationNumber { get; private set; } = string.Empty;

    public string KitNumber { get; private set; } = string.Empty;

    [Sealed]
    public string ArmCode { get; private set; } = string.Empty;

    public Guid? ParticipantId { get; private set; }

    public DateTimeOffset? AllocatedAt { get; private set; }

    public static RandomizationSlot From(RandomizationList list, SlotSpec spec) => new()
    {
        Id = Guid.NewGuid(),
        ListId = list.Id,
        TrialId = list.TrialId,
        StratumKey = spec.StratumKey,
        Sequence = spec.Sequence,
        BlockNumber = spec.BlockNumber,
        BlockSize = spec.BlockSize,
        RandomizationNumber = spec.RandomizationNumber,
        KitNumber = spec.KitNumber,
        ArmCode = spec.ArmCode,
    };

    public SlotSpec ToSpec() => new(StratumKey, Sequence, BlockNumber, BlockSize, RandomizationNumber, KitNumber, ArmCode);

    public void AllocateTo(Guid participantId, DateTimeOffset now)
    {
        if (ParticipantId is not null)
        {
            throw new RuleViolationException(RuleCodes.SlotTaken, "This randomization slot is already allocated.");
        }

        ParticipantId = participantId;
        AllocatedAt = now;
    }
}
