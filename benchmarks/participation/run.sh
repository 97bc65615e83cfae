#!/usr/bin/env bash
# Runs bench_proposals.py against a throwaway PostgreSQL 15 cluster (like scripts/test.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
UV=$(command -v uv || echo "$HOME/.local/bin/uv")
PYTHON=${PYTHON:-"$UV run --frozen python"}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

PGTMP=$(mktemp -d /tmp/cocrea-bench.XXXXXX)
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
  -o "-p $PGPORT -k $PGTMP -c listen_addresses=127.0.0.1" start >/dev/null
as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres cocrea
export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/cocrea"
$PYTHON benchmarks/participation/bench_proposals.py
