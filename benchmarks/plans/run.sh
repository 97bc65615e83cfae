#!/usr/bin/env bash
# Server time (median, p95) of the national board, an entity plan page and a commitment page
# with national-scale data (32 entities × 3 plans × 15 commitments × 8 milestones × 6 reports),
# on a throwaway PostgreSQL 15 cluster.
# Usage: bash benchmarks/plans/run.sh [repetitions]
set -euo pipefail
cd "$(dirname "$0")/../.."
UV=$(command -v uv || echo "$HOME/.local/bin/uv")
export PG_OPTIONS="-c fsync=off -c synchronous_commit=off"
export DJANGO_SETTINGS_MODULE=cocrea.settings_test
export COCREA_MEDIA_DIR="${TMPDIR:-/tmp}/cocrea-bench-media-$$"
trap 'rm -rf "$COCREA_MEDIA_DIR"' EXIT
scripts/with-postgres.sh "$UV" run --frozen python benchmarks/plans/bench_pages.py "$@"
