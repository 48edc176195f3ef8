using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace Edc.Infrastructure.Persistence.Migrations;

/// <summary>
/// Data management: queries and their threads, each form's verification and freeze, a participant's casebook lock, and
/// electronic signatures. Queries, their messages and signatures are never deleted, and a message never changes.
/// </summary>
public partial class DataManagement : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<DateTimeOffset>(
            name: "locked_at",
            table: "participants",
            type: "timestamp with time zone",
            nullable: true);

        migrationBuilder.CreateTable(
            name: "data_queries",
            columns: table => new
            {
                id = table.Column<Guid>(type: "uuid", nullable: false),
                trial_id = table.Column<Guid>(type: "uuid", nullable: false),
                site_id = table.Column<Guid>(type: "uuid", nullable: false),
                participant_id = table.Column<Guid>(type: "uuid", nullable: false),
                visit_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                form_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                item_code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                log_entry_id = table.Column<Guid>(type: "uuid", nullable: true),
                status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                raised_by = table.Column<Guid>(type: "uuid", nullable: true),
                raised_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                automatic = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                version = table.Column<int>(type: "integer", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_data_queries", x => x.id);
                table.ForeignKey(
                    name: "fk_data_queries_participants_participant_id",
                    column: x => x.participant_id,
                    principalTable: "participants",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Restrict);
            });

        migrationBuilder.CreateTable(
            name: "form_reviews",
            columns: table => new
            {
                id = table.Column<Guid>(type: "uuid", nullable: false),
                trial_id = table.Column<Guid>(type: "uuid", nullable: false),
                site_id = table.Column<Guid>(type: "uuid", nullable: false),
                participant_id = table.Column<Guid>(type: "uuid", nullable: false),
                visit_id = table.Column<Guid>(type: "uuid", nullable: false),
                form_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                verified_by = table.Column<Guid>(type: "uuid", nullable: true),
                verified_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                frozen_by = table.Column<Guid>(type: "uuid", nullable: true),
                frozen_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                version = table.Column<int>(type: "integer", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_form_reviews", x => x.id);
                table.ForeignKey(
                    name: "fk_form_reviews_visits_visit_id",
                    column: x => x.visit_id,
                    principalTable: "visits",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Restrict);
            });

        migrationBuilder.CreateTable(
            name: "signatures",
            columns: table => new
            {
                id = table.Column<Guid>(type: "uuid", nullable: false),
                trial_id = table.Column<Guid>(type: "uuid", nullable: false),
                site_id = table.Column<Guid>(type: "uuid", nullable: false),
                participant_id = table.Column<Guid>(type: "uuid", nullable: false),
                scope = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                visit_id = table.Column<Guid>(type: "uuid", nullable: true),
                visit_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                meaning = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                signer_id = table.Column<Guid>(type: "uuid", nullable: false),
                signer_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                signed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                content_hash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                invalidated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                invalidated_by = table.Column<Guid>(type: "uuid", nullable: true),
                invalidation_reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_signatures", x => x.id);
                table.ForeignKey(
                    name: "fk_signatures_participants_participant_id",
                    column: x => x.participant_id,
                    principalTable: "participants",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Restrict);
            });

        migrationBuilder.CreateTable(
            name: "query_messages",
            columns: table => new
            {
                id = table.Column<Guid>(type: "uuid", nullable: false),
                query_id = table.Column<Guid>(type: "uuid", nullable: false),
                kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                text = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                author_id = table.Column<Guid>(type: "uuid", nullable: true),
                author_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                author_role = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_query_messages", x => x.id);
                table.ForeignKey(
                    name: "fk_query_messages_data_queries_query_id",
                    column: x => x.query_id,
                    principalTable: "data_queries",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Restrict);
            });

        migrationBuilder.InsertData(
            table: "roles",
            columns: new[] { "id", "concurrency_stamp", "name", "normalized_name" },
            values: new object[,]
            {
                { new Guid("10e1e397-12ad-68f7-889d-5abeb1768828"), "10e1e397-12ad-68f7-889d-5abeb1768828", "Monitor", "MONITOR" },
                { new Guid("6eb03b90-5945-c586-ba3d-88de116e8177"), "6eb03b90-5945-c586-ba3d-88de116e8177", "DataManager", "DATAMANAGER" }
            });

        migrationBuilder.CreateIndex(
            name: "ix_data_queries_participant_id_form_code",
            table: "data_queries",
            columns: new[] { "participant_id", "form_code" });

        migrationBuilder.CreateIndex(
            name: "ix_data_queries_trial_id_status_site_id",
            table: "data_queries",
            columns: new[] { "trial_id", "status", "site_id" });

        migrationBuilder.CreateIndex(
            name: "ix_form_reviews_participant_id",
            table: "form_reviews",
            column: "participant_id");

        migrationBuilder.CreateIndex(
            name: "ix_form_reviews_visit_id_form_code",
            table: "form_reviews",
            columns: new[] { "visit_id", "form_code" },
            unique: true);

        migrationBuilder.CreateIndex(
            name: "ix_query_messages_query_id_at",
            table: "query_messages",
            columns: new[] { "query_id", "at" });

        migrationBuilder.CreateIndex(
            name: "ix_signatures_participant_id",
            table: "signatures",
            column: "participant_id");

        migrationBuilder.Sql("""
            CREATE TRIGGER query_messages_append_only BEFORE UPDATE OR DELETE ON query_messages
                FOR EACH ROW EXECUTE FUNCTION edc_refuse_version_change();
            CREATE TRIGGER query_messages_no_truncate BEFORE TRUNCATE ON query_messages
                FOR EACH STATEMENT EXECUTE FUNCTION edc_refuse_version_change();
            CREATE TRIGGER data_queries_never_deleted BEFORE DELETE ON data_queries
                FOR EACH ROW EXECUTE FUNCTION edc_refuse_version_change();
            CREATE TRIGGER data_queries_no_truncate BEFORE TRUNCATE ON data_queries
                FOR EACH STATEMENT EXECUTE FUNCTION edc_refuse_version_change();
            CREATE TRIGGER signatures_never_deleted BEFORE DELETE ON signatures
                FOR EACH ROW EXECUTE FUNCTION edc_refuse_version_change();
            CREATE TRIGGER signatures_no_truncate BEFORE TRUNCATE ON signatures
                FOR EACH STATEMENT EXECUTE FUNCTION edc_refuse_version_change();
            """);
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(
            name: "form_reviews");

        migrationBuilder.DropTable(
            name: "query_messages");

        migrationBuilder.DropTable(
            name: "signatures");

        migrationBuilder.DropTable(
            name: "data_queries");

        migrationBuilder.DeleteData(
            table: "roles",
            keyColumn: "id",
            keyValue: new Guid("10e1e397-12ad-68f7-889d-5abeb1768828"));

        migrationBuilder.DeleteData(
            table: "roles",
            keyColumn: "id",
            keyValue: new Guid("6eb03b90-5945-c586-ba3d-88de116e8177"));

        migrationBuilder.DropColumn(
            name: "locked_at",
            table: "participants");
    }
}
