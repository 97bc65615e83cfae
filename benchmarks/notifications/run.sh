#!/usr/bin/env bash
# Fan-out of one validated report to the followers of its commitment (10,000 and 100,000),
# then the daily digest (one e-mail per person, to Django's locmem backend), on a throwaway
# PostgreSQL 15 cluster. Prints time and queries of each step.
# Usage: bash benchmarks/notifications/run.sh [N ...]   (default: 10000 100000)
set -euo pipefail
cd "$(dirname "$0")/../.."
UV=$(command -v uv || echo "$HOME/.local/bin/uv")
export PG_OPTIONS="-c fsync=off -c synchronous_commit=off"
export DJANGO_SETTINGS_MODULE=cocrea.settings_test
scripts/with-postgres.sh "$UV" run --frozen python benchmarks/notifications/bench_fanout.py "$@"
