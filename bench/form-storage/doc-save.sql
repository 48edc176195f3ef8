\set w random(40, 120)
BEGIN;
INSERT INTO doc_records VALUES (gen_random_uuid(), '00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002', gen_random_uuid(), gen_random_uuid(), 'F12', 1,
  jsonb_build_object('WEIGHT', :w + 0.5, 'SYSBP', 120, 'DIABP', 80, 'PULSE', 72, 'TEMP', 36.8, 'DOSE', (:w + 0.5) * 10, 'SEX', 'F', 'VISITDATE', '2026-12-01',
    'DRAWNAT', '2026-12-01T09:30:00Z', 'FASTING', true, 'NOTES', 'No remarks', 'SYMPTOMS', jsonb_build_array('RASH')),
  'Complete', false, NULL, now(), 1);
COMMIT;
