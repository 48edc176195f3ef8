using Edc.Domain.Common;

namespace Edc.Domain.Randomization;

/// <summary>
/// A trial's randomization list: how it was made (algorithm, seed, parameters, or an imported file) and its checksum.
/// The masked group key (Group A, Group B to arm) is drawn with it. Only the unblinded statistician reads either.
/// </summary>
public sealed class RandomizationList : ITrialScoped
{
    private RandomizationList()
    {
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    public string Algorithm { get; private set; } = string.Empty;

    /// <summary>The seed as text (null for an imported list). Sealed: with the algorithm and the trial it reproduces every arm.</summary>
    [Sealed]
    public string? Seed { get; private set; }

    /// <summary>Sealed: staff who knew the block sizes could predict the last allocations of each block.</summary>
    [Sealed]
    public List<int> BlockSizes { get; private set; } = [];

    public int SlotsPerStratum { get; private set; }

    /// <summary>Sealed in the trail: with a guessable seed, a checksum would let anyone confirm a guessed list.</summary>
    [Sealed]
    public string Checksum { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Masked group label to arm code; sealed in the audit trail.</summary>
    [Sealed]
    public Dictionary<string, string> GroupKey { get; private set; } = [];

    public static RandomizationList Create(
        Guid trialId, string algorithm, string? seed, IReadOnlyList<int> blockSizes, int slotsPerStratum, string checksum,
        Dictionary<string, string> groupKey, DateTimeOffset now) => new()
        {
            Id = Guid.NewGuid(),
            TrialId = trialId,
            Algorithm = algorithm,
            Seed = seed,
            BlockSizes = [.. blockSizes],
            SlotsPerStratum = slotsPerStratum,
            Checksum = checksum,
            GroupKey = groupKey,
            CreatedAt = now,
        };

    public void Extended(string checksum) => Checksum = checksum;
}
