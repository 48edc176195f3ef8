#!/usr/bin/env bash
# Measures the two ways of storing a form's values (issue 17): a JSONB document per form instance, as Edc does, against
# typed rows per item. Each side saves a 12-item form per transaction under pgbench for the same time on the same private
# cluster, then an analysis, an export and a page read run over the same number of forms loaded on each side, and their sizes are compared.
# Usage: bench/form-storage.sh [--duration S] [--clients N] [--forms N (read side, 100000)]. Results: bench/results/<date>-form-storage.md.
set -euo pipefail
duration=15
clients=8
forms=100000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    --forms) forms="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
here="$(cd "$(dirname "$0")" && pwd)"
bin=/usr/lib/postgresql/15/bin
work="$(mktemp -d /tmp/edc-form-storage.XXXXXX)"
port=$((56000 + RANDOM % 1000))
as_postgres() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[[ $(id -u) == 0 ]] && chown postgres "$work"
as_postgres "$bin/initdb" -D "$work/pg" -A trust -U postgres >/dev/null
as_postgres "$bin/pg_ctl" -D "$work/pg" -o "-p $port -k $work -c shared_buffers=256MB" -l "$work/pg.log" -w start >/dev/null
trap 'as_postgres "$bin/pg_ctl" -D "$work/pg" -m fast stop >/dev/null; rm -rf "$work"' EXIT
psql=("$bin/psql" -h "$work" -p "$port" -U postgres -v ON_ERROR_STOP=1 -q)
"${psql[@]}" -f "$here/form-storage/schema.sql"
out="$here/results/$(date -u +%F)-form-storage.md"
{
  echo "# Form storage: a JSONB document per form vs typed rows per item ($(date -u +'%F %H:%M') UTC)"
  echo
  echo "pgbench, $clients clients, ${duration}s per side, one 12-item form saved per transaction (audit rows, the same for both, left out)."
  echo "Machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo '```'
  for side in doc row; do
    echo "== $side-save"
    as_postgres "$bin/pgbench" -h "$work" -p "$port" -U postgres -n -c "$clients" -j 2 -T "$duration" -f "$here/form-storage/$side-save.sql" postgres 2>&1 \
      | grep -E 'number of transactions actually processed|latency average|^tps'
  done
  # The reads run over the same number of forms on each side: the saves above made different numbers.
  "${psql[@]}" -c 'TRUNCATE item_values, row_records, doc_records'
  "${psql[@]}" -v n="$forms" -f "$here/form-storage/load.sql"
  "${psql[@]}" -c 'VACUUM ANALYZE'
  "${psql[@]}" -f "$here/form-storage/analysis.sql" >/dev/null 2>&1 # warms the caches
  echo "== reads over $forms forms a side (the second of two runs), then sizes"
  "${psql[@]}" -f "$here/form-storage/analysis.sql" 2>&1
  echo '```'
} | tee "$out"
echo "Written to $out"
