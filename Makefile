# Two commands do all set-up: `make demo` and `make test`. Both create .venv when missing and
# reinstall when pyproject.toml changes.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO ?= build/demo.coder

.PHONY: help env demo test lint typecheck pytest clean bench

help:
	@echo "make demo       build the demo project and open it in the workbench"
	@echo "make test       lint, type-check and run the whole test suite"
	@echo "make lint       ruff (lint and format check) and the layer rules (lint-imports)"
	@echo "make typecheck  mypy --strict on the package and the benchmarks"
	@echo "make bench      benchmarks against baselines (SIZE=S|M|L, default S)"
	@echo "make clean      remove the environment and build outputs"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "coder needs Python 3.11 or newer (set PYTHON=...)" >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

env: $(STAMP)

demo: $(STAMP)
	@mkdir -p $(dir $(DEMO))
	@test -f $(DEMO) || $(BIN)/coder demo $(DEMO)
	$(BIN)/coder tui -p $(DEMO) --as maya

lint: $(STAMP)
	$(BIN)/ruff check coder tests bench
	$(BIN)/ruff format --check coder tests bench
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy coder bench

pytest: $(STAMP)
	bash .ci/ensure-postgres
	$(BIN)/pytest

test: lint typecheck pytest

# Benchmarks against baselines measured in the same run (bench/README.md): SIZE=S|M|L, and
# BENCH_ARGS for more options (e.g. BENCH_ARGS=--no-postgres). Prints a table and writes
# bench/results.json; corpora are generated once under bench/data/. The peers (Taguette, qc)
# are installed into their own environments under bench/peers/ on the first run, never by
# `make test`.
SIZE ?= S
bench: $(STAMP)
	$(BIN)/python -m bench.run --size $(SIZE) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache .hypothesis .import_linter_cache
