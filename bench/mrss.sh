#!/usr/bin/env bash
# MRSS entry (first saves) alone: bench/suite.sh --only mrss (README.md, "Benchmarks"); the suite's options apply.
exec "$(dirname "$0")/suite.sh" --only mrss "$@"
