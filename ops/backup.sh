#!/usr/bin/env bash
# Backs up Edc's database: pg_dump in its custom format, and beside the dump what a restore is checked against (see
# restore.sh): the audit trail's last sequence number and hash and every table's row count, read in the dump's own
# snapshot, so they are exactly what the dump holds even while the API keeps writing; and the dump's SHA-256.
#
#   ops/backup.sh [DATABASE] [FOLDER]
#
# DATABASE: a libpq connection URI or string (default: the run command's local database); FOLDER: where the files go
# (default: backups). Writes edc-<UTC time>.dump, .dump.sha256 and .manifest.json, and prints the manifest.
set -euo pipefail
source "$(dirname "$0")/postgres-tools.sh"

db=${1:-$EDC_LOCAL_DATABASE}
folder=${2:-backups}
mkdir -p "$folder"
name=edc-$(date -u +%Y%m%dT%H%M%SZ)
dump=$folder/$name.dump
manifest=$folder/$name.manifest.json
rm -f "$dump.ok"

# One read-only transaction exports its snapshot to pg_dump, then reads the manifest in that same snapshot.
EDC_DB=$db EDC_DUMP=$dump EDC_PG_DUMP=$(pg_tool pg_dump) "$(pg_tool psql)" "$db" -X -q -A -t -v ON_ERROR_STOP=1 \
  -v manifest="$manifest" -v dumpfile="$name.dump" <<'SQL'
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
SELECT pg_export_snapshot() AS snapshot \gset
\setenv EDC_SNAPSHOT :snapshot
\! "$EDC_PG_DUMP" --dbname="$EDC_DB" --snapshot="$EDC_SNAPSHOT" --format=custom --file="$EDC_DUMP" && touch "$EDC_DUMP.ok"
\o :manifest
SELECT jsonb_pretty(jsonb_build_object(
  'dump', :'dumpfile',
  'database', current_database(),
  'takenAt', to_char(transaction_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
  'serverVersion', current_setting('server_version'),
  'audit', (SELECT jsonb_build_object('lastSequence', seq, 'lastHash', hash) FROM audit_entries ORDER BY seq DESC LIMIT 1),
  'rowCounts', (SELECT jsonb_object_agg(table_name,
      (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM public.%I', table_name), false, true, '')))[1]::text::bigint)
    FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE')));
\o
COMMIT;
SQL

if [ ! -e "$dump.ok" ]; then
  echo "pg_dump failed: no backup was made" >&2
  rm -f "$dump" "$manifest"
  exit 1
fi
rm -f "$dump.ok"
(cd "$folder" && sha256sum "$name.dump" > "$name.dump.sha256")
cat "$manifest"
echo "Backed up to $dump ($(du -h "$dump" | cut -f1)), with $name.dump.sha256 and $name.manifest.json beside it"
