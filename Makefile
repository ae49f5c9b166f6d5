# The whole set-up on a fresh machine is `make run` or `make test`.
# The first of python3.12, python3.11, python3 that runs (PYTHON=... to choose another).
PYTHON ?= $(or $(shell for p in python3.12 python3.11; do $$p -c '' 2>/dev/null && { echo $$p; break; }; done),python3)
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 8000
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# durable-rules 2.0.28 does not import on Python 3.13 (setup.cfg's python_requires).
SUPPORTED_PYTHONS := 3.11 3.12
PYTHON_VERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
# The venv records the version of the Python that made it in this file's name: with another
# Python (make run PYTHON=python3.12 after a venv of 3.13) the venv is made anew.
MADE_BY := $(VENV)/.made-by-python-$(PYTHON_VERSION)

.PHONY: run dev test test-slow lint clean shell check-python nginx

check-python:
	@case " $(SUPPORTED_PYTHONS) " in *" $(PYTHON_VERSION) "*) ;; *) \
	  echo "specreg needs Python 3.11 or 3.12 (durable-rules does not import on 3.13);" \
	       "PYTHON=$(PYTHON) is $(or $(PYTHON_VERSION),not a Python that runs)." >&2; \
	  echo "Give one, e.g.: make run PYTHON=python3.12" >&2; exit 1;; esac

$(MADE_BY): | check-python
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	touch $@

# Re-install only when the project's metadata (or the venv's Python) changes.
$(STAMP): $(MADE_BY) setup.cfg pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# nginx fronts the two gunicorn pools (specreg.web.front, docs/operations.md); Debian's package.
nginx:
	@{ command -v nginx >/dev/null || test -x /usr/sbin/nginx; } && test -f /usr/lib/nginx/modules/ngx_http_lua_module.so || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    nginx-light libnginx-mod-http-lua; }

# A shell with the venv first on PATH: `specreg`, `pytest`, `gunicorn` as plain commands.
shell: $(STAMP)
	@echo "specreg is on PATH in this shell (exit to leave it)."
	@VIRTUAL_ENV="$(CURDIR)/$(VENV)" PATH="$(CURDIR)/$(BIN):$$PATH" $${SHELL:-/bin/sh} -i

run: $(STAMP) nginx
	HOST=$(HOST) PORT=$(PORT) exec $(BIN)/python -m specreg.web.front  # exec: signals reach the front

dev: $(STAMP)
	$(BIN)/flask --app 'specreg.web.app:create_app()' run --host $(HOST) --port $(PORT) --debug

# The suite in two processes (pytest-xdist), without the slow tests: those that start a real
# server, a browser or a subprocess, or send large bodies (the `slow` marker). .ci/run runs
# both `make test` and `make test-slow`.
test: $(STAMP) nginx
	$(BIN)/ruff check service tests
	$(BIN)/lint-imports
	$(BIN)/pytest -n 2 -m "not slow"

test-slow: $(STAMP) nginx
	$(BIN)/pytest -n 2 -m slow

lint: $(STAMP)
	$(BIN)/ruff check service tests

.PHONY: soak fuzz
# A bounded load on a real gunicorn, answers checked (SOAK_SECONDS=60, SOAK_CONNECTIONS=32).
soak: $(STAMP) nginx
	$(BIN)/python soak/soak.py

# The property tests and the OpenAPI fuzzer with many more examples than `make test` runs.
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=long $(BIN)/pytest -p no:cacheprovider tests/test_properties.py tests/test_schemathesis.py

.PHONY: bench
BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $(BENCH_STAMP)

# The five figures of bench/README.md side by side, one line each (under 10 minutes on 2 cores).
# The load generator, wrk, comes from Debian's packages.
bench: $(BENCH_STAMP) nginx
	command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
