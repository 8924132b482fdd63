# The two commands of the README:
#   make run   - set everything up (idempotent) and run the app with the bundled data
#   make test  - set everything up (idempotent) and run every check: ruff, mypy, pytest
# Set-up creates .venv/ in the project root and installs the front-end assets from the
# npm registry (exact versions in package-lock.json) into static/vendor/, which the app serves.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test setup setup-dev assets lint typecheck pytest data bench clean

run: setup
	$(BIN)/streamlit run app.py --server.port $(PORT)

test: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest

setup: $(VENV)/.stamp-runtime assets
setup-dev: $(VENV)/.stamp-dev assets

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.stamp-runtime: requirements.txt constraints.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements.txt -c constraints.txt
	touch $@

$(VENV)/.stamp-dev: requirements.txt requirements-dev.txt constraints.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $(VENV)/.stamp-runtime $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

assets: node_modules/.package-lock.json scripts/vendor_assets.py
	$(PYTHON) scripts/vendor_assets.py

# Rebuild every derived data file from the raw copies under data/raw/.
data: $(VENV)/.stamp-runtime
	$(BIN)/python -m scripts.build_data

bench: setup-dev
	mkdir -p var
	$(BIN)/python cli.py bench --out var/bench.json

clean:
	rm -rf $(VENV) node_modules static/vendor test-artifacts
