# Pamper: `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | sha1sum | cut -c1-12)

.PHONY: run test test-sqlite test-postgres install bench bench-quick load audit lint clean messages scale-test

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip>=24"
	$(BIN)/python -m pip install -q -c requirements.lock -e '.[dev]'
	rm -f $(VENV)/.installed-*; touch $@

install: $(STAMP)

# `make run` is the demo: demo data and its published logins (PAMPER_DEMO=0 starts without them).
PAMPER_DEMO ?= 1
run: $(STAMP)
	PAMPER_DEMO=$(PAMPER_DEMO) bin/run

test: $(STAMP)
	bin/test

# One database only, for a quicker loop while working; `make test` (both) is what CI runs.
test-sqlite: $(STAMP)
	PAMPER_TEST_ON=sqlite bin/test

test-postgres: $(STAMP)
	PAMPER_TEST_ON=postgresql bin/test

# ruff, then the import layers (import-linter contracts in pyproject.toml).
# Update the translation catalogues (pamper/locale/*/LC_MESSAGES/django.po) from the code; see docs/architecture.md.
messages: $(STAMP)
	bin/messages

lint: $(STAMP)
	$(BIN)/ruff check pamper bench
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python -m bench

# The ratio table in under two minutes on a fresh copy of the demo data (SQLite; PostgreSQL too with
# PAMPER_BENCH_POSTGRES_URL): run it after every change that touches a request path.
bench-quick: $(STAMP)
	$(BIN)/python -m bench.quick

load: $(STAMP)
	$(BIN)/python -m bench.load

# Two nodes, a PostgreSQL primary and replica, Redis, S3 and workers under load for 60 s, on this machine
# (pamper/ops/scaletest; SCALE_SECONDS, SCALE_SEARCHERS ... make it shorter). Writes its section of bench/RESULTS.md.
scale-test: $(STAMP)
	bin/scale-test

audit: $(STAMP)
	bin/audit

clean:
	rm -rf $(VENV) var
