#!/usr/bin/env bash
# Server time (median, p95) of the national board, an entity plan page and a commitment page
# with national-scale data (32 entities × 3 plans × 15 commitments × 8 milestones × 6 reports),
# on a throwaway PostgreSQL 15 cluster started the way scripts/test.sh does.
# Usage: bash benchmarks/plans/run.sh [repetitions]
set -euo pipefail
cd "$(dirname "$0")/../.."
UV=$(command -v uv || echo "$HOME/.local/bin/uv")
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

PGTMP=$(mktemp -d /tmp/cocrea-bench-pg.XXXXXX)
chmod 755 "$PGTMP"
[ "$(id -u)" = 0 ] && chown postgres "$PGTMP"
PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
cleanup() {
  as_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PGTMP"
}
trap cleanup EXIT INT TERM
as_pg "$PGBIN/initdb" -D "$PGTMP/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/postgres.log" -w \
  -o "-p $PGPORT -k $PGTMP -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off" start >/dev/null
as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres cocrea_bench

export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/cocrea_bench"
export DJANGO_SETTINGS_MODULE=cocrea.settings_test
export COCREA_MEDIA_DIR="$PGTMP/media"
"$UV" run --frozen python benchmarks/plans/bench_pages.py "$@"
