#!/usr/bin/env bash
# Runs bench_proposals.py against a throwaway PostgreSQL 15 cluster.
set -euo pipefail
cd "$(dirname "$0")/../.."
UV=$(command -v uv || echo "$HOME/.local/bin/uv")
exec scripts/with-postgres.sh "$UV" run --frozen python benchmarks/participation/bench_proposals.py "$@"
