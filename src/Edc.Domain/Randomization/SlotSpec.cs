namespace Edc.Domain.Randomization;

/// <summary>One line of a randomization list, before it is stored.</summary>
public sealed record SlotSpec(string StratumKey, int Sequence, int BlockNumber, int BlockSize, string RandomizationNumber, string KitNumber, string ArmCode);
