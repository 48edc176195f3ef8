using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Edc.Infrastructure.Persistence.Migrations;

/// <summary>
/// Data safety board summaries: immutable snapshots (UPDATE, DELETE and TRUNCATE refused by the database, with the
/// function the adverse event versions use), at most one per trial and reporting period; and the trial indexes on
/// MRSS assessments and infusions that let a summary read one trial's rows without scanning every trial's.
/// </summary>
[DbContext(typeof(EdcDbContext))]
[Migration("20261121130000_SafetySummaries")]
public sealed class SafetySummaries : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(Schema);

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""
            DROP TABLE safety_summaries;
            DROP INDEX ix_mrss_assessments_trial_id, ix_infusions_trial_id;
            """);

    private const string Schema = """
        CREATE TABLE safety_summaries (
            id uuid NOT NULL,
            trial_id uuid NOT NULL,
            data_cutoff timestamp with time zone NOT NULL,
            generated_by uuid,
            generated_by_job character varying(200),
            period_key character varying(100),
            content jsonb NOT NULL,
            content_sha256 character varying(64) NOT NULL,
            CONSTRAINT pk_safety_summaries PRIMARY KEY (id),
            CONSTRAINT fk_safety_summaries_trials_trial_id FOREIGN KEY (trial_id) REFERENCES trials (id) ON DELETE RESTRICT
        );

        CREATE INDEX ix_safety_summaries_trial_id_data_cutoff ON safety_summaries (trial_id, data_cutoff);
        CREATE UNIQUE INDEX ix_safety_summaries_trial_id_period_key ON safety_summaries (trial_id, period_key) WHERE period_key IS NOT NULL;
        CREATE INDEX ix_mrss_assessments_trial_id ON mrss_assessments (trial_id);
        CREATE INDEX ix_infusions_trial_id ON infusions (trial_id);

        CREATE TRIGGER safety_summaries_immutable BEFORE UPDATE OR DELETE ON safety_summaries
            FOR EACH ROW EXECUTE FUNCTION edc_refuse_version_change();
        CREATE TRIGGER safety_summaries_no_truncate BEFORE TRUNCATE ON safety_summaries
            FOR EACH STATEMENT EXECUTE FUNCTION edc_refuse_version_change();
        """;
}
