using Npgsql;
using NpgsqlTypes;

namespace Edc.Infrastructure.Auditing;

/// <summary>Audit rows written as one multi-row INSERT rather than one statement each.</summary>
internal static class AuditRows
{
    // Sequence, time and hashes are the chain trigger's to set, row by row in this order.
    public const string InsertSql = """
        INSERT INTO audit_entries (user_id, user_email, user_roles, action, entity_type, entity_id, trial_id, site_id,
                                   field, old_value, new_value, reason)
        SELECT user_id, user_email, user_roles, action, entity_type, entity_id, trial_id, site_id,
               field, old_value, new_value, reason
        FROM unnest(@user_id, @user_email, @user_roles, @action, @entity_type, @entity_id, @trial_id, @site_id,
                    @field, @old_value, @new_value, @reason)
             WITH ORDINALITY AS r(user_id, user_email, user_roles, action, entity_type, entity_id, trial_id, site_id,
                                  field, old_value, new_value, reason, n)
        ORDER BY n
        """;

    public static NpgsqlParameter[] Parameters(IReadOnlyList<AuditEntry> rows) =>
    [
        Uuids("user_id", rows.Select(r => r.UserId)),
        Texts("user_email", rows.Select(r => r.UserEmail)),
        Texts("user_roles", rows.Select(r => r.UserRoles)),
        Texts("action", rows.Select(r => r.Action)),
        Texts("entity_type", rows.Select(r => r.EntityType)),
        Texts("entity_id", rows.Select(r => r.EntityId)),
        Uuids("trial_id", rows.Select(r => r.TrialId)),
        Uuids("site_id", rows.Select(r => r.SiteId)),
        Texts("field", rows.Select(r => r.Field)),
        Texts("old_value", rows.Select(r => r.OldValue)),
        Texts("new_value", rows.Select(r => r.NewValue)),
        Texts("reason", rows.Select(r => r.Reason)),
    ];

    private static NpgsqlParameter Texts(string name, IEnumerable<string?> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.ToArray() };

    private static NpgsqlParameter Uuids(string name, IEnumerable<Guid?> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = values.ToArray() };
}
