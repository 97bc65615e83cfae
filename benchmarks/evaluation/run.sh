#!/usr/bin/env bash
# Server time (median, p95) of the evaluation pages at national scale (32 entities × 3 plans ×
# 15 commitments, every plan with a published design and results review), on a throwaway
# PostgreSQL 15 cluster. Goal: national page p95 < 100 ms.
# Usage: bash benchmarks/evaluation/run.sh [repetitions]
set -euo pipefail
cd "$(dirname "$0")/../.."
UV=$(command -v uv || echo "$HOME/.local/bin/uv")
export PG_OPTIONS="-c fsync=off -c synchronous_commit=off"
export DJANGO_SETTINGS_MODULE=cocrea.settings_test
scripts/with-postgres.sh "$UV" run --frozen python benchmarks/evaluation/bench_pages.py "$@"
