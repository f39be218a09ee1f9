# The four commands: run, test, bench, lint. Each creates and uses the local virtual environment.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint venv clean chaos fuzz

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/python -m service.cli run

test: $(STAMP)
	$(BIN)/python -m pytest -q tests

bench: $(STAMP)
	$(BIN)/python -m bench.run

# Proof under fire (docs/architecture.md): longer runs than the short versions in `make test`.
CHAOS_CLOUD ?= 0
chaos: $(STAMP)
	$(BIN)/python -m tests.chaos.harness --rounds 3 --stacks 12 --kills 8 --cloud $(CHAOS_CLOUD)

fuzz: $(STAMP)
	HEAT_TEMPORAL_FUZZ_EXAMPLES=40 $(BIN)/python -m pytest -q tests/fuzz

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy api workflows activities templates listings service worker.py bench tests

clean:
	rm -rf $(VENV) data
