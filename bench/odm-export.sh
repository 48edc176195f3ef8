#!/usr/bin/env bash
# Measures the CDISC ODM export (issue 19, Performance): the demonstration trial, its participants copied by SQL to 2,000
# and then 20,000, each exported as Snapshot and as Transactional by a fresh API process (Release, Production). Reports
# each export's time, size and the process's peak resident memory against that of a fresh API that only answered a
# warm-up request: a streamed export's memory should not grow with the trial.
# Usage: bench/odm-export.sh [--sizes "2000 20000"] (multiples of the demonstration's 25 participants).
# Results: bench/results/<date>-odm-export.md. Needs about 0.6 MB of disk a participant (database, WAL, the largest file).
set -euo pipefail
sizes=(2000 20000)
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sizes) read -ra sizes <<<"$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
for tool in curl jq xmllint; do
  command -v "$tool" >/dev/null || { echo "bench/odm-export.sh needs $tool (Debian/Ubuntu: apt-get install curl jq libxml2-utils)." >&2; exit 2; }
done
cd "$(dirname "$0")/.."
root="$PWD"
here="$root/bench/odm-export"
started=$SECONDS
largest=$(printf '%s\n' "${sizes[@]}" | sort -n | tail -1)
need_mb=$((largest * 6 / 10 + 2048))
free_mb=$(df -Pm /tmp | awk 'NR == 2 { print $4 }')
if ((free_mb < need_mb)); then
  echo "bench/odm-export.sh needs about $need_mb MB free in /tmp for $largest participants; $free_mb MB are." >&2
  exit 2
fi

bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
work="$(mktemp -d /tmp/edc-odm-export.XXXXXX)"
port=$((56000 + RANDOM % 1000))
base="http://127.0.0.1:$((port + 1000))"
api_pid=""
as_postgres() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop_api() {
  if [[ -n $api_pid ]]; then
    # SIGTERM: a process started in the background of a script ignores SIGINT.
    kill -TERM "$api_pid" 2>/dev/null || true
    wait "$api_pid" || true
    api_pid=""
  fi
}
cleanup() {
  stop_api
  as_postgres "$bin/pg_ctl" -D "$work/pg" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' TERM INT
[[ $(id -u) == 0 ]] && chown postgres "$work"

# Durability is off: the load is throwaway and the exports only read (each adds one audit row).
as_postgres "$bin/initdb" -D "$work/pg" -A trust -U postgres >/dev/null
as_postgres "$bin/pg_ctl" -D "$work/pg" -o "-p $port -k $work -c shared_buffers=256MB -c fsync=off -c full_page_writes=off" \
  -l "$work/pg.log" -w start >/dev/null
psql=("$bin/psql" -h "$work" -p "$port" -U postgres -d edc_bench -v ON_ERROR_STOP=1 -q -X)
"$bin/psql" -h "$work" -p "$port" -U postgres -d postgres -q -c 'CREATE DATABASE edc_bench'
scalar() { "${psql[@]}" -At -c "$1"; }

dotnet build src/Edc.Api/Edc.Api.csproj -c Release -nologo -v q >/dev/null
export ConnectionStrings__Edc="Host=$work;Port=$port;Username=postgres;Database=edc_bench"
export ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning Logging__Console__FormatterName=simple
export Edc__Bootstrap__AdminEmail=bench-admin@edc.local Edc__Bootstrap__AdminPassword=Bench-Admin-Password-2026
export Edc__TrialDefinitions__LoadAtStartup=true Edc__Tokens__AccessTokenMinutes=240

# The API as its own process (exec: $! is the .NET process itself), ready when /health/ready answers.
api_env=()
start_api() {
  (cd src/Edc.Api/bin/Release/net10.0 && exec env "${api_env[@]}" dotnet Edc.Api.dll --urls "$base" "$@") >>"$work/api.log" 2>&1 &
  api_pid=$!
  for _ in $(seq 1 240); do
    curl -sf "$base/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$api_pid" 2>/dev/null || { tail -30 "$work/api.log" >&2; echo "The API exited at start-up." >&2; exit 1; }
    sleep 0.5
  done
  echo "The API was not ready within 120 s." >&2
  exit 1
}
sign_in() {
  curl -sf -X POST "$base/api/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$Edc__Bootstrap__AdminEmail\",\"password\":\"$Edc__Bootstrap__AdminPassword\"}" | jq -r .accessToken
}
memory_kb() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; }
mb() { echo $((($1 + 512) / 1024)); }

echo "Seeding the demonstration trial (--demo-data)..."
start_api --demo-data
stop_api
"${psql[@]}" -f "$here/originals.sql"
originals=$(scalar 'SELECT count(*) FROM bench.participants')
trial=$(scalar 'SELECT id FROM trials')
record_types="('FormRecord', 'MrssAssessment', 'InfusionRecord', 'AdverseEvent')"
counts_sql="SELECT (SELECT count(*) FROM participants), (SELECT count(*) FROM visits), (SELECT count(*) FROM form_records),
  (SELECT count(*) FROM mrss_assessments), (SELECT count(*) FROM infusions), (SELECT count(*) FROM adverse_events),
  (SELECT count(*) FROM audit_entries WHERE entity_type IN $record_types)"
expected_per_copy=$(scalar "SELECT (SELECT count(*) FROM bench.participants), (SELECT count(*) FROM bench.visits),
  (SELECT count(*) FROM bench.form_records), (SELECT count(*) FROM bench.mrss_assessments), (SELECT count(*) FROM bench.infusions),
  (SELECT count(*) FROM bench.adverse_events), (SELECT count(*) FROM bench.audit_entries)")
echo "Demonstration trial: $originals participants (participants|visits|forms|MRSS|infusions|adverse events|audit rows of records: $expected_per_copy)"

# The API processes measured run no background jobs, so that the memory read is the export's.
export Edc__JobServer__Enabled=false
echo "Fresh API, warm-up request only (the baseline)..."
start_api
token=$(sign_in)
curl -sf -H "Authorization: Bearer $token" "$base/api/trials" >/dev/null
baseline_hwm=$(memory_kb "$api_pid" VmHWM)
baseline_rss=$(memory_kb "$api_pid" VmRSS)
stop_api

# One export by a fresh API process (GC as shipped, or the workstation GC as a control): its time and the process's
# memory; as shipped, the same export again in the same process (warm). Adds a row to the table of its GC.
measure() {
  local n=$1 type=$2 gc=$3
  [[ $gc == server ]] && api_env=() || api_env=(DOTNET_gcServer=0)
  start_api
  token=$(sign_in)
  curl -sf -H "Authorization: Bearer $token" "$base/api/trials" >/dev/null
  local before load sampler code seconds bytes peak after quarters well_formed subjects again
  before=$(memory_kb "$api_pid" VmHWM)
  load=$(cut -d' ' -f1 /proc/loadavg)
  # Resident memory every half second while the file is written, to see whether it climbs along the export.
  (while true; do echo "$(date +%s.%N) $(memory_kb "$api_pid" VmRSS)"; sleep 0.5; done) >"$work/rss" 2>/dev/null &
  sampler=$!
  read -r code seconds bytes < <(curl -s -o "$work/export.xml" -w '%{http_code} %{time_total} %{size_download}\n' \
    -H "Authorization: Bearer $token" "$base/api/trials/$trial/exports/odm?type=$type")
  kill "$sampler"
  wait "$sampler" || true
  peak=$(memory_kb "$api_pid" VmHWM)
  after=$(memory_kb "$api_pid" VmRSS)
  if [[ $gc == server ]]; then
    read -r again_code again < <(curl -s -o /dev/null -w '%{http_code} %{time_total}\n' \
      -H "Authorization: Bearer $token" "$base/api/trials/$trial/exports/odm?type=$type")
    [[ $again_code == 200 ]] || failed=1
  fi
  stop_api
  # The resident memory at a quarter, half and three quarters of the export's time.
  quarters=$(awk '{ t[NR] = $1; r[NR] = $2 } END {
    for (q = 1; q <= 3; q++) { i = 1; while (i < NR && t[i] - t[1] < q * (t[NR] - t[1]) / 4) i++; printf "%s%d", (q > 1 ? " / " : ""), (r[i] + 512) / 1024 } }' "$work/rss")
  if xmllint --noout --stream "$work/export.xml" 2>/dev/null; then well_formed=well-formed; else well_formed="NOT WELL-FORMED"; failed=1; fi
  subjects=$(grep -c '<SubjectData ' "$work/export.xml" || true)
  rm -f "$work/export.xml"
  [[ $code == 200 && $subjects == "$n" ]] || failed=1
  local memory="$(mb "$before") → **$(mb "$peak") MB** | $quarters MB | $(mb "$after") MB"
  local check="$code, $subjects SubjectData, $well_formed"
  if [[ $gc == server ]]; then
    local size_mb rate
    size_mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
    rate=$(awk -v b="$bytes" -v s="$seconds" 'BEGIN { printf "%.1f", b / 1048576 / s }')
    shipped+=("| $n | $type | $participants / $forms / $audit | $(printf '%.1f' "$seconds") s | $(printf '%.1f' "$again") s | $size_mb MB | $rate MB/s | $memory | $check | $load |")
    echo "${shipped[-1]}"
  else
    control+=("| $n | $type | $(printf '%.1f' "$seconds") s | $memory | $check | $load |")
    echo "${control[-1]}"
  fi
  held["$n $type $gc"]=$((peak - before))
}

copies=1 # the originals are the first copy
shipped=()
control=()
declare -A held
failed=0
for n in "${sizes[@]}"; do
  if ((n % originals != 0 || n / originals < copies)); then
    echo "$n is not a multiple of $originals at least as large as the last size." >&2
    exit 2
  fi
  target=$((n / originals))
  load_started=$SECONDS
  while ((copies < target)); do
    last=$((copies + 79 < target - 1 ? copies + 79 : target - 1))
    echo "Copying the participants: copies $copies to $last of $((target - 1))..."
    "${psql[@]}" -v first="$copies" -v last="$last" -f "$here/copies.sql"
    copies=$((last + 1))
  done
  "${psql[@]}" -c 'VACUUM ANALYZE' -c 'CHECKPOINT'
  counts=$(scalar "$counts_sql")
  expected=$(tr '|' '\n' <<<"$expected_per_copy" | while read -r c; do echo $((c * copies)); done | paste -sd'|')
  if [[ $counts != "$expected" ]]; then
    echo "Row counts $counts, expected $expected." >&2
    exit 1
  fi
  IFS='|' read -r participants visits forms mrss infusions events audit <<<"$counts"
  database_mb=$(($(scalar "SELECT pg_database_size('edc_bench')") / 1048576))
  echo "$n participants loaded in $((SECONDS - load_started)) s: $counts, database $database_mb MB, disk free $(df -Ph /tmp | awk 'NR == 2 { print $4 }')"
  for gc in server workstation; do
    for type in Snapshot Transactional; do
      measure "$n" "$type" "$gc"
    done
  done
done

per() { awk -v x="$1" -v n="$participants" 'BEGIN { printf "%.1f", x / n }'; }
out="$root/bench/results/$(date -u +%F)-odm-export.md"
{
  echo "# ODM export of $(printf '%s, ' "${sizes[@]}" | sed 's/, $//') participants: time and memory ($(date -u +'%F %H:%M') UTC)"
  echo
  echo "\`bench/odm-export.sh\`: the demonstration trial (\`--demo-data\`, $originals participants, blinded) copied by SQL, each"
  echo "copy a participant with all the original's visits, forms, MRSS, infusions, adverse events (and their versions), its"
  echo "randomization slot and the audit rows of its records; a participant has on average $(per "$forms") forms, $(per "$mrss") MRSS,"
  echo "$(per "$infusions") infusions, $(per "$events") adverse events and $(per "$audit") audit rows of records. Each export by a fresh API process"
  echo "(Release, Production, logging at Warning, background jobs off) signed in as Admin, after one warm-up request"
  echo "(\`GET /api/trials\`), read by curl into a file, checked with \`xmllint --stream\` and its \`SubjectData\` counted; PostgreSQL"
  echo "$(scalar 'SHOW server_version' | cut -d' ' -f1) on a private cluster (shared_buffers 256MB, fsync off for the load, \`VACUUM ANALYZE\` after it: its cache is warm)."
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo) GiB, shared with other work: the load average at each export's start is in the tables."
  echo
  echo "Baseline: a fresh API after the warm-up request alone peaks at **$(mb "$baseline_hwm") MB** resident ($(mb "$baseline_rss") MB resident then);"
  echo "each row's peak RSS starts from its own process's peak after the warm-up."
  echo
  echo "As shipped (server GC). \"Again\": the same export a second time in the same process, into /dev/null."
  echo
  echo "| participants | type | rows: participants / form records / audit rows of records | time | again | written | rate | peak RSS: after warm-up → after export | RSS at ¼ / ½ / ¾ of the export | RSS after | check | load |"
  echo "|---:|---|---|---:|---:|---:|---:|---:|---|---:|---|---:|"
  printf '%s\n' "${shipped[@]}"
  echo
  echo "Control: the same exports with the workstation GC (\`DOTNET_gcServer=0\`), which collects sooner and keeps less slack, so"
  echo "its peak is closer to what the export really holds."
  echo
  echo "| participants | type | time | peak RSS: after warm-up → after export | RSS at ¼ / ½ / ¾ of the export | RSS after | check | load |"
  echo "|---:|---|---:|---:|---|---:|---|---:|"
  printf '%s\n' "${control[@]}"
  echo
  if ((${#sizes[@]} > 1)); then
    small=${sizes[0]}
    large=${sizes[-1]}
    flat=yes
    echo "What the export adds to the process's peak (peak after the export less peak after the warm-up), at $small and at $large participants"
    echo "($((large / small)) times the participants and the bytes written; memory that held the trial would grow as much):"
    echo
    for gc in server workstation; do
      for type in Snapshot Transactional; do
        a=${held["$small $type $gc"]}
        b=${held["$large $type $gc"]}
        echo "- $type, $gc GC: $(mb "$a") MB, then $(mb "$b") MB ($(awk -v a="$a" -v b="$b" 'BEGIN { printf "×%.2f", b / a }'))."
        # Flat: far from proportional: less than twice (or 50 MB more, the GC's own swing) for ten times the trial.
        ((b < 2 * a || b - a < 50 * 1024)) || flat=no
      done
    done
    echo
    if [[ $flat == yes ]]; then
      echo "**Memory stays flat**: with $((large / small)) times the participants, what the export adds to the process's memory grows by less than twice (or by less than 50 MB), under either GC."
    else
      echo "**Memory does not stay flat**: with $((large / small)) times the participants, what the export adds to the process's memory at least doubles under one GC or both."
    fi
    echo
  fi
  echo "The copies' audit rows were inserted with the trail's triggers off (\`ALTER TABLE audit_entries DISABLE TRIGGER ALL\`,"
  echo "as superuser in this throwaway database): they are numbered after the trail's last row but carry no hash, so the"
  echo "chain verifies only up to the originals. The export does not read hashes. The cluster was removed at the end."
  echo
  echo "Run took $((SECONDS - started)) s (build, seeding and loading included)."
} >"$out"
echo "Written to ${out#"$root"/}"
exit "$failed"
