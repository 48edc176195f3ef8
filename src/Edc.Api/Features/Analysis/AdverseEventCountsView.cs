namespace Edc.Api.Features.Analysis;

/// <summary>A group's adverse events, over every randomized participant of it: events, and participants with at least one; the same for serious ones.</summary>
public sealed record AdverseEventCountsView(int Events, int Participants, int SeriousEvents, int ParticipantsWithSerious);
