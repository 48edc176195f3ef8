namespace Edc.Api.Features.TaskSummary;

/// <summary>A site's tasks: the sum over its participants, and the participants with any.</summary>
public sealed record SiteTasks(Guid SiteId, string SiteCode, string SiteName, TaskCounts Tasks, IReadOnlyList<ParticipantTasks> Participants);
