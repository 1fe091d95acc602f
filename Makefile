# Two commands do all the set-up on a fresh machine with Python 3.11+ and make:
#   make run    build the demo project from corpus/ and open it
#   make test   install the test tools and run the whole suite
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DEMO := demo/vinr-demo.sqlite

.PHONY: run test lint bench clean

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/vinr-qual --project $(DEMO) demo --open

test: $(VENV)/.installed-test
	$(BIN)/ruff check vinr_qual tests bench
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check vinr_qual tests bench
	$(BIN)/ruff format --check vinr_qual tests bench
	$(BIN)/mypy vinr_qual
	$(BIN)/lint-imports

bench: $(VENV)/.installed-test
	$(BIN)/python bench/tui_speed.py
	$(BIN)/python bench/search_speed.py
	$(BIN)/python bench/analysis_speed.py

clean:
	rm -rf $(VENV) demo build *.egg-info
