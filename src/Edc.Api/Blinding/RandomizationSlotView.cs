namespace Edc.Api.Blinding;

public sealed record RandomizationSlotView(
    string Stratum, int Sequence, int BlockNumber, int BlockSize, string RandomizationNumber, string KitNumber, string ArmCode,
    Guid? ParticipantId, DateTimeOffset? AllocatedAt);
