\set w random(40, 120)
BEGIN;
WITH record AS (
  INSERT INTO row_records VALUES (gen_random_uuid(), '00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002', gen_random_uuid(), gen_random_uuid(), 'F12', 1,
    'Complete', false, NULL, now(), 1) RETURNING id)
INSERT INTO item_values (record_id, item_code, number, text, date, instant, flag, codes)
SELECT record.id, v.item_code, v.number, v.text, v.date, v.instant, v.flag, v.codes FROM record, (VALUES
  ('WEIGHT', :w + 0.5, NULL, NULL::date, NULL::timestamptz, NULL::boolean, NULL::text[]), ('SYSBP', 120, NULL, NULL, NULL, NULL, NULL),
  ('DIABP', 80, NULL, NULL, NULL, NULL, NULL), ('PULSE', 72, NULL, NULL, NULL, NULL, NULL), ('TEMP', 36.8, NULL, NULL, NULL, NULL, NULL),
  ('DOSE', (:w + 0.5) * 10, NULL, NULL, NULL, NULL, NULL), ('SEX', NULL, 'F', NULL, NULL, NULL, NULL),
  ('VISITDATE', NULL, NULL, '2026-12-01', NULL, NULL, NULL), ('DRAWNAT', NULL, NULL, NULL, '2026-12-01T09:30:00Z', NULL, NULL),
  ('FASTING', NULL, NULL, NULL, NULL, true, NULL), ('NOTES', NULL, 'No remarks', NULL, NULL, NULL, NULL),
  ('SYMPTOMS', NULL, NULL, NULL, NULL, NULL, ARRAY['RASH'])) AS v (item_code, number, text, date, instant, flag, codes);
COMMIT;
