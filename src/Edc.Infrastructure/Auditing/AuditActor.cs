namespace Edc.Infrastructure.Auditing;

/// <summary>Who an audit row names: the signed-in user, or the system for start-up and background work.</summary>
public sealed record AuditActor(Guid? UserId, string? Email, string Roles)
{
    public static readonly AuditActor System = new(null, "system", "System");
}
