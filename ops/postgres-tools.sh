# Sourced by the scripts of ops/: finds PostgreSQL's client programs (the newest installed version, as a dump must be
# made by a pg_dump at least as new as the server), or takes them from EDC_PG_BIN.
pg_tool() {
  local dir=${EDC_PG_BIN:-}
  if [ -z "$dir" ]; then
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  fi
  if [ -n "$dir" ] && [ -x "$dir/$1" ]; then
    echo "$dir/$1"
  elif command -v "$1" >/dev/null; then
    command -v "$1"
  else
    echo "$1 not found: install PostgreSQL's client programs (Debian/Ubuntu: apt-get install postgresql-client) or set EDC_PG_BIN" >&2
    exit 2
  fi
}

# The run command's local database (src/Edc.Api/.edc-data/postgres, port 55432, user edc, trusted on loopback).
EDC_LOCAL_DATABASE=postgresql://edc@127.0.0.1:55432/edc
