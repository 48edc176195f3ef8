namespace Edc.Api.Features.SafetySummaries;

public sealed record TermRow(string Term, IReadOnlyList<TermCell> Counts);
