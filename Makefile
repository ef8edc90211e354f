# The two commands of the README:
#   make run        installs the app's packages into .venv and starts the app on the demo data
#   make test       installs what the tests need (packages, Debian's chromium, postgresql and nginx), lints, type-checks
#                   and runs every test
# and, for working on the code once `make install-dev` (or `make test`) has filled .venv:
#   make lint       ruff, and the import contracts of pyproject.toml (lint-imports)
#   make typecheck  mypy over monev/ and components/
#   make test-fast  the unit and AppTest tests: no browser (e2e), no load test
VENV ?= .venv
PYTHON := $(VENV)/bin/python
PIP_INSTALL := $(PYTHON) -m pip install --quiet --disable-pip-version-check
HOST ?= 127.0.0.1
PORT ?= 8501

.PHONY: run test install install-dev lint typecheck test-fast

$(PYTHON):
	python3 -m venv $(VENV)

install: $(PYTHON)
	$(PIP_INSTALL) -r requirements.txt -c constraints.txt

install-dev: $(PYTHON)
	$(PIP_INSTALL) -r requirements-dev.txt -c constraints.txt
	scripts/install-test-tools

run: install
	$(PYTHON) scripts/serve.py --server.address $(HOST) --server.port $(PORT)

lint:
	$(PYTHON) -m ruff check .
	$(VENV)/bin/lint-imports

typecheck:
	$(PYTHON) -m mypy

test-fast:
	$(PYTHON) -m pytest -m "not e2e and not load"

# lint and typecheck run after install-dev (not as its prerequisites) so that they use what it installed.
test: install-dev
	$(MAKE) --no-print-directory lint typecheck
	$(PYTHON) -m pytest
