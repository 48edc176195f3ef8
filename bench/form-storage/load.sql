-- :n forms on each side, the same values as a save writes (weights varying), for the reads to compare.
INSERT INTO doc_records
SELECT gen_random_uuid(), '00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002', gen_random_uuid(), gen_random_uuid(), 'F12', 1 + (g % 2),
  jsonb_build_object('WEIGHT', 40 + g % 80 + 0.5, 'SYSBP', 120, 'DIABP', 80, 'PULSE', 72, 'TEMP', 36.8, 'DOSE', (40 + g % 80 + 0.5) * 10, 'SEX', 'F',
    'VISITDATE', '2026-12-01', 'DRAWNAT', '2026-12-01T09:30:00Z', 'FASTING', true, 'NOTES', 'No remarks', 'SYMPTOMS', jsonb_build_array('RASH')),
  'Complete', false, NULL, now(), 1
FROM generate_series(1, :n) g;
INSERT INTO row_records
SELECT gen_random_uuid(), '00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002', gen_random_uuid(), gen_random_uuid(), 'F12', 1 + (g % 2),
  'Complete', false, NULL, now(), 1
FROM generate_series(1, :n) g;
INSERT INTO item_values (record_id, item_code, number, text, date, instant, flag, codes)
SELECT r.id, v.item_code, v.number, v.text, v.date, v.instant, v.flag, v.codes FROM row_records r, LATERAL (VALUES
  ('WEIGHT', 40 + abs(hashtext(r.id::text)) % 80 + 0.5, NULL, NULL::date, NULL::timestamptz, NULL::boolean, NULL::text[]), ('SYSBP', 120, NULL, NULL, NULL, NULL, NULL),
  ('DIABP', 80, NULL, NULL, NULL, NULL, NULL), ('PULSE', 72, NULL, NULL, NULL, NULL, NULL), ('TEMP', 36.8, NULL, NULL, NULL, NULL, NULL),
  ('DOSE', 700, NULL, NULL, NULL, NULL, NULL), ('SEX', NULL, 'F', NULL, NULL, NULL, NULL),
  ('VISITDATE', NULL, NULL, '2026-12-01', NULL, NULL, NULL), ('DRAWNAT', NULL, NULL, NULL, '2026-12-01T09:30:00Z', NULL, NULL),
  ('FASTING', NULL, NULL, NULL, NULL, true, NULL), ('NOTES', NULL, 'No remarks', NULL, NULL, NULL, NULL),
  ('SYMPTOMS', NULL, NULL, NULL, NULL, NULL, ARRAY['RASH'])) AS v (item_code, number, text, date, instant, flag, codes);
