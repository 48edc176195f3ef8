using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Edc.Domain.Common;
using Edc.Domain.Trials;

namespace Edc.Domain.Randomization;

/// <summary>
/// Permuted blocks with block sizes drawn at random from a given set, one sequence per stratum, arms in the trial's
/// ratio within every block. Each stratum draws from its own stream of blocks, so a list is extended by taking the
/// next blocks of the same streams: the same seed, parameters and algorithm version always give the same list.
/// </summary>
public static class BlockRandomizer
{
    public const string Algorithm = "permuted-blocks-random-sizes/v1";

    public static IReadOnlyList<SlotSpec> Generate(
        IReadOnlyList<TrialArm> arms, IReadOnlyList<string> strata, IReadOnlyList<int> blockSizes, int slotsPerStratum, long seed)
    {
        Validate(arms, blockSizes);
        var blocks = strata.Select(stratum => TakeBlocks(arms, blockSizes, seed, stratum, skip: 0, slots: slotsPerStratum)).ToList();
        return Number(strata, blocks, [], seed);
    }

    /// <summary>The next blocks of one stratum's stream, appended after the slots the list already has.</summary>
    public static IReadOnlyList<SlotSpec> Extend(
        IReadOnlyList<TrialArm> arms, IReadOnlyList<string> strata, IReadOnlyList<int> blockSizes, long seed,
        IReadOnlyList<SlotSpec> existing, string stratum, int slots)
    {
        Validate(arms, blockSizes);
        var blocksSoFar = existing.Where(s => s.StratumKey == stratum).Select(s => s.BlockNumber).DefaultIfEmpty(0).Max();
        var added = TakeBlocks(arms, blockSizes, seed, stratum, skip: blocksSoFar, slots: slots);
        var numbered = Number([stratum], [added], existing, seed);
        return numbered;
    }

    /// <summary>SHA-256 over the list's canonical text: parameters, then one line per slot in stratum and sequence order.</summary>
    public static string Checksum(string algorithm, string? seed, IEnumerable<int> blockSizes, IEnumerable<SlotSpec> slots)
    {
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{algorithm}\nseed={seed}\nblockSizes={string.Join(',', blockSizes)}\n");
        foreach (var s in slots.OrderBy(s => s.StratumKey, StringComparer.Ordinal).ThenBy(s => s.Sequence))
        {
            text.Append(CultureInfo.InvariantCulture, $"{s.StratumKey};{s.Sequence};{s.BlockNumber};{s.BlockSize};{s.RandomizationNumber};{s.KitNumber};{s.ArmCode}\n");
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Masked group labels ("Group A", "Group B", ...) assigned to the arms in an order drawn from the seed.</summary>
    public static Dictionary<string, string> GroupKey(IReadOnlyList<TrialArm> arms, long seed)
    {
        var shuffled = arms.OrderBy(a => a.Ordinal).Select(a => a.Code).ToList();
        new SeededRandom(seed, "groups").Shuffle(shuffled);
        return shuffled.Select((code, i) => (Label: "Group " + (char)('A' + i), code)).ToDictionary(x => x.Label, x => x.code);
    }

    public static long NewSeed() => RandomNumberGenerator.GetInt32(int.MaxValue) * (long)int.MaxValue + RandomNumberGenerator.GetInt32(int.MaxValue);

    private static void Validate(IReadOnlyList<TrialArm> arms, IReadOnlyList<int> blockSizes)
    {
        var ratioSum = arms.Sum(a => a.Ratio);
        if (blockSizes.Count == 0 || blockSizes.Any(size => size <= 0 || size % ratioSum != 0))
        {
            throw new RuleViolationException(
                RuleCodes.BlockSizeInvalid, $"Every block size must be a positive multiple of {ratioSum}, the sum of the arms' ratios.");
        }
    }

    private static List<List<string>> TakeBlocks(IReadOnlyList<TrialArm> arms, IReadOnlyList<int> blockSizes, long seed, string stratum, int skip, int slots)
    {
        var random = new SeededRandom(seed, "blocks:" + stratum);
        var ratioSum = arms.Sum(a => a.Ratio);
        var taken = new List<List<string>>();
        var count = 0;
        for (var index = 0; count < slots; index++)
        {
            var size = blockSizes[random.NextInt(blockSizes.Count)];
            var block = arms.OrderBy(a => a.Ordinal).SelectMany(a => Enumerable.Repeat(a.Code, a.Ratio * size / ratioSum)).ToList();
            random.Shuffle(block);
            if (index >= skip)
            {
                taken.Add(block);
                count += block.Count;
            }
        }

        return taken;
    }

    private static List<SlotSpec> Number(IReadOnlyList<string> strata, IReadOnlyList<List<List<string>>> blocksPerStratum, IReadOnlyList<SlotSpec> existing, long seed)
    {
        var kits = new KitNumbers(seed, existing.Select(s => s.KitNumber));
        var slots = new List<SlotSpec>();
        for (var i = 0; i < strata.Count; i++)
        {
            var stratum = strata[i];
            var previous = existing.Where(s => s.StratumKey == stratum).ToList();
            var sequence = previous.Count;
            var blockNumber = previous.Select(s => s.BlockNumber).DefaultIfEmpty(0).Max();
            var stratumNumber = previous.Count > 0 ? previous[0].RandomizationNumber.Split('-')[0] : (i + 1).ToString("D2", CultureInfo.InvariantCulture);
            foreach (var block in blocksPerStratum[i])
            {
                blockNumber++;
                foreach (var arm in block)
                {
                    sequence++;
                    slots.Add(new SlotSpec(stratum, sequence, blockNumber, block.Count, $"{stratumNumber}-{sequence:D4}", kits.Next(), arm));
                }
            }
        }

        return slots;
    }

    /// <summary>Six-digit kit numbers drawn from the seed, never repeated within a list, so a kit tells nothing of its arm.</summary>
    private sealed class KitNumbers
    {
        private readonly SeededRandom _random;
        private readonly HashSet<string> _used = [];

        public KitNumbers(long seed, IEnumerable<string> existing)
        {
            _random = new SeededRandom(seed, "kits");
            // Replay the stream up to where the list stands, so an extension continues it exactly.
            var count = existing.Count();
            for (var i = 0; i < count; i++)
            {
                Next();
            }
        }

        public string Next()
        {
            if (_used.Count >= 800_000)
            {
                throw new RuleViolationException(RuleCodes.ListTooLarge, "A list holds at most 800,000 slots: the kit numbers would run out.");
            }

            string kit;
            do
            {
                kit = "K" + (100000 + _random.NextInt(900000)).ToString(CultureInfo.InvariantCulture);
            }
            while (!_used.Add(kit));
            return kit;
        }
    }
}
