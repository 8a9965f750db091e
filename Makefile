# Gongyi: `make run` serves the demo, `make test` checks everything. Nothing else by hand.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
THREADS ?= 4

# A Python of 3.12 or newer: on PATH first, then under pyenv (DESIGN.md, Stack).
FIND_PYTHON = for p in python3.14 python3.13 python3.12 python3 $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
  if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then command -v $$p; exit 0; fi; \
done; echo "No Python 3.12+ found. Install one (e.g. 'apt-get install python3.12' or 'pyenv install 3.13') and retry." >&2; exit 1

.PHONY: help run test bench venv venv-dev migrate demo worker lint format clean fonts

help:
	@echo "make run    set up and serve the demo on http://$(HOST):$(PORT)"
	@echo "make test   set up and run lint, migration check and tests (SQLite, then PostgreSQL if DATABASE_URL is set)"
	@echo "make bench  run the benchmarks under bench/"

$(VENV)/.installed: requirements.txt
	@PYTHON=$$($(FIND_PYTHON)) && echo "Using $$PYTHON" && $$PYTHON -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install -q -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.installed
venv-dev: $(VENV)/.installed-dev

migrate: venv
	$(PY) manage.py migrate --no-input

demo: migrate
	$(PY) manage.py demo

# Certificates and passports embed WenQuanYi Zen Hei: install it where we may (Debian, as root).
FONT := /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
fonts:
	@[ -e $(FONT) ] || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-zenhei); } || \
	  echo "Note: fonts-wqy-zenhei is not installed; certificate PDFs will answer 'font missing' until it is."

run: demo fonts
	$(PY) manage.py collectstatic --no-input -v 0
	@echo "Starting the background worker and the web server on http://$(HOST):$(PORT) (Ctrl-C stops them all)"
	@mkdir -p var; \
	$(PY) manage.py db_worker --no-reload > var/worker.log 2>&1 & WORKER=$$!; \
	( while true; do $(PY) manage.py flag_overdue_hours; $(PY) manage.py escalate_disputes; \
	  $(PY) manage.py rollup_traffic; sleep 3600; done ) > var/hourly.log 2>&1 & HOURLY=$$!; \
	( while true; do $(PY) manage.py drain_tallies; $(PY) manage.py refresh_dashboards; sleep 60; done ) \
	  > var/minutely.log 2>&1 & MINUTELY=$$!; \
	trap "kill $$WORKER $$HOURLY $$MINUTELY 2>/dev/null" EXIT INT TERM; \
	$(VENV)/bin/granian --interface wsgi --host $(HOST) --port $(PORT) --workers $(WORKERS) \
	  --blocking-threads $(THREADS) gongyi.wsgi:application

worker: venv
	$(PY) manage.py db_worker --no-reload

lint: venv-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: venv-dev lint
	env -u DATABASE_URL $(PY) manage.py makemigrations --check --dry-run
	@echo "== Tests on SQLite =="
	env -u DATABASE_URL $(PY) -m pytest $(PYTEST_ARGS)
	@if [ -n "$$DATABASE_URL" ]; then \
	  echo "== Tests on PostgreSQL (DATABASE_URL is set) =="; \
	  $(PY) -m pytest $(PYTEST_ARGS); \
	else \
	  echo "== PostgreSQL run SKIPPED: DATABASE_URL is not set (e.g. postgresql://postgres@127.0.0.1:5432/gongyi) =="; \
	fi

bench: venv-dev
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) staticfiles var .pytest_cache .ruff_cache
