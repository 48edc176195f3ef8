namespace Edc.Api.Features.TaskSummary;

/// <summary>One participant's tasks; only participants with something left to do are listed.</summary>
public sealed record ParticipantTasks(Guid ParticipantId, string ScreeningNumber, TaskCounts Tasks);
