#!/usr/bin/env bash
# Runs lint and the whole test suite against a throwaway PostgreSQL 15 cluster.
# The cluster lives in a temporary folder on a free port and is stopped on exit,
# even when tests fail. PostgreSQL refuses to run as root, so as root its binaries
# run as the `postgres` user.
set -euo pipefail
cd "$(dirname "$0")/.."
UV=$(command -v uv || echo "$HOME/.local/bin/uv")
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

PGTMP=$(mktemp -d /tmp/cocrea-pg.XXXXXX)
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
  -o "-p $PGPORT -k $PGTMP -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start >/dev/null
echo "PostgreSQL 15 running on 127.0.0.1:$PGPORT (data in $PGTMP)"

export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/cocrea"
export COCREA_TEST_REQUIRE_POSTGRES=1

# COCREA_SKIP_LINT=1 skips lint while iterating on one test; `make test` always lints.
if [ "${COCREA_SKIP_LINT:-0}" != 1 ]; then
  "$UV" run --frozen ruff check .
  "$UV" run --frozen ruff format --check .
fi
"$UV" run --frozen pytest "$@"
