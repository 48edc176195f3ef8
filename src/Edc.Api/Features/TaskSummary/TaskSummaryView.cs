namespace Edc.Api.Features.TaskSummary;

/// <summary>The task summary of a trial: every site the caller may see (or the one asked for), with its totals.</summary>
public sealed record TaskSummaryView(Guid TrialId, DateOnly Today, TaskCounts Tasks, IReadOnlyList<SiteTasks> Sites);
