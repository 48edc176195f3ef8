using Edc.Infrastructure.Security;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Edc.Infrastructure.Persistence.Migrations;

/// <summary>
/// Every change to a session, a user, or a user's roles or sites is announced on <see cref="SessionCache.Channel"/> with
/// the user's id, at its commit, whatever wrote it (the API, a job, an operator's SQL), so every instance forgets its
/// copies of that user's sessions. Announcements of one transaction with the same id arrive once.
/// </summary>
public partial class SessionChangesAreAnnounced : Migration
{
    // Each table with the column naming the user, and the changes that can alter what a session check answers.
    private static readonly (string Table, string UserColumn, string Events)[] Tables =
    [
        ("auth_sessions", "user_id", "UPDATE OR DELETE"),
        ("users", "id", "UPDATE OR DELETE"),
        ("user_roles", "user_id", "INSERT OR UPDATE OR DELETE"),
        ("user_sites", "user_id", "INSERT OR UPDATE OR DELETE"),
    ];

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql($"""
            CREATE FUNCTION announce_session_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('{SessionCache.Channel}',
                    (CASE TG_OP WHEN 'DELETE' THEN to_jsonb(OLD) ELSE to_jsonb(NEW) END) ->> TG_ARGV[0]);
                IF TG_OP = 'UPDATE' THEN
                    -- A row moved to another user (not done by Edc, but possible in SQL) concerns the first one too.
                    PERFORM pg_notify('{SessionCache.Channel}', to_jsonb(OLD) ->> TG_ARGV[0]);
                END IF;
                RETURN NULL;
            END $$;
            """);
        foreach (var (table, userColumn, events) in Tables)
        {
            migrationBuilder.Sql($"""
                CREATE TRIGGER {table}_announce_session_change AFTER {events} ON {table}
                FOR EACH ROW EXECUTE FUNCTION announce_session_change('{userColumn}');
                """);
        }
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        foreach (var (table, _, _) in Tables)
        {
            migrationBuilder.Sql($"DROP TRIGGER {table}_announce_session_change ON {table};");
        }

        migrationBuilder.Sql("DROP FUNCTION announce_session_change();");
    }
}
