using System.Text.RegularExpressions;
using Edc.Domain.Common;
using Edc.Domain.Participants;
using Edc.Domain.Randomization;
using Edc.Domain.Trials;

namespace Edc.Domain.Tests;

public sealed class BlockRandomizerTests
{
    private const string PinnedChecksum = "610ef55dc3fbd5ea51e0efe5c62c032e3d01a1231b09f30036eb72e9e968b4e8";
    private const string PinnedGroupA = "PBO";
    private const long PinnedSeed = 20260301;

    private static readonly DateTimeOffset Now = new(2026, 3, 1, 14, 5, 0, TimeSpan.Zero);
    private static readonly ArmSpec[] OneToOne = [new("ACT", "Active", 1), new("PBO", "Placebo", 1)];
    private static readonly ArmSpec[] TwoToOne = [new("ACT", "Active", 2), new("PBO", "Placebo", 1)];
    private static readonly FactorSpec Sex = new("SEX", "Sex", ["F", "M"]);
    private static readonly FactorSpec Age = new("AGE", "Age group", ["Y", "O"]);

    private static Trial TrialWith(IReadOnlyList<ArmSpec> arms, params FactorSpec[] factors) => Trial.Define(
        new TrialDefinition("T1", "Trial one", arms, [new VisitSpec("D0", "Day 0", 0, 0, 0, [])], [], factors), Now);

    private static IReadOnlyList<SlotSpec> Generate(Trial trial, int[] blockSizes, int slotsPerStratum, long seed) =>
        BlockRandomizer.Generate(trial.Arms, Stratum.AllOf(trial), blockSizes, slotsPerStratum, seed);

    private static string Checksum(long seed, int[] blockSizes, IEnumerable<SlotSpec> slots) =>
        BlockRandomizer.Checksum(BlockRandomizer.Algorithm, seed.ToString(System.Globalization.CultureInfo.InvariantCulture), blockSizes, slots);

    [Fact]
    public void Generate_WithSameSeedAndParameters_GivesIdenticalSlotsAndChecksum()
    {
        // Two trials defined separately (different ids), as on two databases: only the definition matters.
        var first = Generate(TrialWith(OneToOne, Sex), [2, 4], 40, 42);
        var second = Generate(TrialWith(OneToOne, Sex), [2, 4], 40, 42);

        Assert.Equal(first, second);
        Assert.Equal(Checksum(42, [2, 4], first), Checksum(42, [2, 4], second));
        Assert.Equal(64, Checksum(42, [2, 4], first).Length);
    }

    [Fact]
    public void Generate_WithDifferentSeed_GivesDifferentChecksumAndArms()
    {
        var trial = TrialWith(OneToOne, Sex);
        var first = Generate(trial, [2, 4], 40, 42);
        var second = Generate(trial, [2, 4], 40, 43);

        Assert.NotEqual(Checksum(42, [2, 4], first), Checksum(43, [2, 4], second));
        Assert.NotEqual(first.Select(s => s.ArmCode), second.Select(s => s.ArmCode));
        Assert.NotEqual(first.Select(s => s.KitNumber), second.Select(s => s.KitNumber));
    }

    [Theory]
    [InlineData(2, new[] { 3, 6 })]
    [InlineData(1, new[] { 2, 4 })]
    [InlineData(1, new[] { 4, 6, 8 })]
    public void Generate_WithRatio_BalancesEveryBlockToTheRatio(int activeRatio, int[] blockSizes)
    {
        var arms = new[] { new ArmSpec("ACT", "Active", activeRatio), new ArmSpec("PBO", "Placebo", 1) };
        var ratioSum = activeRatio + 1;
        var slots = Generate(TrialWith(arms, Sex), blockSizes, 300, 7);

        var blocks = slots.GroupBy(s => (s.StratumKey, s.BlockNumber)).ToList();
        Assert.True(blocks.Count > 20);
        foreach (var block in blocks)
        {
            var size = block.First().BlockSize;
            Assert.All(block, s => Assert.Equal(size, s.BlockSize));
            Assert.Equal(size, block.Count());
            Assert.Equal(activeRatio * size / ratioSum, block.Count(s => s.ArmCode == "ACT"));
            Assert.Equal(size / ratioSum, block.Count(s => s.ArmCode == "PBO"));

            // A block is a contiguous run of the stratum's sequence.
            var sequences = block.Select(s => s.Sequence).Order().ToList();
            Assert.Equal(Enumerable.Range(sequences[0], size), sequences);
        }
    }

    [Fact]
    public void Generate_OverALongList_DrawsBlockSizesOnlyFromTheSetAndUsesEach()
    {
        var slots = Generate(TrialWith(OneToOne), [2, 4, 6], 1000, 11);

        var sizes = slots.GroupBy(s => s.BlockNumber).Select(b => b.First().BlockSize).ToList();
        Assert.All(sizes, size => Assert.Contains(size, new[] { 2, 4, 6 }));
        Assert.Equal([2, 4, 6], sizes.Distinct().Order());

        // Drawn at random, not in a fixed rotation: some size follows itself somewhere.
        Assert.Contains(sizes.Zip(sizes.Skip(1)), pair => pair.First == pair.Second);
    }

    [Fact]
    public void Generate_WithStrata_NumbersEachStratum1ToNWithItsOwnPrefix()
    {
        var trial = TrialWith(OneToOne, Sex, Age);
        var slots = Generate(trial, [2, 4], 25, 5);

        var strata = slots.GroupBy(s => s.StratumKey).ToList();
        Assert.Equal(Stratum.AllOf(trial), strata.Select(g => g.Key));
        var prefixes = new List<string>();
        for (var i = 0; i < strata.Count; i++)
        {
            var stratum = strata[i].ToList();
            Assert.InRange(stratum.Count, 25, 25 + 3);
            Assert.Equal(Enumerable.Range(1, stratum.Count), stratum.Select(s => s.Sequence));
            var prefix = $"{i + 1:D2}";
            Assert.All(stratum, s => Assert.Equal($"{prefix}-{s.Sequence:D4}", s.RandomizationNumber));
            Assert.Equal(Enumerable.Range(1, stratum.Max(s => s.BlockNumber)), stratum.Select(s => s.BlockNumber).Distinct());
            prefixes.Add(prefix);
        }

        Assert.Equal(["01", "02", "03", "04"], prefixes);
        Assert.Equal(slots.Count, slots.Select(s => s.RandomizationNumber).Distinct().Count());
    }

    [Fact]
    public void Generate_ForALargeList_GivesUniqueSixDigitKitNumbers()
    {
        var slots = Generate(TrialWith(OneToOne, Sex, Age), [2, 4], 2000, 3);

        Assert.True(slots.Count >= 8000);
        Assert.Equal(slots.Count, slots.Select(s => s.KitNumber).Distinct().Count());
        Assert.All(slots, s => Assert.Matches("^K[1-9][0-9]{5}$", s.KitNumber));
    }

    [Fact]
    public void Extend_FromTheSameState_IsDeterministicAndContinuesTheSequence()
    {
        var trial = TrialWith(OneToOne, Sex);
        var strata = Stratum.AllOf(trial);
        var existing = Generate(trial, [2, 4], 8, 42);
        var before = existing.Where(s => s.StratumKey == "SEX=M").ToList();

        var first = BlockRandomizer.Extend(trial.Arms, strata, [2, 4], 42, existing, "SEX=M", 8);
        var second = BlockRandomizer.Extend(trial.Arms, strata, [2, 4], 42, existing, "SEX=M", 8);

        Assert.Equal(first, second);
        Assert.InRange(first.Count, 8, 8 + 3);
        Assert.All(first, s => Assert.Equal("SEX=M", s.StratumKey));
        Assert.Equal(Enumerable.Range(before.Count + 1, first.Count), first.Select(s => s.Sequence));
        Assert.All(first, s => Assert.Equal($"02-{s.Sequence:D4}", s.RandomizationNumber));
        Assert.Equal(before.Max(s => s.BlockNumber) + 1, first.Min(s => s.BlockNumber));
        Assert.Empty(first.Select(s => s.KitNumber).Intersect(existing.Select(s => s.KitNumber)));
        Assert.Equal(first.Count, first.Select(s => s.KitNumber).Distinct().Count());
        Assert.NotEqual(Checksum(42, [2, 4], existing), Checksum(42, [2, 4], [.. existing, .. first]));

        // A second extension continues after the first, deterministically again.
        var extended = existing.Concat(first).ToList();
        var third = BlockRandomizer.Extend(trial.Arms, strata, [2, 4], 42, extended, "SEX=M", 6);
        Assert.Equal(third, BlockRandomizer.Extend(trial.Arms, strata, [2, 4], 42, extended, "SEX=M", 6));
        Assert.Equal(before.Count + first.Count + 1, third[0].Sequence);
        Assert.NotEqual(Checksum(42, [2, 4], extended), Checksum(42, [2, 4], [.. extended, .. third]));
    }

    [Fact]
    public void Extend_WithOneStratum_EqualsGeneratingTheLongerListInOneGo()
    {
        var trial = TrialWith(OneToOne);
        var strata = Stratum.AllOf(trial);
        var initial = Generate(trial, [2, 4], 8, 99);
        var extended = initial.Concat(BlockRandomizer.Extend(trial.Arms, strata, [2, 4], 99, initial, Stratum.None, 8)).ToList();
        var inOneGo = Generate(trial, [2, 4], 40, 99);

        // The same stream of blocks and kits: the extension is a prefix of the longer list, field for field.
        Assert.True(extended.Count >= 16);
        Assert.Equal(inOneGo.Take(extended.Count), extended);
    }

    [Fact]
    public void Extend_OfOneStratumAmongSeveral_TakesTheNextBlocksOfThatStratumsStream()
    {
        var trial = TrialWith(TwoToOne, Sex);
        var strata = Stratum.AllOf(trial);
        var initial = Generate(trial, [3, 6], 9, 1234);
        var added = BlockRandomizer.Extend(trial.Arms, strata, [3, 6], 1234, initial, "SEX=F", 12);
        var inOneGo = Generate(trial, [3, 6], 60, 1234).Where(s => s.StratumKey == "SEX=F").ToList();

        // Kits are drawn from one list-wide stream, so only the arm sequence and numbering are compared here.
        var stratumF = initial.Where(s => s.StratumKey == "SEX=F").Concat(added)
            .Select(s => (s.Sequence, s.BlockNumber, s.BlockSize, s.RandomizationNumber, s.ArmCode)).ToList();
        Assert.Equal(inOneGo.Take(stratumF.Count).Select(s => (s.Sequence, s.BlockNumber, s.BlockSize, s.RandomizationNumber, s.ArmCode)), stratumF);
    }

    [Theory]
    [InlineData(2, new[] { 2, 3 })]
    [InlineData(2, new[] { 4 })]
    [InlineData(1, new[] { 2, 5 })]
    [InlineData(1, new[] { 0 })]
    [InlineData(1, new int[0])]
    public void Generate_WithBlockSizeNotAMultipleOfTheRatioSum_ThrowsBlockSizeInvalid(int activeRatio, int[] blockSizes)
    {
        var trial = TrialWith([new ArmSpec("ACT", "Active", activeRatio), new ArmSpec("PBO", "Placebo", 1)]);

        var error = Assert.Throws<RuleViolationException>(() => Generate(trial, blockSizes, 10, 1));
        Assert.Equal("BlockSizeInvalid", error.Rule);
        var extendError = Assert.Throws<RuleViolationException>(() =>
            BlockRandomizer.Extend(trial.Arms, Stratum.AllOf(trial), blockSizes, 1, [], Stratum.None, 10));
        Assert.Equal("BlockSizeInvalid", extendError.Rule);
    }

    [Fact]
    public void GroupKey_ForASeed_IsDeterministicAndMapsGroupsOntoDistinctArms()
    {
        var trial = TrialWith(OneToOne);

        var keys = Enumerable.Range(0, 64).Select(seed => BlockRandomizer.GroupKey(trial.Arms, seed)).ToList();

        Assert.All(keys, key =>
        {
            Assert.Equal(["Group A", "Group B"], key.Keys.Order());
            Assert.Equal(["ACT", "PBO"], key.Values.Order());
        });
        Assert.Equal(keys[5], BlockRandomizer.GroupKey(TrialWith(OneToOne).Arms, 5));

        // Drawn from the seed: both assignments occur.
        Assert.Contains(keys, k => k["Group A"] == "ACT");
        Assert.Contains(keys, k => k["Group A"] == "PBO");
    }

    [Fact]
    public void Checksum_ForAFixedSeedAndParameters_MatchesThePinnedValue()
    {
        // Pinned: a change to the random generator, the block or kit drawing, the numbering or the canonical text
        // changes this value. Lists already made must stay reproducible, so such a change needs a new algorithm version.
        var slots = Generate(TrialWith(OneToOne, Sex), [2, 4], 12, PinnedSeed);

        Assert.Equal("permuted-blocks-random-sizes/v1", BlockRandomizer.Algorithm);
        Assert.Equal(PinnedChecksum, Checksum(PinnedSeed, [2, 4], slots));
        Assert.Equal(
            "ACT,PBO,ACT,PBO,PBO,ACT,ACT,PBO,ACT,ACT,PBO,PBO",
            string.Join(',', slots.Where(s => s.StratumKey == "SEX=F").Select(s => s.ArmCode)));
        Assert.Equal("K363372", slots[0].KitNumber);
        Assert.Equal(PinnedGroupA, BlockRandomizer.GroupKey(TrialWith(OneToOne).Arms, PinnedSeed)["Group A"]);
    }

    [Fact]
    public void Checksum_WhenOneArmChanges_ChangesAndIgnoresInputOrder()
    {
        var slots = Generate(TrialWith(OneToOne, Sex), [2, 4], 12, 8).ToList();
        var checksum = Checksum(8, [2, 4], slots);

        var tampered = slots.ToList();
        tampered[3] = tampered[3] with { ArmCode = tampered[3].ArmCode == "ACT" ? "PBO" : "ACT" };
        Assert.NotEqual(checksum, Checksum(8, [2, 4], tampered));

        var shuffled = slots.AsEnumerable().Reverse().ToList();
        Assert.Equal(checksum, Checksum(8, [2, 4], shuffled));
        Assert.NotEqual(checksum, Checksum(9, [2, 4], slots));
        Assert.NotEqual(checksum, Checksum(8, [2, 4, 6], slots));
    }

    [Fact]
    public void NewSeed_WhenDrawn_IsNonNegativeAndVaries()
    {
        var seeds = Enumerable.Range(0, 50).Select(_ => BlockRandomizer.NewSeed()).ToList();

        Assert.All(seeds, seed => Assert.True(seed >= 0));
        Assert.Equal(50, seeds.Distinct().Count());
        Assert.Contains(seeds, seed => seed > int.MaxValue);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(1000)]
    [InlineData(900000)]
    [InlineData(int.MaxValue)]
    public void SeededRandom_NextInt_NeverReturnsOutOfRange(int bound)
    {
        var random = new SeededRandom(12345, "test");
        var seen = new HashSet<int>();
        for (var i = 0; i < 20000; i++)
        {
            var value = random.NextInt(bound);
            Assert.InRange(value, 0, bound - 1);
            seen.Add(value);
        }

        if (bound <= 7)
        {
            Assert.Equal(bound, seen.Count);
        }
        else
        {
            Assert.True(seen.Count > 100);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void SeededRandom_NextInt_WithNonPositiveBound_Throws(int bound) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SeededRandom(1, "test").NextInt(bound));

    [Fact]
    public void SeededRandom_WithSameSeedAndStream_RepeatsAndOtherStreamsDiffer()
    {
        var first = new SeededRandom(77, "blocks:SEX=F");
        var second = new SeededRandom(77, "blocks:SEX=F");
        var otherStream = new SeededRandom(77, "blocks:SEX=M");
        var otherSeed = new SeededRandom(78, "blocks:SEX=F");

        var a = Enumerable.Range(0, 100).Select(_ => first.NextUInt64()).ToList();
        Assert.Equal(a, Enumerable.Range(0, 100).Select(_ => second.NextUInt64()));
        Assert.NotEqual(a, Enumerable.Range(0, 100).Select(_ => otherStream.NextUInt64()));
        Assert.NotEqual(a, Enumerable.Range(0, 100).Select(_ => otherSeed.NextUInt64()));
    }

    [Fact]
    public void SeededRandom_Shuffle_KeepsTheItemsAndIsRoughlyUniform()
    {
        var random = new SeededRandom(3, "shuffle");
        var firstPositions = new int[4];
        for (var i = 0; i < 4000; i++)
        {
            var items = new List<int> { 0, 1, 2, 3 };
            random.Shuffle(items);
            Assert.Equal([0, 1, 2, 3], items.Order());
            firstPositions[items[0]]++;
        }

        Assert.All(firstPositions, count => Assert.InRange(count, 850, 1150));
    }

    [Fact]
    public void Stratum_AllOf_GivesTheCartesianProductInFactorOrder()
    {
        var site = new FactorSpec("REGION", "Region", ["N", "S", "E"]);

        var strata = Stratum.AllOf(TrialWith(OneToOne, Sex, Age, site));

        Assert.Equal(12, strata.Count);
        Assert.Equal(12, strata.Distinct().Count());
        Assert.Equal("SEX=F|AGE=Y|REGION=N", strata[0]);
        Assert.Equal("SEX=F|AGE=Y|REGION=S", strata[1]);
        Assert.Equal("SEX=M|AGE=O|REGION=E", strata[^1]);
        Assert.All(strata, s => Assert.Matches(new Regex("^SEX=[FM]\\|AGE=[YO]\\|REGION=[NSE]$"), s));
        Assert.Equal(["SEX=F", "SEX=M"], Stratum.AllOf(TrialWith(OneToOne, Sex)));
        Assert.Equal([Stratum.None], Stratum.AllOf(TrialWith(OneToOne)));
    }

    [Fact]
    public void Stratum_KeyFor_IsOneOfAllOfAndRejectsUnknownLevels()
    {
        var trial = TrialWith(OneToOne, Sex, Age);

        var key = Stratum.KeyFor(trial, new Dictionary<string, string> { ["AGE"] = "O", ["SEX"] = "M" });
        Assert.Equal("SEX=M|AGE=O", key);
        Assert.Contains(key, Stratum.AllOf(trial));

        var error = Assert.Throws<RuleViolationException>(() => Stratum.KeyFor(trial, new Dictionary<string, string> { ["SEX"] = "X", ["AGE"] = "O" }));
        Assert.Equal("StratumInvalid", error.Rule);
    }
}
