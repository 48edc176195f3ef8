using System.Text.Json;
using Edc.Domain.Safety;

namespace Edc.Api.Features.SafetySummaries;

/// <summary>How a summary is shown: by masked group (open, the default) or by real arm (closed, if the gate allows).</summary>
public enum SummaryView
{
    Open,
    Closed,
}

/// <summary>A summary in the list: when its data were cut off, who or which job generated it, and its content's hash.</summary>
public sealed record SafetySummaryInfo(
    Guid Id, Guid TrialId, DateTimeOffset DataCutoff, Guid? GeneratedBy, string? GeneratedByJob, string? Period, string ContentSha256)
{
    public static SafetySummaryInfo From(SafetySummary s) =>
        new(s.Id, s.TrialId, s.DataCutoff, s.GeneratedBy, s.GeneratedByJob, s.PeriodKey, s.ContentSha256);
}

/// <summary>Which arm a masked group stands for: in the closed view only.</summary>
public sealed record UnblindedColumn(string Column, string ArmCode, string ArmName);

/// <summary>
/// One summary: its content exactly as stored (masked group labels only) and, in the closed view, which arm each
/// group stands for.
/// </summary>
public sealed record SafetySummaryView(
    Guid Id,
    Guid TrialId,
    DateTimeOffset DataCutoff,
    Guid? GeneratedBy,
    string? GeneratedByJob,
    string? Period,
    string ContentSha256,
    string View,
    JsonElement Content,
    IReadOnlyList<UnblindedColumn>? Unblinded);

/// <summary>The stored snapshot, read back for the report. Column "Pooled" first, then each masked group.</summary>
public sealed record SummaryContent(
    int SchemaVersion,
    IReadOnlyList<string> Columns,
    ScreeningCounts Screening,
    IReadOnlyList<ParticipantCounts> Participants,
    IReadOnlyList<EventCounts> AdverseEvents,
    IReadOnlyList<ReportingCounts> SeriousEventReporting,
    IReadOnlyList<TermRow> AdverseEventsByTerm,
    IReadOnlyList<GradeRow> MaximumGrade,
    IReadOnlyList<MrssVisitRow> MrssByVisit,
    IReadOnlyList<SaeDay> SeriousEventTimeline)
{
    public const string Pooled = "Pooled";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static SummaryContent Parse(string json) => JsonSerializer.Deserialize<SummaryContent>(json, Json)!;
}

public sealed record ScreeningCounts(
    int Registered, int ScreenFailed, int Enrolled, int Randomized, int AwaitingRandomization, int WithdrawnBeforeRandomization,
    int AdverseEventsBeforeRandomization);

/// <summary>A row of figures for one column (Pooled or a masked group).</summary>
public interface IColumnRow
{
    string Column { get; }
}

public sealed record ParticipantCounts(
    string Column, int Randomized, int Withdrawn, int Completed, int Deaths, int WithdrawnDueToAdverseEvent, int InfusionsGiven,
    int WithAdverseEvent, int WithSeriousAdverseEvent) : IColumnRow;

public sealed record EventCounts(string Column, int Events, int Serious, int Related, int Susars, int Fatal) : IColumnRow;

public sealed record ReportingClockCounts(int Required, int OnTime, int Late, int Overdue, int Pending, double? MedianHoursToReport);

public sealed record ReportingCounts(string Column, ReportingClockCounts Sponsor, ReportingClockCounts Regulator);

public sealed record TermCell(string Column, int Events, int Participants);

public sealed record TermRow(string Term, IReadOnlyList<TermCell> Counts);

public sealed record GradeCell(string Column, int Participants);

public sealed record GradeRow(int Grade, IReadOnlyList<GradeCell> Counts);

public sealed record MrssCell(string Column, int N, double? Q1, double? Median, double? Q3);

public sealed record MrssVisitRow(string VisitCode, string VisitName, int Day, IReadOnlyList<MrssCell> Counts);

public sealed record SaeDay(string Column, DateOnly OnsetDate, int Events, int Fatal);
