using System.Text.Json;

namespace Edc.Api.Features.SafetySummaries;

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
