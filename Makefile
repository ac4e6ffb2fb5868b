# Tremplin — set-up contract: `make run` (serve the demo) and `make test` (whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Links printed by the demo and sent in e-mails point at the port actually served.
export SITE_URL ?= http://127.0.0.1:$(PORT)
PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.package-lock.json

.PHONY: install migrate referentials demo run test lint format browser-deps clean

$(PY_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

install: $(PY_STAMP) $(NODE_STAMP)

migrate: install
	$(BIN)/tremplin migrate --noinput

referentials: migrate
	$(BIN)/tremplin load_referentials

demo: referentials
	$(BIN)/tremplin demo

run: demo
	$(BIN)/tremplin runserver 127.0.0.1:$(PORT)

# Browser tests drive Debian's chromium through Playwright; install it when missing and we are root.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's chromium for the browser tests…"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "Could not install chromium: browser tests will say so."; \
	  else echo "chromium is missing and we are not root: run 'sudo apt-get install chromium'."; fi; }

test: install browser-deps
	DB_CONN_MAX_AGE=0 $(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules var/static .pytest_cache .ruff_cache
