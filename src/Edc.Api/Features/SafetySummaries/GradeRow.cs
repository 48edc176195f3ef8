namespace Edc.Api.Features.SafetySummaries;

public sealed record GradeRow(int Grade, IReadOnlyList<GradeCell> Counts);
