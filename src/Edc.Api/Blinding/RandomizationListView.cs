namespace Edc.Api.Blinding;

public sealed record RandomizationListView(
    Guid Id, string Algorithm, string? Seed, IReadOnlyList<int> BlockSizes, int SlotsPerStratum, string Checksum, DateTimeOffset CreatedAt,
    IReadOnlyDictionary<string, string> GroupKey, IReadOnlyList<RandomizationSlotView> Slots);
