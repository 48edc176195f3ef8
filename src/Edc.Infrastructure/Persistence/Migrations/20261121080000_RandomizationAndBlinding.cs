using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Edc.Infrastructure.Persistence.Migrations;

/// <summary>
/// Participants, the randomization list and its slots (the assignments, apart from everything else), data safety
/// board unblinding requests, the notification outbox, idempotency records, and the trial's lock and final unblinding.
/// </summary>
[DbContext(typeof(EdcDbContext))]
[Migration("20261121080000_RandomizationAndBlinding")]
public sealed class RandomizationAndBlinding : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(Schema);

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql("""
        DROP TABLE randomization_slots, participants, randomization_lists, unblinding_requests, notifications, idempotency_records;
        ALTER TABLE trials DROP COLUMN locked_at;
        ALTER TABLE trials DROP COLUMN final_unblinded_at;
        """);

    private const string Schema = """
        ALTER TABLE trials ADD locked_at timestamp with time zone;
        ALTER TABLE trials ADD final_unblinded_at timestamp with time zone;

        CREATE TABLE idempotency_records (
            user_id uuid NOT NULL,
            key character varying(200) NOT NULL,
            request_hash character varying(64) NOT NULL,
            created_at timestamp with time zone NOT NULL,
            completed_at timestamp with time zone,
            status_code integer,
            content_type character varying(200),
            response_body bytea,
            location character varying(2000),
            CONSTRAINT pk_idempotency_records PRIMARY KEY (user_id, key)
        );

        CREATE TABLE participants (
            id uuid NOT NULL,
            trial_id uuid NOT NULL,
            site_id uuid NOT NULL,
            screening_number character varying(40) NOT NULL,
            sex character varying(20),
            birth_year integer,
            status character varying(20) NOT NULL,
            registered_at timestamp with time zone NOT NULL,
            consent_date date,
            eligibility jsonb NOT NULL,
            strata jsonb NOT NULL,
            stratum_key character varying(400),
            enrolled_at timestamp with time zone,
            randomization_number character varying(40),
            kit_number character varying(40),
            randomized_at timestamp with time zone,
            withdrawn_on date,
            withdrawal_reason character varying(2000),
            emergency_unblinded_at timestamp with time zone,
            emergency_unblinded_by uuid,
            emergency_unblinding_reason character varying(2000),
            CONSTRAINT pk_participants PRIMARY KEY (id),
            CONSTRAINT fk_participants_sites_site_id FOREIGN KEY (site_id) REFERENCES sites (id) ON DELETE RESTRICT,
            CONSTRAINT fk_participants_trials_trial_id FOREIGN KEY (trial_id) REFERENCES trials (id) ON DELETE RESTRICT
        );

        CREATE TABLE randomization_lists (
            id uuid NOT NULL,
            trial_id uuid NOT NULL,
            algorithm character varying(100) NOT NULL,
            seed character varying(40),
            block_sizes integer[] NOT NULL,
            slots_per_stratum integer NOT NULL,
            checksum character varying(64) NOT NULL,
            created_at timestamp with time zone NOT NULL,
            group_key jsonb NOT NULL,
            CONSTRAINT pk_randomization_lists PRIMARY KEY (id),
            CONSTRAINT fk_randomization_lists_trials_trial_id FOREIGN KEY (trial_id) REFERENCES trials (id) ON DELETE RESTRICT
        );

        CREATE TABLE randomization_slots (
            id uuid NOT NULL,
            list_id uuid NOT NULL,
            trial_id uuid NOT NULL,
            stratum_key character varying(400) NOT NULL,
            sequence integer NOT NULL,
            block_number integer NOT NULL,
            block_size integer NOT NULL,
            randomization_number character varying(40) NOT NULL,
            kit_number character varying(40) NOT NULL,
            arm_code character varying(40) NOT NULL,
            participant_id uuid,
            allocated_at timestamp with time zone,
            CONSTRAINT pk_randomization_slots PRIMARY KEY (id),
            CONSTRAINT fk_randomization_slots_participants_participant_id FOREIGN KEY (participant_id) REFERENCES participants (id) ON DELETE RESTRICT,
            CONSTRAINT fk_randomization_slots_randomization_lists_list_id FOREIGN KEY (list_id) REFERENCES randomization_lists (id) ON DELETE RESTRICT
        );

        CREATE TABLE unblinding_requests (
            id uuid NOT NULL,
            trial_id uuid NOT NULL,
            requested_by uuid NOT NULL,
            requested_at timestamp with time zone NOT NULL,
            justification character varying(4000) NOT NULL,
            status character varying(20) NOT NULL,
            decided_by uuid,
            decided_at timestamp with time zone,
            decision_comment character varying(4000),
            CONSTRAINT pk_unblinding_requests PRIMARY KEY (id),
            CONSTRAINT fk_unblinding_requests_trials_trial_id FOREIGN KEY (trial_id) REFERENCES trials (id) ON DELETE RESTRICT
        );

        CREATE TABLE notifications (
            id uuid NOT NULL,
            recipient_user_id uuid NOT NULL,
            trial_id uuid,
            kind character varying(60) NOT NULL,
            subject character varying(300) NOT NULL,
            body text NOT NULL,
            created_at timestamp with time zone NOT NULL,
            delivered_at timestamp with time zone,
            attempts integer NOT NULL,
            last_error text,
            next_attempt_at timestamp with time zone,
            CONSTRAINT pk_notifications PRIMARY KEY (id),
            CONSTRAINT fk_notifications_users_recipient_user_id FOREIGN KEY (recipient_user_id) REFERENCES users (id) ON DELETE RESTRICT
        );

        CREATE INDEX ix_idempotency_records_created_at ON idempotency_records (created_at);

        CREATE INDEX ix_notifications_next_attempt_at ON notifications (next_attempt_at) WHERE delivered_at IS NULL;

        CREATE INDEX ix_notifications_recipient_user_id_created_at ON notifications (recipient_user_id, created_at);

        CREATE INDEX ix_participants_site_id ON participants (site_id);

        CREATE UNIQUE INDEX ix_participants_trial_id_randomization_number ON participants (trial_id, randomization_number);

        CREATE UNIQUE INDEX ix_participants_trial_id_screening_number ON participants (trial_id, screening_number);

        CREATE UNIQUE INDEX ix_randomization_lists_trial_id ON randomization_lists (trial_id);

        CREATE INDEX ix_randomization_slots_list_id ON randomization_slots (list_id);

        CREATE UNIQUE INDEX ix_randomization_slots_participant_id ON randomization_slots (participant_id);

        CREATE UNIQUE INDEX ix_randomization_slots_trial_id_kit_number ON randomization_slots (trial_id, kit_number);

        CREATE UNIQUE INDEX ix_randomization_slots_trial_id_randomization_number ON randomization_slots (trial_id, randomization_number);

        CREATE UNIQUE INDEX ix_randomization_slots_trial_id_stratum_key_sequence ON randomization_slots (trial_id, stratum_key, sequence);

        CREATE INDEX ix_unblinding_requests_trial_id ON unblinding_requests (trial_id);
        """;
}
