VENV := .venv
PYTHON := $(VENV)/bin/python
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev

.PHONY: run test lint install bench clean

$(PYTHON):
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(PYTHON)
	$(PYTHON) -m pip install --quiet -e .
	touch $@

$(STAMP_DEV): pyproject.toml | $(PYTHON)
	$(PYTHON) -m pip install --quiet -e '.[dev]'
	touch $@ $(STAMP_RUN)

install: $(STAMP_RUN)

## make run: install and start the bot on the embedded SQLite default (or DATABASE_URL);
## without Slack credentials, at a terminal, it starts the console (python -m bot console)
run: $(STAMP_RUN)
	$(PYTHON) -m bot

## make lint: ruff (lint and format check) and mypy on bot/ and storage/
lint: $(STAMP_DEV)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

## make test: install the dev extras, lint, and run the whole suite on SQLite and PostgreSQL,
## in two pytest-xdist workers (the tests mostly wait on the databases and the servers)
test: lint
	$(PYTHON) -m pytest -n 2

## make bench: install the dev extras, then time search and the whole /asiakas request on
## SQLite and PostgreSQL (not in test; see docs/operations.md)
bench: $(STAMP_DEV)
	$(PYTHON) -m benchmarks all

clean:
	rm -rf $(VENV) data/*.db data/*.db-*
