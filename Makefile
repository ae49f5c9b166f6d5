# The whole set-up on a fresh machine is `make run` or `make test`.
PYTHON ?= python3
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 8000
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run dev test lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install only when the project's metadata changes.
$(STAMP): $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers $${WORKERS:-2} 'specreg.app:create_app()'

dev: $(STAMP)
	$(BIN)/flask --app 'specreg.app:create_app()' run --host $(HOST) --port $(PORT) --debug

test: $(STAMP)
	$(BIN)/ruff check service tests
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check service tests

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
