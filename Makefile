# The front door: `make demo` and `make test` work on a fresh machine with Python 3.11, Node/npm and make.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
# Debian's Chromium, which the tests drive through Playwright to click the Playground's web UI
# (never a browser downloaded by a test tool).
BROWSER := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# checkov, in a virtualenv of its own (its pins are not the bot's), checks infra/*.bicep offline.
INFRA_VENV := .venv-infra
INFRA_STAMP := $(INFRA_VENV)/.installed

.PHONY: deps demo test lint typecheck unit e2e bench package serve lock clean dist infra-check

$(PY_STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(INFRA_STAMP): infra/checkov.lock
	$(PYTHON) -m venv $(INFRA_VENV)
	$(INFRA_VENV)/bin/pip install --quiet -r infra/checkov.lock
	touch $@

$(NODE_STAMP): package.json package-lock.json $(wildcard patches/*.patch)
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(BROWSER):
	$(SUDO) apt-get install -y --no-install-recommends chromium || \
	  { $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends chromium; }

deps: $(PY_STAMP) $(NODE_STAMP)

# make demo RESET=1 starts again from fresh made-up data; AS=coordinator (or soo1, member...) to be
# someone else. (Make has a built-in AS, the assembler: only an AS given by the user counts.)
demo: deps
	$(BIN)/panelbot demo $(if $(RESET),--reset) $(if $(filter-out default,$(origin AS)),--as $(AS))

serve: $(PY_STAMP)
	$(BIN)/panelbot serve

lint: $(PY_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(PY_STAMP)
	$(BIN)/mypy

unit: $(PY_STAMP) $(INFRA_STAMP)
	$(BIN)/pytest -m "not e2e"

# checkov alone over infra/ (make test runs the same through tests/test_infra.py).
infra-check: $(INFRA_STAMP)
	BC_SKIP_MAPPING=TRUE $(INFRA_VENV)/bin/checkov -d infra --framework bicep --compact --quiet

e2e: deps $(BROWSER)
	$(BIN)/pytest -m e2e

test: deps $(INFRA_STAMP) $(BROWSER) lint typecheck
	$(BIN)/pytest

package: deps
	$(BIN)/python cli/package.py

# The zip App Service builds from: the code and requirements.txt, nothing else (DEPLOY.md).
dist: $(PY_STAMP)
	$(BIN)/python cli/dist.py

bench: $(PY_STAMP)
	PYTHONPATH=. $(BIN)/python benchmarks/bench.py

lock: $(PY_STAMP)
	{ echo "# Exact versions of every Python package, direct and transitive, that CI tested. Regenerate with \`make lock\`."; \
	  $(BIN)/pip freeze --exclude-editable --all | grep -v '^pip=='; } > requirements.lock

clean:
	rm -rf $(VENV) $(INFRA_VENV) node_modules .mypy_cache .ruff_cache .pytest_cache
