namespace Edc.Api.Features.SafetySummaries;

public sealed record ReportingClockCounts(int Required, int OnTime, int Late, int Overdue, int Pending, double? MedianHoursToReport);
