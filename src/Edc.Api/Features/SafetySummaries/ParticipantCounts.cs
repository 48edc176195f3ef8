namespace Edc.Api.Features.SafetySummaries;

public sealed record ParticipantCounts(
    string Column, int Randomized, int Withdrawn, int Completed, int Deaths, int WithdrawnDueToAdverseEvent, int InfusionsGiven,
    int WithAdverseEvent, int WithSeriousAdverseEvent) : IColumnRow;
