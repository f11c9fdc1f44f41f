# PocketQuant — the README's commands. A fresh clone needs only python3 (>= 3.11):
# uv is bootstrapped into .tools/ with pip when it is not already on PATH.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
UV_VERSION := 0.13.9
UV := $(or $(shell command -v uv 2>/dev/null),$(CURDIR)/.tools/bin/uv)
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/.venv
RUN := $(UV) run --frozen --no-sync

.PHONY: help install sync up test test-fast lint format bench clean

help:
	@echo "make up     start the whole stack locally (nats-server, Redis, simulator, services)"
	@echo "make test   install and run every test"
	@echo "make lint   ruff + mypy"
	@echo "make bench  run the benchmarks and print their ratio tables"

$(CURDIR)/.tools/bin/uv:
	$(PYTHON) -m venv $(CURDIR)/.tools
	$(CURDIR)/.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

.venv/.installed: uv.lock pyproject.toml $(wildcard libs/*/pyproject.toml services/*/pyproject.toml tools/*/pyproject.toml clients/*/pyproject.toml) | $(UV)
	$(UV) sync --frozen --all-packages
	@touch $@

install: .venv/.installed

# For developers adding a dependency: re-lock and re-sync (serialised, several may run at once).
sync: | $(UV)
	flock /tmp/pq-uv.lock $(UV) lock
	flock /tmp/pq-uv.lock $(UV) sync --frozen --all-packages
	@touch .venv/.installed

up: install
	@# exec the venv script directly: `uv run` turns the Ctrl-C exit into 130
	.venv/bin/pq up

test: install
	$(RUN) pytest

test-fast: install
	$(RUN) pytest -m "not slow" -x -q

lint: install
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy

format: install
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

bench: install
	$(RUN) python -m bench

clean:
	rm -rf .venv .tools .pq .pytest_cache .mypy_cache .ruff_cache
