#!/usr/bin/env bash
# Adverse-event list latency and throughput: the API (GET .../adverse-events, pages 1 and 200 of 50, as the DSMB member and as
# a site's coordinator; HTTP, EF Core) against the same count and page as plain SQL (Npgsql), 8 concurrent clients each, on
# one private PostgreSQL cluster holding a trial with 100,000 adverse events (bulk-loaded in set-up, not measured). Not a
# test: it measures and reports (bench/results/<date>-adverse-events.md), it asserts no speed. Options: see
# bench/Edc.Bench/Program.cs (--clients, --warmup, --requests, --fast, --note; later options override the defaults below).
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
dotnet build src/Edc.Api/Edc.Api.csproj -c Release -nologo -v q
dotnet build bench/Edc.Bench/Edc.Bench.csproj -c Release -nologo -v q
status=0
dotnet bench/Edc.Bench/bin/Release/net10.0/Edc.Bench.dll --workload adverse-events --clients 8 --warmup 100 "$@" || status=$?
echo "bench/adverse-events.sh took $((SECONDS - started)) s (build included)"
exit "$status"
