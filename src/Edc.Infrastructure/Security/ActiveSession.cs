namespace Edc.Infrastructure.Security;

/// <summary>A live session of an active user, with the user's roles and sites as the database has them now.</summary>
public sealed record ActiveSession(Guid UserId, Guid SessionId, string? Email, DateTimeOffset ExpiresAt, Guid[] RoleIds, Guid[] SiteIds);
