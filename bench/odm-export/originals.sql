-- The demonstration trial as seeded, kept aside: every copy bench/odm-export.sh makes is made from these rows.
-- Only what the ODM export reads is copied (docs/odm.md), with what keeps those rows consistent (randomization slots,
-- adverse event versions); queries, deviations and reviews stay with the originals.
CREATE SCHEMA bench;

-- Copy k of a row gets an id derived from the original's, so references between copies need no mapping table.
CREATE FUNCTION bench.copy_id(id uuid, k int) RETURNS uuid LANGUAGE sql IMMUTABLE AS
$$ SELECT md5(id::text || '/' || k)::uuid $$;

CREATE TABLE bench.participants AS SELECT * FROM participants;
CREATE TABLE bench.randomization_slots AS SELECT * FROM randomization_slots WHERE participant_id IS NOT NULL;
CREATE TABLE bench.visits AS SELECT * FROM visits;
CREATE TABLE bench.form_records AS SELECT * FROM form_records;
CREATE TABLE bench.mrss_assessments AS SELECT * FROM mrss_assessments;
CREATE TABLE bench.infusions AS SELECT * FROM infusions;
CREATE TABLE bench.adverse_events AS SELECT * FROM adverse_events;
CREATE TABLE bench.adverse_event_versions AS SELECT * FROM adverse_event_versions;
CREATE TABLE bench.signatures AS SELECT * FROM signatures;
-- The records' history, as the transactional file reads it (OdmBatchReader: by entity type and id).
CREATE TABLE bench.audit_entries AS
SELECT * FROM audit_entries WHERE entity_type IN ('FormRecord', 'MrssAssessment', 'InfusionRecord', 'AdverseEvent');
