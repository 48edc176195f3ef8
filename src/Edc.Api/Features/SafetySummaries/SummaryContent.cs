using System.Text.Json;

namespace Edc.Api.Features.SafetySummaries;

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
