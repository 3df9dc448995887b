# Two commands set up a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: demo test lint ingest eval clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(STAMP)

demo: $(STAMP)
	$(BIN)/findings demo

ingest: $(STAMP)
	$(BIN)/findings ingest --prune

test: $(DEV_STAMP)
	$(BIN)/ruff check bot tests benchmarks
	$(BIN)/python -m pytest

lint: $(DEV_STAMP)
	$(BIN)/ruff check bot tests benchmarks


clean:
	rm -rf $(VENV) .findings .pytest_cache
