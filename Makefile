# The two commands of the README:
#   make run    installs the app's packages into .venv and starts the app on the demo data
#   make test   installs what the tests need (packages, Debian's chromium), lints, and runs every test
VENV ?= .venv
PYTHON := $(VENV)/bin/python
PIP_INSTALL := $(PYTHON) -m pip install --quiet --disable-pip-version-check
HOST ?= 127.0.0.1
PORT ?= 8501

.PHONY: run test install install-dev

$(PYTHON):
	python3 -m venv $(VENV)

install: $(PYTHON)
	$(PIP_INSTALL) -r requirements.txt -c constraints.txt

install-dev: $(PYTHON)
	$(PIP_INSTALL) -r requirements-dev.txt -c constraints.txt
	scripts/install-test-tools

run: install
	$(PYTHON) scripts/serve.py --server.address $(HOST) --server.port $(PORT)

test: install-dev
	$(PYTHON) -m ruff check .
	$(PYTHON) -m pytest
