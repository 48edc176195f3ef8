#!/usr/bin/env bash
# Restores a backup made by ops/backup.sh into an empty database and checks it against the backup's manifest: the
# dump's SHA-256, every table's row count, the audit trail's last sequence number and hash, and the whole hash chain
# (each row's hash recomputed from its content and its predecessor's hash, no sequence number missing).
#
#   ops/restore.sh DUMP DATABASE
#
# DUMP: the .dump file (its .sha256 and .manifest.json beside it); DATABASE: a libpq connection URI or string of an
# empty database (createdb it first). Exits non-zero, saying why, when anything does not match.
set -euo pipefail
source "$(dirname "$0")/postgres-tools.sh"

if [ $# -ne 2 ]; then
  echo "usage: ops/restore.sh DUMP DATABASE" >&2
  exit 2
fi
dump=$1
db=$2
manifest=${dump%.dump}.manifest.json
(cd "$(dirname "$dump")" && sha256sum --check --quiet "$(basename "$dump").sha256") || { echo "the dump does not match its SHA-256: not restored" >&2; exit 1; }

"$(pg_tool pg_restore)" --dbname="$db" --no-owner --exit-on-error "$dump"

problems=$("$(pg_tool psql)" "$db" -X -q -A -t -v ON_ERROR_STOP=1 -v manifest="$(cat "$manifest")" <<'SQL'
WITH manifest AS (SELECT :'manifest'::jsonb AS m),
counts AS (
  SELECT key AS table_name, value::bigint AS expected,
         (SELECT (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM public.%I', key), false, true, '')))[1]::text::bigint
          FROM information_schema.tables WHERE table_schema = 'public' AND table_name = key) AS actual
  FROM manifest, jsonb_each_text(m->'rowCounts')),
chain AS (
  SELECT a.seq,
         a.hash <> edc_audit_row_hash(a) OR a.previous_hash <> coalesce(lag(a.hash) OVER (ORDER BY a.seq), '')
           OR a.seq <> coalesce(lag(a.seq) OVER (ORDER BY a.seq), 0) + 1 AS broken
  FROM audit_entries a),
last AS (SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1)
SELECT format('%s: %s rows, the manifest says %s', table_name, coalesce(actual::text, 'no table'), expected) FROM counts WHERE actual IS DISTINCT FROM expected
UNION ALL
SELECT format('audit trail ends at %s (%s), the manifest says %s (%s)', l.seq, l.hash, m->'audit'->>'lastSequence', m->'audit'->>'lastHash')
FROM manifest LEFT JOIN last l ON true
WHERE l.seq::text IS DISTINCT FROM m->'audit'->>'lastSequence' OR l.hash IS DISTINCT FROM m->'audit'->>'lastHash'
UNION ALL
SELECT format('audit chain broken at sequence %s', min(seq)) FROM chain WHERE broken HAVING count(*) > 0;
SQL
)
if [ -n "$problems" ]; then
  echo "Restored, but it does not match the backup's manifest:" >&2
  echo "$problems" >&2
  exit 1
fi
echo "Restored $dump and checked it: row counts, audit trail up to sequence $(grep -o '"lastSequence": [0-9]*' "$manifest" | grep -o '[0-9]*$'), hash chain intact"
