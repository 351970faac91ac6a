# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test

.PHONY: run test migrate lint format i18n bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(STAMP_RUN)

## Install, create or upgrade the SQLite database under ./data/, start the bot.
run: $(STAMP_RUN)
	$(BIN)/python -m bot run

## Install with the test extras and run the whole suite (SQLite; PostgreSQL too when
## TEST_DATABASE_URL is set) in TEST_WORKERS processes (pytest-xdist).
TEST_WORKERS ?= 2
test: $(STAMP_TEST)
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS)

migrate: $(STAMP_RUN)
	$(BIN)/python -m bot migrate

lint: $(STAMP_TEST)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP_TEST)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Add new source strings to locales/*/LC_MESSAGES/new.po for translation.
i18n: $(STAMP_TEST)
	$(BIN)/python -m bot i18n

bench: $(STAMP_TEST)
	$(BIN)/python bench/bench_updates.py
	$(BIN)/python bench/bench_documents.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
