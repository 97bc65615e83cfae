#!/usr/bin/env bash
# Server time (median, p95) of the platform-wide search at national scale (the plans'
# national data and a co-creation process with 10,000 proposals), on a throwaway
# PostgreSQL 15 cluster. Usage: bash benchmarks/search/run.sh [repetitions]
set -euo pipefail
cd "$(dirname "$0")/../.."
UV=$(command -v uv || echo "$HOME/.local/bin/uv")
export PG_OPTIONS="-c fsync=off -c synchronous_commit=off"
export DJANGO_SETTINGS_MODULE=cocrea.settings_test
scripts/with-postgres.sh "$UV" run --frozen python benchmarks/search/bench_search.py "$@"
