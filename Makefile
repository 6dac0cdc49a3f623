# Two commands do all set-up on a fresh machine with only python3 and make:
#   make demo   runs the baseline, then compares it with the collective provisions
#   make test   runs the whole test suite (ruff, import contracts, mypy, then pytest)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck bench snapshots clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/wijksim validate scenarios/*.yaml
	$(BIN)/wijksim run scenarios/baseline.yaml --seed 1 --out out/baseline
	$(BIN)/wijksim compare scenarios/baseline.yaml scenarios/alle-interventies.yaml \
		scenarios/subsidie-stopt.yaml -n 20 --out out/vergelijking

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports

# mypy at the level set in pyproject.toml ([tool.mypy]): all of src/ checked,
# the engine (wijksim.model, wijksim.streams) fully annotated
typecheck: $(STAMP)
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/python -m pytest -n 2 -q

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_engine.py
	$(BIN)/python benchmarks/bench_startup.py

# after a deliberate change of the model's results
snapshots: $(STAMP)
	$(BIN)/python tests/test_scenario_snapshots.py

clean:
	rm -rf $(VENV) out .pytest_cache .hypothesis .ruff_cache .mypy_cache
