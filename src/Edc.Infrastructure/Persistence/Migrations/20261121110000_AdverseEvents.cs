using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Edc.Infrastructure.Persistence.Migrations;

/// <summary>
/// Adverse events (the current version's fields and the reporting clocks), their versions (append-only, refused
/// UPDATE and DELETE by the database itself) and the participant's recorded death.
/// </summary>
[DbContext(typeof(EdcDbContext))]
[Migration("20261121110000_AdverseEvents")]
public sealed class AdverseEvents : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(Schema);

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""
            DROP TABLE adverse_event_versions, adverse_events;
            DROP FUNCTION edc_refuse_version_change();
            ALTER TABLE participants DROP COLUMN died_on, DROP COLUMN death_adverse_event_id, DROP COLUMN status_before_death;
            """);

    private const string Schema = """
        ALTER TABLE participants
            ADD COLUMN died_on date,
            ADD COLUMN death_adverse_event_id uuid,
            ADD COLUMN status_before_death character varying(20);

        CREATE TABLE adverse_events (
            id uuid NOT NULL,
            trial_id uuid NOT NULL,
            site_id uuid NOT NULL,
            participant_id uuid NOT NULL,
            current_version integer NOT NULL,
            term character varying(200) NOT NULL,
            onset_date date NOT NULL,
            end_date date,
            ongoing boolean NOT NULL,
            grade integer NOT NULL,
            serious boolean NOT NULL,
            seriousness_criteria text[] NOT NULL,
            relatedness character varying(20) NOT NULL,
            expected boolean,
            action_taken character varying(30) NOT NULL,
            outcome character varying(30) NOT NULL,
            aware_at timestamp with time zone NOT NULL,
            susar boolean NOT NULL,
            sponsor_clock_started_at timestamp with time zone,
            sponsor_due_at timestamp with time zone,
            sponsor_report_sent_at timestamp with time zone,
            regulator_clock_started_at timestamp with time zone,
            regulator_due_at timestamp with time zone,
            regulator_report_sent_at timestamp with time zone,
            sponsor_overdue_notified_at timestamp with time zone,
            regulator_overdue_notified_at timestamp with time zone,
            created_at timestamp with time zone NOT NULL,
            updated_at timestamp with time zone NOT NULL,
            CONSTRAINT pk_adverse_events PRIMARY KEY (id),
            CONSTRAINT fk_adverse_events_participants_participant_id FOREIGN KEY (participant_id) REFERENCES participants (id) ON DELETE RESTRICT
        );

        CREATE TABLE adverse_event_versions (
            id uuid NOT NULL,
            adverse_event_id uuid NOT NULL,
            trial_id uuid NOT NULL,
            site_id uuid NOT NULL,
            number integer NOT NULL,
            report jsonb NOT NULL,
            reason character varying(2000),
            recorded_by uuid NOT NULL,
            recorded_at timestamp with time zone NOT NULL,
            CONSTRAINT pk_adverse_event_versions PRIMARY KEY (id),
            CONSTRAINT fk_adverse_event_versions_adverse_events_adverse_event_id FOREIGN KEY (adverse_event_id) REFERENCES adverse_events (id) ON DELETE RESTRICT
        );

        CREATE UNIQUE INDEX ix_adverse_event_versions_adverse_event_id_number ON adverse_event_versions (adverse_event_id, number);
        CREATE INDEX ix_adverse_events_participant_id ON adverse_events (participant_id);
        CREATE INDEX ix_adverse_events_regulator_reports_pending ON adverse_events (trial_id, regulator_due_at) WHERE regulator_due_at IS NOT NULL AND regulator_report_sent_at IS NULL;
        CREATE INDEX ix_adverse_events_site_id_created_at ON adverse_events (site_id, created_at);
        CREATE INDEX ix_adverse_events_sponsor_reports_pending ON adverse_events (trial_id, sponsor_due_at) WHERE sponsor_due_at IS NOT NULL AND sponsor_report_sent_at IS NULL;
        CREATE INDEX ix_adverse_events_trial_id_created_at_id ON adverse_events (trial_id, created_at, id);

        CREATE FUNCTION edc_refuse_version_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'Versions are kept whole: % on % is not allowed.', TG_OP, TG_TABLE_NAME
                USING ERRCODE = 'insufficient_privilege';
        END $$;
        CREATE TRIGGER adverse_event_versions_append_only BEFORE UPDATE OR DELETE ON adverse_event_versions
            FOR EACH ROW EXECUTE FUNCTION edc_refuse_version_change();
        CREATE TRIGGER adverse_event_versions_no_truncate BEFORE TRUNCATE ON adverse_event_versions
            FOR EACH STATEMENT EXECUTE FUNCTION edc_refuse_version_change();
        """;
}
