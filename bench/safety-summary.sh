#!/usr/bin/env bash
# Safety summary generation time against trial size: trials of 1,000, 10,000 and 100,000 randomized participants
# (with proportionate visits, MRSS, infusions and adverse events, bulk-loaded in SQL) in one private PostgreSQL cluster;
# POST /api/trials/{id}/safety-summaries through the Release API, and the same statement alone, timed for each; the
# times and their growth are written to bench/results/<date>-safety-summary.md. Not a test: it asserts no speed.
# Options: --sizes 1000,10000,100000 --repeats 5 --fast (fsync off) --note "text".
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
dotnet build src/Edc.Api/Edc.Api.csproj -c Release -nologo -v q
dotnet build bench/Edc.SummaryBench/Edc.SummaryBench.csproj -c Release -nologo -v q
status=0
dotnet bench/Edc.SummaryBench/bin/Release/net10.0/Edc.SummaryBench.dll "$@" || status=$?
echo "bench/safety-summary.sh took $((SECONDS - started)) s (build included)"
exit "$status"
