namespace Edc.Api.Features.Reviews;

/// <summary>One field of a form's data changed, as the audit trail has it: old and new value, who, when and why.</summary>
public sealed record FormChange(DateTimeOffset OccurredAt, string? ChangedBy, string? Field, string? OldValue, string? NewValue, string? Reason);
