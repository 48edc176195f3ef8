namespace Edc.Api.Features.SafetySummaries;

public sealed record EventCounts(string Column, int Events, int Serious, int Related, int Susars, int Fatal) : IColumnRow;
