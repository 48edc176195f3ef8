namespace Edc.Api.Features.SafetySummaries;

public sealed record TermCell(string Column, int Events, int Participants);
