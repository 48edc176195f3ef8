using Edc.Domain.Common;

namespace Edc.Domain.Safety;

/// <summary>
/// A data safety board summary: an immutable snapshot of a trial's safety data as it stood at <see cref="DataCutoff"/>,
/// pooled and by masked group ("Group A", "Group B"). The content is computed in the database, keyed by masked group
/// label only; which arm a label stands for is never part of it. The database refuses any UPDATE or DELETE of a row.
/// </summary>
public sealed class SafetySummary : ITrialScoped
{
    public const int MaxPeriodLength = 100;
    public const int MaxJobNameLength = 200;

    private SafetySummary()
    {
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    /// <summary>The generating transaction's timestamp: the snapshot holds exactly the data committed before it was taken.</summary>
    public DateTimeOffset DataCutoff { get; private set; }

    /// <summary>The user who asked for it, or null when a job generated it.</summary>
    public Guid? GeneratedBy { get; private set; }

    /// <summary>The job that generated it (a scheduled run), or null for one generated on demand.</summary>
    public string? GeneratedByJob { get; private set; }

    /// <summary>The reporting period a job generated it for (e.g. "2026-11"); at most one summary per trial and period.</summary>
    public string? PeriodKey { get; private set; }

    /// <summary>
    /// The snapshot (JSON). Kept out of the audit trail's text, which records <see cref="ContentSha256"/> instead: the
    /// by-group figures are for the board, not for every reader of the trail.
    /// </summary>
    [Sealed]
    public string Content { get; private set; } = "{}";

    /// <summary>SHA-256 (hex) of <see cref="Content"/> as stored, so the audit trail pins the snapshot's exact content.</summary>
    public string ContentSha256 { get; private set; } = string.Empty;

    public static SafetySummary Generate(
        Guid trialId, DateTimeOffset dataCutoff, string content, string contentSha256, Guid? generatedBy, string? generatedByJob, string? periodKey)
    {
        if (generatedBy is null == generatedByJob is null)
        {
            throw new ArgumentException("A summary is generated either by a user or by a job.");
        }

        return new SafetySummary
        {
            Id = Guid.NewGuid(),
            TrialId = trialId,
            DataCutoff = dataCutoff,
            GeneratedBy = generatedBy,
            GeneratedByJob = generatedByJob,
            PeriodKey = periodKey,
            Content = content,
            ContentSha256 = contentSha256,
        };
    }
}
