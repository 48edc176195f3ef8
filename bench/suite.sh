#!/usr/bin/env bash
# The benchmark suite (README.md, "Benchmarks"): starts a private durable PostgreSQL cluster, the API and its plain twin
# (bench/Edc.Twin: a bare ASP.NET Core app sending the same SQL through Npgsql), both Release builds as their own processes,
# loads a realistic trial, and drives each workload with wrk (-c32 -t2 --latency) against the API, then against the twin,
# with the same request list, bearer token and headers, each side warmed up first. Prints the table and writes
# bench/results/<date>-suite.md. Not a test: it measures and reports, it asserts no speed (it fails on errors and failed
# row/answer/audit checks). Options: --duration S (timed run per side, default 15) --clients N (default 32) --fast (fsync off)
# --note "text" --only workload,... (see bench/Edc.Bench/Program.cs).
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
for project in src/Edc.Api/Edc.Api.csproj bench/Edc.Twin/Edc.Twin.csproj bench/Edc.Bench/Edc.Bench.csproj; do
    dotnet build "$project" -c Release -nologo -v q
done
status=0
dotnet bench/Edc.Bench/bin/Release/net10.0/Edc.Bench.dll "$@" || status=$?
echo "bench/suite.sh took $((SECONDS - started)) s (build included)"
exit "$status"
