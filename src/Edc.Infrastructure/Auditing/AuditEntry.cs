namespace Edc.Infrastructure.Auditing;

/// <summary>
/// One row of the append-only audit trail. The database assigns <see cref="Sequence"/>, <see cref="OccurredAt"/>
/// (server UTC) and the hash chain in a trigger, under a lock, so that rows from concurrent transactions and
/// API instances form one gap-free chain; UPDATE, DELETE and TRUNCATE are refused by the database itself.
/// </summary>
public sealed class AuditEntry
{
    private AuditEntry()
    {
    }

    public long Sequence { get; private set; }

    public DateTimeOffset OccurredAt { get; private set; }

    public Guid? UserId { get; private set; }

    public string? UserEmail { get; private set; }

    public string UserRoles { get; private set; } = string.Empty;

    /// <summary>Insert, Update, Delete for data; Login, LoginFailed, Logout, Read and the like for events.</summary>
    public string Action { get; private set; } = string.Empty;

    public string EntityType { get; private set; } = string.Empty;

    public string EntityId { get; private set; } = string.Empty;

    public Guid? TrialId { get; private set; }

    public Guid? SiteId { get; private set; }

    public string? Field { get; private set; }

    public string? OldValue { get; private set; }

    public string? NewValue { get; private set; }

    public string? Reason { get; private set; }

    public string PreviousHash { get; private set; } = string.Empty;

    public string Hash { get; private set; } = string.Empty;

    public static AuditEntry Create(
        AuditActor actor,
        string action,
        string entityType,
        string entityId,
        Guid? trialId = null,
        Guid? siteId = null,
        string? field = null,
        string? oldValue = null,
        string? newValue = null,
        string? reason = null) =>
        new()
        {
            UserId = actor.UserId,
            UserEmail = actor.Email,
            UserRoles = actor.Roles,
            Action = action,
            EntityType = entityType,
            EntityId = entityId,
            TrialId = trialId,
            SiteId = siteId,
            Field = field,
            OldValue = oldValue,
            NewValue = newValue,
            Reason = reason,
        };
}
