namespace Edc.Infrastructure.Persistence.Migrations;

/// <summary>
/// The database side of the audit trail. An insert trigger extends the hash chain: under a transaction-level
/// advisory lock it numbers the row after the last one, stamps the server's UTC time and hashes the row's content
/// together with the previous row's hash. UPDATE, DELETE and TRUNCATE are refused by triggers, so the trail is
/// append-only whoever connects; lifting that needs ALTER TABLE, which the verification would then expose.
/// </summary>
internal static class AuditTrailSql
{
    public const string Create = """
        -- Length-prefixed so that no two different rows can serialize to the same text.
        CREATE FUNCTION edc_audit_field(value text) RETURNS text LANGUAGE sql IMMUTABLE AS
        $$ SELECT CASE WHEN value IS NULL THEN '~' ELSE octet_length(value)::text || ':' || value END $$;

        CREATE FUNCTION edc_audit_row_hash(a audit_entries) RETURNS text LANGUAGE sql STABLE AS $$
            SELECT encode(sha256(convert_to(
                edc_audit_field(a.previous_hash) || edc_audit_field(a.seq::text)
                || edc_audit_field(to_char(a.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
                || edc_audit_field(a.user_id::text) || edc_audit_field(a.user_email) || edc_audit_field(a.user_roles)
                || edc_audit_field(a.action) || edc_audit_field(a.entity_type) || edc_audit_field(a.entity_id)
                || edc_audit_field(a.trial_id::text) || edc_audit_field(a.site_id::text) || edc_audit_field(a.field)
                || edc_audit_field(a.old_value) || edc_audit_field(a.new_value) || edc_audit_field(a.reason),
                'UTF8')), 'hex')
        $$;

        CREATE FUNCTION edc_audit_chain() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            last_seq bigint;
            last_hash text;
        BEGIN
            -- One transaction at a time extends the chain, until it commits or rolls back.
            PERFORM pg_advisory_xact_lock(2001, 1);
            SELECT seq, hash INTO last_seq, last_hash FROM audit_entries ORDER BY seq DESC LIMIT 1;
            NEW.seq := coalesce(last_seq, 0) + 1;
            NEW.occurred_at := clock_timestamp();
            NEW.previous_hash := coalesce(last_hash, '');
            NEW.hash := edc_audit_row_hash(NEW);
            RETURN NEW;
        END $$;

        CREATE TRIGGER audit_entries_chain BEFORE INSERT ON audit_entries
            FOR EACH ROW EXECUTE FUNCTION edc_audit_chain();

        CREATE FUNCTION edc_audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'The audit trail is append-only: % on audit_entries is not allowed.', TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END $$;

        CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
            FOR EACH ROW EXECUTE FUNCTION edc_audit_refuse_change();
        CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
            FOR EACH STATEMENT EXECUTE FUNCTION edc_audit_refuse_change();
        """;

    public const string Drop = """
        DROP TRIGGER audit_entries_no_truncate ON audit_entries;
        DROP TRIGGER audit_entries_append_only ON audit_entries;
        DROP TRIGGER audit_entries_chain ON audit_entries;
        DROP FUNCTION edc_audit_refuse_change();
        DROP FUNCTION edc_audit_chain();
        DROP FUNCTION edc_audit_row_hash(audit_entries);
        DROP FUNCTION edc_audit_field(text);
        """;
}
