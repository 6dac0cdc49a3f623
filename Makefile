# Two commands do all set-up on a fresh machine with only python3 and make:
#   make demo   compares the baseline with each collective provision and all of them
#               together, adding replications until its headline figures reach the
#               precision it states (a few minutes), prints relief, costs and benefits
#               and the precision reached, writes out/demo/report.html
#   make test   runs the whole test suite (ruff, import contracts, mypy, then pytest:
#               notebooks on a kernel and the strict documentation build included;
#               installs Chromium for the browser tests where apt-get is usable)
#   make docs   builds the documentation site into site/
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck browser bench snapshots strip-notebooks docs clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,docs]"
	touch $(STAMP)

DEMO_SCENARIOS := scenarios/baseline.yaml scenarios/bezoekdienst.yaml \
	scenarios/grip-en-glans.yaml scenarios/schuldhulpmaatje.yaml \
	scenarios/bewonersinitiatief.yaml scenarios/warme-overdracht.yaml \
	scenarios/alle-interventies.yaml scenarios/subsidie-stopt.yaml

# a fresh folder each time: the demo shows the scenarios as they are now (a
# results folder refuses to mix in results of a scenario that has changed).
# --until-precision: 20 replications, then more until every headline figure's
# interval reaches the precision the demo states (docs/precision.md) -- within
# ±20% of the difference or the default tolerances, some 200 replications; the
# default ±10% takes over 400 for these seven alternatives -- so that the report
# meets the precision it states
demo: $(STAMP)
	$(BIN)/wijksim validate scenarios/*.yaml
	rm -rf out/demo
	$(BIN)/wijksim compare $(DEMO_SCENARIOS) -n 20 --until-precision --precision 0.2 \
		--by year --out out/demo \
		--breakeven SchuldHulpMaatje --report out/demo/report.html \
		--report out/demo/report.md --report out/demo/report_en.html:en

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools
	$(BIN)/lint-imports

# mypy at the level set in pyproject.toml ([tool.mypy]): all of src/ checked,
# the engine (wijksim.model, wijksim.streams) fully annotated
typecheck: $(STAMP)
	$(BIN)/mypy

test: lint typecheck browser
	$(BIN)/python -m pytest -n 2 -q

# The browser tests open the report and the documentation site in headless
# Chromium (Debian's chromium package), installed here where apt-get can be used:
# it waits for another apt-get or dpkg (APT_LOCK_TIMEOUT, 300 s) and says why an
# install failed. Without Chromium those tests are skipped, except in CI
# (CI=true) where apt-get is usable: there a failed install fails.
browser:
	@sh tools/install_chromium.sh

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_engine.py
	$(BIN)/python benchmarks/bench_startup.py

# the documentation site in site/ (strict: a broken link or reference fails)
docs: $(STAMP)
	$(BIN)/python -m mkdocs build --strict

# before committing a notebook: no outputs, no execution counts
strip-notebooks: $(STAMP)
	$(BIN)/python tools/strip_notebooks.py

# after a deliberate change of the model's results
snapshots: $(STAMP)
	$(BIN)/python tests/scenario/test_snapshots.py

clean:
	rm -rf $(VENV) out site .cache .pytest_cache .hypothesis .ruff_cache .mypy_cache
