namespace Edc.Api.Features.Audit;

public sealed record AuditEntryView(
    long Sequence,
    DateTimeOffset OccurredAt,
    Guid? UserId,
    string? UserEmail,
    string Roles,
    string Action,
    string EntityType,
    string EntityId,
    Guid? TrialId,
    Guid? SiteId,
    string? Field,
    string? OldValue,
    string? NewValue,
    string? Reason);
