namespace Edc.Api.Features.SafetySummaries;

public sealed record MrssVisitRow(string VisitCode, string VisitName, int Day, IReadOnlyList<MrssCell> Counts);
