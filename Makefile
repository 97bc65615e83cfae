# Cocrea: `make demo` serves the platform with demo data; `make test` runs the whole suite.
SHELL := /bin/bash
UV ?= $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
PORT ?= 8000
# Extra arguments for pytest, e.g. `make test T="tests/test_api.py -k national"`.
T ?=

.PHONY: demo test uv sync browser nginx smoke load lint format messages clean

uv:
	@command -v uv >/dev/null 2>&1 || [ -x "$(UV)" ] || python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv

sync: uv
	@$$(command -v uv || echo $(UV)) sync --frozen

demo: sync
	$$(command -v uv || echo $(UV)) run --frozen cocrea demo --port $(PORT)

browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@[ -x /usr/lib/postgresql/15/bin/initdb ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15; }

test: sync browser
	bash scripts/test.sh $(T)

nginx:
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx; }

# The production stack on this machine (PostgreSQL, gunicorn, a worker, nginx), checked end to end.
smoke: sync browser nginx
	bash deploy/smoke.sh

lint: sync
	$$(command -v uv || echo $(UV)) run --frozen ruff check .
	$$(command -v uv || echo $(UV)) run --frozen ruff format --check .

format: sync
	$$(command -v uv || echo $(UV)) run --frozen ruff check --fix .
	$$(command -v uv || echo $(UV)) run --frozen ruff format .

messages: sync
	cd src/cocrea && $$(command -v uv || echo $(UV)) run --frozen cocrea manage makemessages -l en --no-obsolete && $$(command -v uv || echo $(UV)) run --frozen cocrea manage compilemessages

clean:
	rm -rf var/ .pytest_cache
