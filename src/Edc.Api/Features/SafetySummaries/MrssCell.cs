namespace Edc.Api.Features.SafetySummaries;

public sealed record MrssCell(string Column, int N, double? Q1, double? Median, double? Q3);
