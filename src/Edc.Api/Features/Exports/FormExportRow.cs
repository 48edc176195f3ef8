using Edc.Domain.Forms;

namespace Edc.Api.Features.Exports;

/// <summary>
/// One row of a form's export: whose data, where (a visit, or a log entry), under which version of the form, and the
/// values by item code, typed as <see cref="FormValues.Read"/> gives them.
/// </summary>
internal sealed record FormExportRow(
    Guid ParticipantId,
    string SiteCode,
    string ScreeningNumber,
    string? VisitCode,
    DateOnly? VisitDate,
    Guid EntryId,
    DateTimeOffset? EnteredAt,
    bool Removed,
    string? RemovedReason,
    int FormVersion,
    FormStatus Status,
    IReadOnlyDictionary<string, object> Values);
