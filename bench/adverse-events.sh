#!/usr/bin/env bash
# The adverse-event list on a trial with 100,000 adverse events (README.md, "Benchmarks"), pages 1 and 200 as the DSMB member
# and as a site's coordinator, each against its twin: bench/suite.sh --only adverse-event-list with 8 connections; the suite's
# options apply (a later --clients overrides).
exec "$(dirname "$0")/suite.sh" --only adverse-event-list --clients 8 "$@"
