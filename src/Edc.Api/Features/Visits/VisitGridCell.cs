namespace Edc.Api.Features.Visits;

public sealed record VisitGridCell(string VisitCode, VisitCellStatus Status, DateOnly? ActualDate, DateOnly? WindowStart, DateOnly? WindowEnd, FormProgress Forms);
