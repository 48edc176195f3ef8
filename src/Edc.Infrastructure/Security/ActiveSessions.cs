using System.Data;
using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Edc.Infrastructure.Security;

/// <summary>
/// The check every authenticated request makes: one statement, read straight from the row (it runs once per request,
/// so it stays as lean as the database round trip it needs).
/// </summary>
public static class ActiveSessions
{
    private const string Sql = """
        SELECT u.email, a.expires_at,
               ARRAY(SELECT r.role_id FROM user_roles r WHERE r.user_id = u.id),
               ARRAY(SELECT s.site_id FROM user_sites s WHERE s.user_id = u.id)
        FROM auth_sessions a JOIN users u ON u.id = a.user_id
        WHERE a.id = $1 AND a.user_id = $2 AND a.revoked_at IS NULL AND a.expires_at > $3 AND u.is_active
        """;

    /// <summary>The session when it is live (not revoked, not expired) and its user active; null otherwise.</summary>
    public static async Task<ActiveSession?> FindAsync(EdcDbContext db, Guid sessionId, Guid userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(Sql, (NpgsqlConnection)db.Database.GetDbConnection())
            {
                Parameters = { new() { Value = sessionId }, new() { Value = userId }, new() { Value = now } },
            };
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SingleRow, cancellationToken);
            return await reader.ReadAsync(cancellationToken)
                ? new ActiveSession(
                    userId, sessionId, await reader.IsDBNullAsync(0, cancellationToken) ? null : reader.GetString(0),
                    reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<Guid[]>(2), reader.GetFieldValue<Guid[]>(3))
                : null;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
