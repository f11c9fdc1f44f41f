# PocketQuant — the README's commands. A fresh clone needs only python3 (>= 3.11):
# uv is bootstrapped into .tools/ with pip when it is not already on PATH.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
UV_VERSION := 0.13.9
UV := $(or $(shell command -v uv 2>/dev/null),$(CURDIR)/.tools/bin/uv)
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/.venv
# Compile the dependencies' bytecode at install. Where PYTHONDONTWRITEBYTECODE is set (as on
# the machines this was measured on, and in many containers) Python never caches it, and
# every process compiles its imports again: importing a service took 2.0 s instead of 0.9 s,
# `pq --help` 0.6 s instead of 0.3 s, and each test stack starts six Python processes.
export UV_COMPILE_BYTECODE := 1
RUN := $(UV) run --frozen --no-sync

.PHONY: help install sync up test test-fast lint format bench soak clean ui ui-test

help:
	@echo "make up     start the whole stack locally (nats-server, Redis, simulator, services)"
	@echo "make test   install and run every test"
	@echo "make lint   ruff + mypy"
	@echo "make bench  run the benchmarks and print their ratio tables"
	@echo "make soak   200 symbols live on a 3-node cluster, every service twice (PQ_SOAK_SECONDS, 600)"

$(CURDIR)/.tools/bin/uv:
	$(PYTHON) -m venv $(CURDIR)/.tools
	$(CURDIR)/.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

.venv/.installed: uv.lock pyproject.toml $(wildcard libs/*/pyproject.toml services/*/pyproject.toml tools/*/pyproject.toml clients/*/pyproject.toml) | $(UV)
	$(UV) sync --frozen --all-packages
	@touch $@

install: .venv/.installed ui

# The chart page (ui/, served by the gateway at /ui/): npm ci from the lockfile, then vite build.
NPM := $(shell command -v npm 2>/dev/null)
NO_NPM := Node.js/npm not found: the chart page at /ui/ is not built (install Node.js 20+ and npm, then make install)
UI_SOURCES := $(wildcard ui/src/* ui/public/*) ui/index.html ui/vite.config.ts ui/tsconfig.json

ui:
	@$(if $(NPM),$(MAKE) --no-print-directory ui/dist/index.html,echo "$(NO_NPM)")

ui/node_modules/.package-lock.json: ui/package-lock.json ui/package.json
	cd ui && npm ci --no-audit --no-fund --loglevel=error

ui/dist/index.html: ui/node_modules/.package-lock.json $(UI_SOURCES)
	cd ui && npm run --silent build

ui-test: ui
	@$(if $(NPM),cd ui && npx vitest run,echo "$(NO_NPM)")

# For developers adding a dependency: re-lock and re-sync (serialised, several may run at once).
sync: | $(UV)
	flock /tmp/pq-uv.lock $(UV) lock
	flock /tmp/pq-uv.lock $(UV) sync --frozen --all-packages
	@touch .venv/.installed

up: install
	@# exec the venv script directly: `uv run` turns the Ctrl-C exit into 130
	.venv/bin/pq up

# Test workers (pytest-xdist). `make test`: one more than the machine's cores, since the
# whole-stack suites spend much of their time waiting on the simulator's clock; they form
# three groups, each on one worker, one suite at a time (tests/support/parallel_groups.py).
# `make test-fast`: two per core, since its tests mostly wait on servers and deadlines
# (on 2 cores: 2 workers 2 min 51 s, 3 workers 2 min 22 s, 4 workers 1 min 58 s).
# PQ_TEST_WORKERS=0 (PQ_FAST_TEST_WORKERS=0) runs serially.
CORES := $(shell nproc 2>/dev/null || echo 2)
PQ_TEST_WORKERS ?= $(shell echo $$(( $(CORES) + 1 )))
PQ_FAST_TEST_WORKERS ?= $(shell echo $$(( 2 * $(CORES) )))
XDIST_OPTIONS := --maxprocesses 4 --dist loadscope

test: install ui-test
	$(RUN) pytest -n $(PQ_TEST_WORKERS) $(XDIST_OPTIONS) --durations=25

test-fast: install
	$(RUN) pytest -n $(PQ_FAST_TEST_WORKERS) $(XDIST_OPTIONS) -m "not slow" -x -q

lint: install
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy

format: install
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

bench: install
	$(RUN) python -m bench

# Not part of `make test`: bounded by PQ_SOAK_SECONDS (default 600) plus start and audit.
soak: install
	$(RUN) python -m tests.soak

clean:
	rm -rf .venv .tools .pq .pytest_cache .mypy_cache .ruff_cache ui/node_modules ui/dist
