# The whole set-up on a fresh machine is `make run` or `make test`.
PYTHON ?= python3
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 8000
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run dev test lint clean nginx

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install only when the project's metadata changes.
$(STAMP): $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# nginx fronts the two gunicorn pools (specreg.front, docs/operations.md); Debian's package.
nginx:
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light; }

run: $(STAMP) nginx
	HOST=$(HOST) PORT=$(PORT) exec $(BIN)/python -m specreg.front  # exec: signals reach the front

dev: $(STAMP)
	$(BIN)/flask --app 'specreg.app:create_app()' run --host $(HOST) --port $(PORT) --debug

test: $(STAMP) nginx
	$(BIN)/ruff check service tests
	$(BIN)/pytest

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
