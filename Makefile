# The README's commands. `make run` and `make test` set up everything they need.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test lint format bench install demo

$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps -e .  # the `tracing` command (.venv/bin/tracing), this checkout's code
	touch $@

install: $(VENV)/.installed

run: install  ## the web app on the demo world at http://127.0.0.1:8050
	$(PY) app.py

test: install  ## the whole test suite (lint included)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest

lint: install
	$(PY) -m ruff check .

format: install
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

bench: install  ## every benchmark: prints figures and ratios, asserts nothing
	$(PY) bench/scoring.py
	$(PY) bench/flow.py
	$(PY) bench/dashboard.py
	$(PY) bench/report.py
	$(PY) bench/profiles.py
	$(PY) bench/market.py
	$(PY) bench/fetch.py
	$(PY) bench/import.py

demo: install
	$(PY) -m tracing demo
