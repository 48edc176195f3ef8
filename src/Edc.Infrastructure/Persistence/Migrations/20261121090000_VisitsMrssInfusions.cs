using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Edc.Infrastructure.Persistence.Migrations;

/// <summary>The visit schedule, protocol deviations, MRSS assessments (one column per area) and infusions.</summary>
[DbContext(typeof(EdcDbContext))]
[Migration("20261121090000_VisitsMrssInfusions")]
public sealed class VisitsMrssInfusions : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(Schema);

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("DROP TABLE infusions, mrss_assessments, protocol_deviations, visits;");

    private const string Schema = """
        CREATE TABLE visits (
            id uuid NOT NULL,
            trial_id uuid NOT NULL,
            site_id uuid NOT NULL,
            participant_id uuid NOT NULL,
            code character varying(40) NOT NULL,
            name character varying(200) NOT NULL,
            day integer,
            target_date date,
            window_start date,
            window_end date,
            procedures text[] NOT NULL,
            status character varying(20) NOT NULL,
            actual_date date,
            missed_reason character varying(2000),
            out_of_window boolean NOT NULL,
            CONSTRAINT pk_visits PRIMARY KEY (id),
            CONSTRAINT fk_visits_participants_participant_id FOREIGN KEY (participant_id) REFERENCES participants (id) ON DELETE RESTRICT
        );

        CREATE TABLE protocol_deviations (
            id uuid NOT NULL,
            trial_id uuid NOT NULL,
            site_id uuid NOT NULL,
            participant_id uuid NOT NULL,
            visit_id uuid,
            kind character varying(60) NOT NULL,
            description character varying(2000) NOT NULL,
            recorded_at timestamp with time zone NOT NULL,
            CONSTRAINT pk_protocol_deviations PRIMARY KEY (id),
            CONSTRAINT fk_protocol_deviations_participants_participant_id FOREIGN KEY (participant_id) REFERENCES participants (id) ON DELETE RESTRICT
        );

        CREATE TABLE mrss_assessments (
            id uuid NOT NULL,
            trial_id uuid NOT NULL,
            site_id uuid NOT NULL,
            participant_id uuid NOT NULL,
            visit_id uuid NOT NULL,
            assessed_on date NOT NULL,
            assessor_name character varying(200) NOT NULL,
            face integer NOT NULL,
            anterior_chest integer NOT NULL,
            abdomen integer NOT NULL,
            right_fingers integer NOT NULL,
            left_fingers integer NOT NULL,
            right_hand integer NOT NULL,
            left_hand integer NOT NULL,
            right_forearm integer NOT NULL,
            left_forearm integer NOT NULL,
            right_upper_arm integer NOT NULL,
            left_upper_arm integer NOT NULL,
            right_thigh integer NOT NULL,
            left_thigh integer NOT NULL,
            right_lower_leg integer NOT NULL,
            left_lower_leg integer NOT NULL,
            right_foot integer NOT NULL,
            left_foot integer NOT NULL,
            total integer NOT NULL,
            CONSTRAINT pk_mrss_assessments PRIMARY KEY (id),
            CONSTRAINT fk_mrss_assessments_participants_participant_id FOREIGN KEY (participant_id) REFERENCES participants (id) ON DELETE RESTRICT,
            CONSTRAINT fk_mrss_assessments_visits_visit_id FOREIGN KEY (visit_id) REFERENCES visits (id) ON DELETE RESTRICT
        );

        CREATE TABLE infusions (
            id uuid NOT NULL,
            trial_id uuid NOT NULL,
            site_id uuid NOT NULL,
            participant_id uuid NOT NULL,
            visit_id uuid NOT NULL,
            administered_at timestamp with time zone,
            kit_number character varying(40),
            not_administered_reason character varying(2000),
            CONSTRAINT pk_infusions PRIMARY KEY (id),
            CONSTRAINT fk_infusions_participants_participant_id FOREIGN KEY (participant_id) REFERENCES participants (id) ON DELETE RESTRICT,
            CONSTRAINT fk_infusions_visits_visit_id FOREIGN KEY (visit_id) REFERENCES visits (id) ON DELETE RESTRICT
        );

        CREATE INDEX ix_infusions_participant_id ON infusions (participant_id);

        CREATE UNIQUE INDEX ix_infusions_visit_id ON infusions (visit_id);

        CREATE INDEX ix_mrss_assessments_participant_id ON mrss_assessments (participant_id);

        CREATE UNIQUE INDEX ix_mrss_assessments_visit_id ON mrss_assessments (visit_id);

        CREATE INDEX ix_protocol_deviations_participant_id ON protocol_deviations (participant_id);

        CREATE UNIQUE INDEX ix_visits_participant_id_code ON visits (participant_id, code);

        CREATE INDEX ix_visits_site_id_status_window_end ON visits (site_id, status, window_end);
        """;
}
