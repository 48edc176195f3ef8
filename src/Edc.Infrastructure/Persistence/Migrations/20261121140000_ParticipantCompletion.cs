using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Edc.Infrastructure.Persistence.Migrations;

/// <summary>
/// The day a participant completed the trial (the date of the schedule's last visit): what happened on or before it
/// can still be entered afterwards. Participants completed before this migration get their last visit's date.
/// </summary>
[DbContext(typeof(EdcDbContext))]
[Migration("20261121140000_ParticipantCompletion")]
public sealed class ParticipantCompletion : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""
            ALTER TABLE participants ADD COLUMN completed_on date;
            UPDATE participants p SET completed_on = (
                SELECT v.actual_date FROM visits v WHERE v.participant_id = p.id AND v.day IS NOT NULL ORDER BY v.day DESC LIMIT 1)
            WHERE p.status = 'Completed';
            """);

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("ALTER TABLE participants DROP COLUMN completed_on;");
}
