-- Copies :first to :last of every original participant (originals.sql) with their records and the records' audit rows,
-- in one transaction. A copy's screening, randomization and kit numbers are the original's with the copy's number.
BEGIN;

-- One statement a table: each row is the original's with its ids (and those it refers to) replaced by copy k's.
INSERT INTO participants
SELECT (jsonb_populate_record(NULL::participants, to_jsonb(p) || jsonb_build_object(
    'id', bench.copy_id(p.id, k),
    'screening_number', p.screening_number || '-' || lpad(k::text, 4, '0'),
    'randomization_number', p.randomization_number || '-' || lpad(k::text, 4, '0'),
    'kit_number', p.kit_number || '-' || lpad(k::text, 4, '0'),
    'death_adverse_event_id', bench.copy_id(p.death_adverse_event_id, k)))).*
FROM bench.participants p CROSS JOIN generate_series(:first, :last) k;

-- The slot each randomized copy took, past the end of the list (a list is far shorter than a million slots).
INSERT INTO randomization_slots
SELECT (jsonb_populate_record(NULL::randomization_slots, to_jsonb(s) || jsonb_build_object(
    'id', bench.copy_id(s.id, k),
    'participant_id', bench.copy_id(s.participant_id, k),
    'sequence', s.sequence + k * 1000000,
    'randomization_number', s.randomization_number || '-' || lpad(k::text, 4, '0'),
    'kit_number', s.kit_number || '-' || lpad(k::text, 4, '0')))).*
FROM bench.randomization_slots s CROSS JOIN generate_series(:first, :last) k;

INSERT INTO visits
SELECT (jsonb_populate_record(NULL::visits, to_jsonb(v) || jsonb_build_object(
    'id', bench.copy_id(v.id, k), 'participant_id', bench.copy_id(v.participant_id, k)))).*
FROM bench.visits v CROSS JOIN generate_series(:first, :last) k;

INSERT INTO form_records
SELECT (jsonb_populate_record(NULL::form_records, to_jsonb(r) || jsonb_build_object(
    'id', bench.copy_id(r.id, k), 'participant_id', bench.copy_id(r.participant_id, k), 'visit_id', bench.copy_id(r.visit_id, k)))).*
FROM bench.form_records r CROSS JOIN generate_series(:first, :last) k;

INSERT INTO mrss_assessments
SELECT (jsonb_populate_record(NULL::mrss_assessments, to_jsonb(m) || jsonb_build_object(
    'id', bench.copy_id(m.id, k), 'participant_id', bench.copy_id(m.participant_id, k), 'visit_id', bench.copy_id(m.visit_id, k)))).*
FROM bench.mrss_assessments m CROSS JOIN generate_series(:first, :last) k;

INSERT INTO infusions
SELECT (jsonb_populate_record(NULL::infusions, to_jsonb(i) || jsonb_build_object(
    'id', bench.copy_id(i.id, k), 'participant_id', bench.copy_id(i.participant_id, k), 'visit_id', bench.copy_id(i.visit_id, k)))).*
FROM bench.infusions i CROSS JOIN generate_series(:first, :last) k;

INSERT INTO adverse_events
SELECT (jsonb_populate_record(NULL::adverse_events, to_jsonb(a) || jsonb_build_object(
    'id', bench.copy_id(a.id, k), 'participant_id', bench.copy_id(a.participant_id, k)))).*
FROM bench.adverse_events a CROSS JOIN generate_series(:first, :last) k;

INSERT INTO adverse_event_versions
SELECT (jsonb_populate_record(NULL::adverse_event_versions, to_jsonb(v) || jsonb_build_object(
    'id', bench.copy_id(v.id, k), 'adverse_event_id', bench.copy_id(v.adverse_event_id, k)))).*
FROM bench.adverse_event_versions v CROSS JOIN generate_series(:first, :last) k;

INSERT INTO signatures
SELECT (jsonb_populate_record(NULL::signatures, to_jsonb(s) || jsonb_build_object(
    'id', bench.copy_id(s.id, k), 'participant_id', bench.copy_id(s.participant_id, k), 'visit_id', bench.copy_id(s.visit_id, k)))).*
FROM bench.signatures s CROSS JOIN generate_series(:first, :last) k;

-- The audit rows of the copied records, numbered after the trail's last row in the originals' order. The chain trigger
-- would hash them one by one under a lock; in this throwaway database the triggers are off for the copy, so the copies
-- carry no hash (the chain does not verify past the originals; the export does not read hashes).
ALTER TABLE audit_entries DISABLE TRIGGER ALL;
INSERT INTO audit_entries (seq, occurred_at, user_id, user_email, user_roles, action, entity_type, entity_id, trial_id, site_id,
                           field, old_value, new_value, reason, previous_hash, hash)
SELECT (SELECT max(seq) FROM audit_entries) + row_number() OVER (ORDER BY k, a.seq),
       a.occurred_at, a.user_id, a.user_email, a.user_roles, a.action, a.entity_type, bench.copy_id(a.entity_id::uuid, k)::text,
       a.trial_id, a.site_id, a.field,
       CASE WHEN a.field IN ('Id', 'ParticipantId', 'VisitId') AND a.old_value IS NOT NULL THEN bench.copy_id(a.old_value::uuid, k)::text ELSE a.old_value END,
       CASE WHEN a.field IN ('Id', 'ParticipantId', 'VisitId') AND a.new_value IS NOT NULL THEN bench.copy_id(a.new_value::uuid, k)::text ELSE a.new_value END,
       a.reason, '', 'bench copy of ' || a.seq
FROM bench.audit_entries a CROSS JOIN generate_series(:first, :last) k;
ALTER TABLE audit_entries ENABLE TRIGGER ALL;

COMMIT;
