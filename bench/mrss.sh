#!/usr/bin/env bash
# MRSS first-save throughput and latency: the API (PUT .../visits/D0/mrss, HTTP, EF Core) against the same insert (the
# assessment row and the same audit rows) as one plain SQL transaction (Npgsql), 32 concurrent clients each, on one
# private PostgreSQL cluster. Participants are randomized through the API in set-up (not measured). Not a test: it
# measures and reports (bench/results/<date>-mrss.md), it asserts no speed. Options: see bench/Edc.Bench/Program.cs.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
dotnet build src/Edc.Api/Edc.Api.csproj -c Release -nologo -v q
dotnet build bench/Edc.Bench/Edc.Bench.csproj -c Release -nologo -v q
status=0
dotnet bench/Edc.Bench/bin/Release/net10.0/Edc.Bench.dll --workload mrss "$@" || status=$?
echo "bench/mrss.sh took $((SECONDS - started)) s (build included)"
exit "$status"
