#!/usr/bin/env bash
# Randomization alone: bench/suite.sh --only randomization (README.md, "Benchmarks"); the suite's options apply.
exec "$(dirname "$0")/suite.sh" --only randomization "$@"
