# The two commands of the README: `make run` and `make test`.
# Each sets up its own environment first (a virtualenv and the Node linter).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LINT_DIR := tests/cypher_lint
LINT_STAMP := $(LINT_DIR)/node_modules/.installed
AUDIT_DIR := tests/graphql_http_audit
AUDIT_STAMP := $(AUDIT_DIR)/node_modules/.installed

.PHONY: run test check schema seed bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(LINT_STAMP): $(LINT_DIR)/package.json $(LINT_DIR)/package-lock.json
	cd $(LINT_DIR) && npm ci --no-audit --no-fund --loglevel=error
	touch $(LINT_STAMP)

$(AUDIT_STAMP): $(AUDIT_DIR)/package.json $(AUDIT_DIR)/package-lock.json
	cd $(AUDIT_DIR) && npm ci --no-audit --no-fund --loglevel=error
	touch $(AUDIT_STAMP)

## Start the GraphQL server at http://127.0.0.1:8000/graphql (demo data on first start).
run: $(STAMP)
	$(BIN)/python server.py

## Run the whole test suite (embedded engine, Neo4j semantic check of every statement,
## graphql-http's GraphQL-over-HTTP audit).
test: $(STAMP) $(LINT_STAMP) $(AUDIT_STAMP)
	$(BIN)/pytest

## Static checks: ruff, mypy (strict), import-linter layers.
check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

## Re-export schema.graphql from the code.
schema: $(STAMP)
	$(BIN)/python -m schema

## Load the demo data into the configured database (idempotent).
seed: $(STAMP)
	$(BIN)/python -m seed

PEOPLE ?= 100000
ROUNDS ?= 50
## Benchmark the API (graph built on first use; PEOPLE=3000 ROUNDS=5 for a quick run): BENCHMARKS.md.
bench: $(STAMP)
	$(BIN)/python -m benchmarks --people $(PEOPLE) --rounds $(ROUNDS)

clean:
	rm -rf $(VENV) $(LINT_DIR)/node_modules $(AUDIT_DIR)/node_modules
