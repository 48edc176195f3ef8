using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Edc.Infrastructure.Persistence.Migrations;

/// <summary>
/// Forms defined as data: each visit definition lists the forms it collects, every version of a trial's forms is kept
/// (append-only), and each form's data at a visit, or log entry, is one row with its values as a JSON document.
/// </summary>
public partial class FormsDefinedAsData : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<List<string>>(
            name: "forms",
            table: "visit_definitions",
            type: "text[]",
            nullable: false,
            defaultValueSql: "'{}'");

        migrationBuilder.AddColumn<int>(
            name: "forms_revision",
            table: "trials",
            type: "integer",
            nullable: false,
            defaultValue: 0);

        migrationBuilder.CreateTable(
            name: "form_records",
            columns: table => new
            {
                id = table.Column<Guid>(type: "uuid", nullable: false),
                trial_id = table.Column<Guid>(type: "uuid", nullable: false),
                site_id = table.Column<Guid>(type: "uuid", nullable: false),
                participant_id = table.Column<Guid>(type: "uuid", nullable: false),
                visit_id = table.Column<Guid>(type: "uuid", nullable: true),
                form_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                form_version = table.Column<int>(type: "integer", nullable: false),
                values = table.Column<string>(type: "jsonb", nullable: false),
                status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                removed = table.Column<bool>(type: "boolean", nullable: false),
                removed_reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                entered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                version = table.Column<int>(type: "integer", nullable: false, defaultValue: 1)
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_form_records", x => x.id);
                table.ForeignKey(
                    name: "fk_form_records_participants_participant_id",
                    column: x => x.participant_id,
                    principalTable: "participants",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Restrict);
                table.ForeignKey(
                    name: "fk_form_records_visits_visit_id",
                    column: x => x.visit_id,
                    principalTable: "visits",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Restrict);
            });

        migrationBuilder.CreateTable(
            name: "trial_forms",
            columns: table => new
            {
                id = table.Column<Guid>(type: "uuid", nullable: false),
                trial_id = table.Column<Guid>(type: "uuid", nullable: false),
                ordinal = table.Column<int>(type: "integer", nullable: false),
                code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                version = table.Column<int>(type: "integer", nullable: false),
                name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                log = table.Column<bool>(type: "boolean", nullable: false),
                definition = table.Column<string>(type: "jsonb", nullable: false),
                defined_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_trial_forms", x => x.id);
                table.ForeignKey(
                    name: "fk_trial_forms_trials_trial_id",
                    column: x => x.trial_id,
                    principalTable: "trials",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Restrict);
            });

        migrationBuilder.CreateIndex(
            name: "ix_form_records_participant_id_form_code",
            table: "form_records",
            columns: new[] { "participant_id", "form_code" });

        migrationBuilder.CreateIndex(
            name: "ix_form_records_trial_id_form_code",
            table: "form_records",
            columns: new[] { "trial_id", "form_code" });

        migrationBuilder.CreateIndex(
            name: "ix_form_records_visit_id_form_code",
            table: "form_records",
            columns: new[] { "visit_id", "form_code" },
            unique: true,
            filter: "visit_id IS NOT NULL");

        migrationBuilder.CreateIndex(
            name: "ix_trial_forms_trial_id_code_version",
            table: "trial_forms",
            columns: new[] { "trial_id", "code", "version" },
            unique: true);

        migrationBuilder.CreateIndex(
            name: "ix_trial_forms_trial_id_ordinal",
            table: "trial_forms",
            columns: new[] { "trial_id", "ordinal" },
            unique: true);

        // Visits defined before forms existed list the built-in forms of their procedures, as new definitions do.
        migrationBuilder.Sql("""
            UPDATE visit_definitions SET forms = array_remove(ARRAY[
                CASE WHEN 'mrss' = ANY (SELECT lower(p) FROM unnest(procedures) p) THEN 'MRSS' END,
                CASE WHEN 'infusion' = ANY (SELECT lower(p) FROM unnest(procedures) p) THEN 'INFUSION' END], NULL);

            -- The defaults served the rows already there; new rows always name their values.
            ALTER TABLE visit_definitions ALTER COLUMN forms DROP DEFAULT;
            ALTER TABLE trials ALTER COLUMN forms_revision DROP DEFAULT;

            -- A form's version, once stored, is what its data were entered under: it never changes.
            CREATE TRIGGER trial_forms_append_only BEFORE UPDATE OR DELETE ON trial_forms
                FOR EACH ROW EXECUTE FUNCTION edc_refuse_version_change();
            CREATE TRIGGER trial_forms_no_truncate BEFORE TRUNCATE ON trial_forms
                FOR EACH STATEMENT EXECUTE FUNCTION edc_refuse_version_change();
            """);
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(
            name: "form_records");

        migrationBuilder.DropTable(
            name: "trial_forms");

        migrationBuilder.DropColumn(
            name: "forms",
            table: "visit_definitions");

        migrationBuilder.DropColumn(
            name: "forms_revision",
            table: "trials");
    }
}
