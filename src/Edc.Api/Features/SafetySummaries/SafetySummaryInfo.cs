using Edc.Domain.Safety;

namespace Edc.Api.Features.SafetySummaries;

/// <summary>A summary in the list: when its data were cut off, who or which job generated it, and its content's hash.</summary>
public sealed record SafetySummaryInfo(
    Guid Id, Guid TrialId, DateTimeOffset DataCutoff, Guid? GeneratedBy, string? GeneratedByJob, string? Period, string ContentSha256)
{
    public static SafetySummaryInfo From(SafetySummary s) =>
        new(s.Id, s.TrialId, s.DataCutoff, s.GeneratedBy, s.GeneratedByJob, s.PeriodKey, s.ContentSha256);
}
