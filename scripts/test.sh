#!/usr/bin/env bash
# Lint, then the whole test suite (or pytest ARGS) on a throwaway PostgreSQL 15 cluster.
# COCREA_SKIP_LINT=1 skips lint while iterating on one test; `make test` always lints.
set -euo pipefail
cd "$(dirname "$0")/.."
UV=$(command -v uv || echo "$HOME/.local/bin/uv")

if [ "${COCREA_SKIP_LINT:-0}" != 1 ]; then
  "$UV" run --frozen ruff check .
  "$UV" run --frozen ruff format --check .
fi

export COCREA_TEST_REQUIRE_POSTGRES=1
# Durability is pointless for a cluster that lives as long as the suite.
export PG_OPTIONS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
exec scripts/with-postgres.sh "$UV" run --frozen pytest "$@"
