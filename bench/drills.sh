#!/usr/bin/env bash
# Fault drills (README.md, "Fault drills"): a database outage under load, connections killed mid-randomization, an
# instance killed mid-job (skipped without a job server), and 10,000 hostile requests. Builds in Release, starts a
# private PostgreSQL cluster and the API as its own process, prints what each drill counted and PASS/FAIL/SKIPPED,
# and exits non-zero on any FAIL. Options: see bench/Edc.Drills/Program.cs.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
dotnet build src/Edc.Api/Edc.Api.csproj -c Release -nologo -v q
dotnet build bench/Edc.Drills/Edc.Drills.csproj -c Release -nologo -v q
status=0
dotnet bench/Edc.Drills/bin/Release/net10.0/Edc.Drills.dll "$@" || status=$?
echo "bench/drills.sh took $((SECONDS - started)) s (build included)"
exit "$status"
