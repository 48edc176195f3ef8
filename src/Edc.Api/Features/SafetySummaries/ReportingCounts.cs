namespace Edc.Api.Features.SafetySummaries;

public sealed record ReportingCounts(string Column, ReportingClockCounts Sponsor, ReportingClockCounts Regulator);
