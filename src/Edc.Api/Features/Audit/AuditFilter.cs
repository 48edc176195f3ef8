namespace Edc.Api.Features.Audit;

public sealed record AuditFilter(string? EntityType, string? EntityId, Guid? UserId, DateTimeOffset? From, DateTimeOffset? To);
