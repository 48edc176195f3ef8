#!/usr/bin/env bash
# Randomization throughput and latency: the API (HTTP, EF Core) against the same allocation as one plain SQL
# transaction (Npgsql), 32 concurrent clients each, on one private PostgreSQL cluster. Not a test: it measures
# and reports (bench/results/<date>-randomization.md), it asserts no speed. Options: see bench/Edc.Bench/Program.cs.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
dotnet build src/Edc.Api/Edc.Api.csproj -c Release -nologo -v q
dotnet build bench/Edc.Bench/Edc.Bench.csproj -c Release -nologo -v q
status=0
dotnet bench/Edc.Bench/bin/Release/net10.0/Edc.Bench.dll "$@" || status=$?
echo "bench/randomization.sh took $((SECONDS - started)) s (build included)"
exit "$status"
