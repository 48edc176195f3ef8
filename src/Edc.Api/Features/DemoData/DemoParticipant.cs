using Edc.Domain.Randomization;

namespace Edc.Api.Features.DemoData;

/// <summary>
/// One demo participant as planned before the first is registered: their slot of the list, Day 0, how far their data
/// are entered, their withdrawal if any, their MRSS total at Day 0 and at the last MRSS visit, and how many adverse
/// events they have (serious ones included).
/// </summary>
internal sealed record DemoParticipant(
    int Index, RandomizationSlot Slot, DateOnly DayZero, DateOnly EnteredUntil, DateOnly? WithdrawsOn, int Baseline, int Final, int AdverseEvents);
