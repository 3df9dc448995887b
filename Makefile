# Two commands set up a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: demo test lint ingest eval train clean

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

# Rebuild every learned model from its data (about two hours on 2 cores, half an hour of it the five fold
# cross-encoders): the cross-encoder from training/reranker/questions.jsonl, the strength / concern classifier from
# training/polarity/labels.jsonl, then the intent model and the ranker, cross-validated with each fold's own
# cross-encoder. The ranker's questions live on two stores: the shipped one and the national corpus with knowledge/.
NATIONAL ?= ../shared/national
SHIPPED_CHROMA ?= .findings/chroma
NATIONAL_CHROMA ?= .findings/national
FOLDS_DIR ?= .findings/reranker-folds
train: $(DEV_STAMP)
	$(BIN)/findings train reranker --seed 0
	$(BIN)/findings train polarity --seed 0
	CHROMA_PATH=$(SHIPPED_CHROMA) $(BIN)/findings ingest knowledge
	CHROMA_PATH=$(NATIONAL_CHROMA) $(BIN)/findings ingest $(NATIONAL) knowledge
	$(BIN)/findings train ranker --seed 0 --reranker-folds $(FOLDS_DIR) \
		--set eval/dev.jsonl=$(SHIPPED_CHROMA) --set eval/national-dev.jsonl=$(NATIONAL_CHROMA) \
		--set eval/labelled.jsonl=$(NATIONAL_CHROMA) --score eval/dev.jsonl=$(NATIONAL_CHROMA)

lint: $(DEV_STAMP)
	$(BIN)/ruff check bot tests benchmarks


clean:
	rm -rf $(VENV) .findings .pytest_cache
