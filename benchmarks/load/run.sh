#!/usr/bin/env bash
# Load test over the production stack of deploy/smoke.sh (throwaway PostgreSQL, gunicorn,
# one worker, nginx), headless locust at 50 and 200 users; prints requests/s, median, p95
# and errors for each. Usage: bash benchmarks/load/run.sh [SECONDS per run, default 60]
# Rate limits are raised for the run (every simulated user comes from 127.0.0.1).
set -euo pipefail
cd "$(dirname "$0")/../.."
UV=$(command -v uv || echo "$HOME/.local/bin/uv")
export LOAD_SECONDS=${1:-60}
export SMOKE_WEB_WORKERS=${SMOKE_WEB_WORKERS:-4}
export COCREA_RATE_LIMITS="register-ip=1000000/m,register-email=1000000/m"
"$UV" sync --frozen --group load -q
# Back to the test environment afterwards (locust brings brotli, which slows collectstatic).
trap '"$UV" sync --frozen -q' EXIT
export SMOKE_THEN='
set -e
OUT=$(mktemp -d)
for users in 50 200; do
  '"$UV"' run --frozen --group load locust -f benchmarks/load/locustfile.py --headless \
    -u $users -r $(( users / 5 )) -t ${LOAD_SECONDS}s -H "$SMOKE_URL" --only-summary \
    --csv "$OUT/u$users" >/dev/null 2>&1 || true
  python3 benchmarks/load/summary.py $users "$OUT/u${users}_stats.csv"
done
rm -rf "$OUT"'
bash deploy/smoke.sh
