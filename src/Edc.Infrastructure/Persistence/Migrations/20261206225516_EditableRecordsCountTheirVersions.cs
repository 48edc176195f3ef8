using Microsoft.EntityFrameworkCore.Migrations;

namespace Edc.Infrastructure.Persistence.Migrations;

/// <summary>
/// Visits, MRSS assessments and infusions count their versions 1, 2, 3 in a column of their own instead of answering
/// PostgreSQL's transaction id (xmin) as their version. The tool scaffolded a rename of xmin, a system column that
/// cannot be renamed: the column is added instead. Rows already there start at 1, except visits of the schedule
/// already recorded: the schedule was their first version and its recording at least a second. Adverse events keep
/// counting in current_version, now their concurrency token (no change to the schema).
/// </summary>
public partial class EditableRecordsCountTheirVersions : Migration
{
    private static readonly string[] Tables = ["visits", "mrss_assessments", "infusions"];

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        foreach (var table in Tables)
        {
            migrationBuilder.AddColumn<int>(name: "version", table: table, type: "integer", nullable: false, defaultValue: 1);
        }

        migrationBuilder.Sql("UPDATE visits SET version = 2 WHERE status <> 'Scheduled' AND day IS NOT NULL;");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        foreach (var table in Tables)
        {
            migrationBuilder.DropColumn(name: "version", table: table);
        }
    }
}
