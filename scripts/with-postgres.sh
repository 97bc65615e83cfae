#!/usr/bin/env bash
# Usage: scripts/with-postgres.sh COMMAND [ARGS...]
# Runs COMMAND with DATABASE_URL pointing at a throwaway PostgreSQL 15 cluster: initdb in a
# temporary folder, a free port on 127.0.0.1, database `cocrea`; stopped and removed on exit,
# even when COMMAND fails. PostgreSQL refuses to run as root, so as root its binaries run as
# the `postgres` user. PG_OPTIONS adds server settings (e.g. "-c fsync=off").
set -euo pipefail
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

PGTMP=$(mktemp -d /tmp/cocrea-pg.XXXXXX)
chmod 755 "$PGTMP"
if [ "$(id -u)" = 0 ]; then chown postgres "$PGTMP"; fi
PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')

cleanup() {
  as_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PGTMP"
}
trap cleanup EXIT INT TERM

as_pg "$PGBIN/initdb" -D "$PGTMP/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/postgres.log" -w \
  -o "-p $PGPORT -k $PGTMP -c listen_addresses=127.0.0.1 -c max_connections=300 ${PG_OPTIONS:-}" \
  start >/dev/null
as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres cocrea
echo "PostgreSQL 15 running on 127.0.0.1:$PGPORT (data in $PGTMP)" >&2

export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/cocrea"
export COCREA_PG_DIR="$PGTMP"
"$@"
