namespace Edc.Api.Features.SafetySummaries;

public sealed record SaeDay(string Column, DateOnly OnsetDate, int Events, int Fatal);
