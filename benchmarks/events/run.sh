#!/usr/bin/env bash
# Runs bench_registrations.py against a throwaway PostgreSQL 15 cluster (durable settings).
set -euo pipefail
cd "$(dirname "$0")/../.."
UV=$(command -v uv || echo "$HOME/.local/bin/uv")
exec scripts/with-postgres.sh "$UV" run --frozen python benchmarks/events/bench_registrations.py "$@"
