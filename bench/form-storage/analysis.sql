SELECT (SELECT id FROM doc_records LIMIT 1) AS doc_id, (SELECT id FROM row_records LIMIT 1) AS row_id \gset
\timing on
\o /dev/null
\echo '-- mean weight and count per form version (an analysis reading one item of every instance)'
SELECT form_version, avg((values->>'WEIGHT')::numeric), count(*) FROM doc_records WHERE trial_id = '00000000-0000-0000-0000-000000000001' AND form_code = 'F12' GROUP BY 1;
\echo '   (typed rows per item:)'
SELECT r.form_version, avg(i.number), count(*) FROM row_records r JOIN item_values i ON i.record_id = r.id AND i.item_code = 'WEIGHT'
  WHERE r.trial_id = '00000000-0000-0000-0000-000000000001' AND r.form_code = 'F12' GROUP BY 1;
\echo '-- the export: every instance with its 12 items as columns'
SELECT sum(length(concat_ws(',', id, values->>'WEIGHT', values->>'SYSBP', values->>'DIABP', values->>'PULSE', values->>'TEMP', values->>'DOSE', values->>'SEX',
  values->>'VISITDATE', values->>'DRAWNAT', values->>'FASTING', values->>'NOTES', values->>'SYMPTOMS'))) FROM doc_records WHERE form_code = 'F12';
\echo '   (typed rows per item:)'
SELECT sum(length(concat_ws(',', e.*))) FROM (SELECT r.id, max(i.number) FILTER (WHERE i.item_code = 'WEIGHT'), max(i.number) FILTER (WHERE i.item_code = 'SYSBP'),
  max(i.number) FILTER (WHERE i.item_code = 'DIABP'), max(i.number) FILTER (WHERE i.item_code = 'PULSE'), max(i.number) FILTER (WHERE i.item_code = 'TEMP'),
  max(i.number) FILTER (WHERE i.item_code = 'DOSE'), max(i.text) FILTER (WHERE i.item_code = 'SEX'), max(i.date) FILTER (WHERE i.item_code = 'VISITDATE'),
  max(i.instant) FILTER (WHERE i.item_code = 'DRAWNAT'), bool_or(i.flag) FILTER (WHERE i.item_code = 'FASTING'), max(i.text) FILTER (WHERE i.item_code = 'NOTES'),
  max(i.codes) FILTER (WHERE i.item_code = 'SYMPTOMS')
  FROM row_records r JOIN item_values i ON i.record_id = r.id WHERE r.form_code = 'F12' GROUP BY r.id) e;
\echo '-- one instance read back whole (a form page)'
SELECT values FROM doc_records WHERE id = :'doc_id';
\echo '   (typed rows per item:)'
SELECT item_code, number, text, date, instant, flag, codes FROM item_values WHERE record_id = :'row_id';
\timing off
\o
\echo '-- size on disk, indexes included'
SELECT 'json document per form' AS storage, pg_size_pretty(pg_total_relation_size('doc_records')) AS size, (SELECT count(*) FROM doc_records) AS forms
UNION ALL SELECT 'typed rows per item', pg_size_pretty(pg_total_relation_size('row_records') + pg_total_relation_size('item_values')), (SELECT count(*) FROM row_records);
