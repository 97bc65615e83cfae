#!/usr/bin/env bash
# Starts the whole production stack on this machine and checks it through nginx:
# a throwaway PostgreSQL (scripts/with-postgres.sh), `cocrea serve` (gunicorn), one
# `cocrea worker`, and Debian's nginx on a loopback port with deploy/nginx/cocrea.conf.
# Plain HTTP on loopback, so COCREA_HTTPS=0; everything else as in production.
# Usage: bash deploy/smoke.sh            (`make smoke` installs nginx first)
#        SMOKE_KEEP=1 bash deploy/smoke.sh   leaves the stack running until Ctrl-C
#        SMOKE_THEN="command" bash deploy/smoke.sh   runs command (with SMOKE_URL) on the stack
set -euo pipefail
cd "$(dirname "$0")/.."
UV=$(command -v uv || echo "$HOME/.local/bin/uv")
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

if [ -z "${COCREA_SMOKE_INNER:-}" ]; then
  export COCREA_SMOKE_INNER=1
  exec scripts/with-postgres.sh bash "$0" "$@"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
TMP=$(mktemp -d /tmp/cocrea-smoke.XXXXXX)
chmod 755 "$TMP"
APP_PORT=$(free_port)
WEB_PORT=${SMOKE_PORT:-$(free_port)}
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$TMP/nginx.pid" ] && kill "$(cat "$TMP/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

export SECRET_KEY="smoke-$(python3 -c 'import secrets; print(secrets.token_urlsafe(40))')"
export ALLOWED_HOSTS=127.0.0.1,localhost
export CSRF_TRUSTED_ORIGINS="http://127.0.0.1:$WEB_PORT"
export COCREA_VAR_DIR="$TMP/var"
export COCREA_BASE_URL="http://127.0.0.1:$WEB_PORT"
export COCREA_TRUSTED_PROXIES=1
export COCREA_HTTPS=0
export COCREA_LOG_LEVEL=${COCREA_LOG_LEVEL:-WARNING}
COCREA="$UV run --frozen cocrea"

echo "smoke: migrating and loading the demo data into PostgreSQL" >&2
$COCREA manage migrate --noinput -v0
$COCREA manage shell -c "from cocrea.territory.services import load_reference; from cocrea.core.demo import load_demo_data; load_reference(); load_demo_data()" >/dev/null
$COCREA manage collectstatic --noinput -v0

$COCREA serve --no-collectstatic --bind "127.0.0.1:$APP_PORT" --workers "${SMOKE_WEB_WORKERS:-2}" \
  --access-logfile /dev/null >"$TMP/gunicorn.log" 2>&1 &
PIDS+=($!)
$COCREA worker --interval 0.5 -v0 >"$TMP/worker.log" 2>&1 &
PIDS+=($!)

mkdir -p "$TMP/nginx"
sed -e "s|@UPSTREAM@|127.0.0.1:$APP_PORT|" -e "s|@LISTEN@|127.0.0.1:$WEB_PORT|" \
    -e "s|@SERVER_NAME@|127.0.0.1 localhost|" -e "s|@STATIC_ROOT@|$COCREA_VAR_DIR/static|" \
    deploy/nginx/cocrea.conf >"$TMP/nginx/site.conf"
cat >"$TMP/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $TMP/nginx.pid;
error_log $TMP/nginx/error.log warn;
$( [ "$(id -u)" = 0 ] && echo "user www-data;" )
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  sendfile on;
  client_body_temp_path $TMP/nginx/body;
  proxy_temp_path $TMP/nginx/proxy;
  fastcgi_temp_path $TMP/nginx/fastcgi;
  uwsgi_temp_path $TMP/nginx/uwsgi;
  scgi_temp_path $TMP/nginx/scgi;
  include $TMP/nginx/site.conf;
}
CONF
"$NGINX" -t -q -c "$TMP/nginx/nginx.conf" -p "$TMP/nginx"
"$NGINX" -c "$TMP/nginx/nginx.conf" -p "$TMP/nginx"

for _ in $(seq 1 120); do
  curl -fsS -o /dev/null "http://127.0.0.1:$WEB_PORT/health/" 2>/dev/null && break
  sleep 0.5
done

status=0
"$UV" run --frozen python deploy/smoke_check.py "http://127.0.0.1:$WEB_PORT" || status=$?
if [ "$status" = 0 ]; then
  # The registration's e-mail went through the queue too: every task finished well.
  $COCREA manage shell -c "
from django_tasks_db.models import DBTaskResult
import collections, sys, time
for _ in range(60):
    s = collections.Counter(DBTaskResult.objects.values_list('status', flat=True))
    if not s.get('READY') and not s.get('RUNNING'): break
    time.sleep(0.5)
print('tasks:', dict(s))
sys.exit(0 if set(s) == {'SUCCESSFUL'} and s['SUCCESSFUL'] >= 2 else 1)" || status=$?
fi
if [ "$status" != 0 ]; then
  echo "--- gunicorn.log" >&2; tail -40 "$TMP/gunicorn.log" >&2 || true
  echo "--- worker.log" >&2; tail -40 "$TMP/worker.log" >&2 || true
  echo "--- nginx error.log" >&2; tail -20 "$TMP/nginx/error.log" >&2 || true
  exit "$status"
fi
if [ -n "${SMOKE_THEN:-}" ]; then
  # Run a command against the checked stack (benchmarks/load/run.sh uses it).
  SMOKE_URL="http://127.0.0.1:$WEB_PORT" bash -c "$SMOKE_THEN"
elif [ -n "${SMOKE_KEEP:-}" ]; then
  echo "smoke: stack running at http://127.0.0.1:$WEB_PORT/ (Ctrl-C to stop)" >&2
  wait
fi
