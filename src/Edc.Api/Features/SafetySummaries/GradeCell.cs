namespace Edc.Api.Features.SafetySummaries;

public sealed record GradeCell(string Column, int Participants);
