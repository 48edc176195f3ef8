#!/usr/bin/env bash
# The benchmark suite: starts a private durable PostgreSQL cluster and the API (Release, its own process), loads a realistic
# trial, and runs each workload with wrk (-c32 -t2 --latency, one bearer token obtained at set-up) side by side with its
# plain-SQL twin (the same statements through Npgsql, 32 connections, same duration) on the same database, plus
# GET /health/live (no database) as the pipeline ceiling. Prints the table and writes bench/results/<date>-suite.md.
# Not a test: it measures and reports, it asserts no speed (it fails on errors and failed row/audit checks).
# Options: --duration S (per side, default 15) --clients N (default 32) --fast (fsync off) --note "text".
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
if ! command -v wrk >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get install -y wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
    else
        echo "bench/suite.sh needs wrk: install it (Debian/Ubuntu: sudo apt-get install -y wrk) and run again." >&2
        exit 2
    fi
fi
dotnet build src/Edc.Api/Edc.Api.csproj -c Release -nologo -v q
dotnet build bench/Edc.Bench/Edc.Bench.csproj -c Release -nologo -v q
status=0
dotnet bench/Edc.Bench/bin/Release/net10.0/Edc.Bench.dll --workload suite "$@" || status=$?
echo "bench/suite.sh took $((SECONDS - started)) s (build included)"
exit "$status"
